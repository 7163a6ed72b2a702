/**
 * The longest delay Node's timers keep: setTimeout and AbortSignal.timeout store it as a signed
 * 32-bit number of milliseconds (about 24.8 days). A longer one does not wait longer: setTimeout
 * warns and fires after 1 ms, AbortSignal.timeout fires at once (or throws past 2^32 - 1), so a
 * job with a 600 h timeout would be "timed out" as it starts.
 */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/**
 * `ms` as a delay a timer keeps: at most MAX_TIMER_DELAY (a longer timeout stops the job after
 * 24.8 days instead of at once; the config refuses timeouts over 7 days anyway), at least 0, and
 * MAX_TIMER_DELAY for a value that is not a finite number (Infinity: wait as long as a timer can).
 */
export function timerDelay(ms: number): number {
  if (!Number.isFinite(ms)) return MAX_TIMER_DELAY;
  return Math.min(Math.max(Math.ceil(ms), 0), MAX_TIMER_DELAY);
}
