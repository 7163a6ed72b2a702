import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/**
 * Blanks `NAME=value` of each of `names` in this process's start-up environment, the copy the
 * kernel shows any process of the same user in /proc/PID/environ. Deleting a variable from
 * process.env only unlinks it from libc's list; the bytes stay where the kernel reads them.
 *
 * Writes over the environment area of its own memory through /proc/self/mem (env_start..env_end
 * from /proc/self/stat). Call it after the values were read and deleted from process.env. Throws
 * when the area cannot be rewritten (a kernel that forbids writing /proc/self/mem), so that the
 * caller refuses to go on holding key material where others can read it.
 */
export function scrubStartupEnvironment(names: readonly string[]): void {
  if (names.length === 0) return;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after "pid (comm) ": the 3rd field of the whole line is the first here; env_start is the 50th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[50 - 3]);
  const end = Number(fields[51 - 3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) {
    throw new Error(`/proc/self/stat gives no environment area (${fields[50 - 3]}..${fields[51 - 3]})`);
  }
  const fd = openSync('/proc/self/mem', 'r+');
  try {
    const area = Buffer.alloc(end - start);
    readSync(fd, area, 0, area.length, start);
    for (const name of names) {
      const prefix = Buffer.from(`${name}=`);
      for (let at = area.indexOf(prefix); at !== -1; at = area.indexOf(prefix, at + 1)) {
        if (at !== 0 && area[at - 1] !== 0) continue; // the name inside another variable's value
        const stop = area.indexOf(0, at);
        const length = (stop === -1 ? area.length : stop) - at;
        const blank = Buffer.alloc(length, 0x20);
        if (writeSync(fd, blank, 0, length, start + at) !== length) {
          throw new Error(`/proc/self/mem took part of ${name} only`);
        }
        blank.copy(area, at);
      }
    }
  } finally {
    closeSync(fd);
  }
}
