/** What the tests that start `albs run` and stop it midway share. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processesRunning } from '../runner/helpers.js';

export interface JobSummary {
  id: string;
  state: string;
  reason: string | null;
  durationMs: number | null;
  log: string | null;
}

/** OUT/pipeline.json's jobs by id. */
export function jobsOf(out: string): Record<string, JobSummary> {
  const summary = JSON.parse(readFileSync(join(out, 'pipeline.json'), 'utf8')) as { jobs: JobSummary[] };
  return Object.fromEntries(summary.jobs.map((job) => [job.id, job]));
}

/** Waits up to 30 s for `file` to exist; whether it does. */
export async function waitFor(file: string): Promise<boolean> {
  for (let i = 0; i < 300 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  return existsSync(file);
}

/** A sleep length no other test uses, so that `sleep N` finds this test's process only. */
export function uniqueSeconds(): string {
  return String(20_000 + Math.floor(Math.random() * 10_000));
}

/** SIGKILLs what a failed test left running (found by its command line), so that it does not linger. */
export function killLeftovers(argv: string[]): void {
  for (const pid of processesRunning(argv)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}
