/**
 * The job summary (GITHUB_STEP_SUMMARY): the matrix as a grid (src/pipeline/grid.ts, the layout the
 * server's pipeline page shares), "—" where a row has no such arch; each cell the build's and its
 * test's state and duration. Then the repositories with the lines that install from them.
 */

import { duration } from '../pipeline/duration.js';
import { matrixGrid as layoutGrid } from '../pipeline/grid.js';
import type { MatrixInput } from '../plan/expand-matrix.js';
import type { BuildJob, Plan } from '../plan/types.js';

export interface JobOutcome {
  state: string;
  reason: string | null;
  durationMs: number | null;
}

export interface PublishedRepo {
  repo: string;
  family: 'rpm' | 'deb';
  /** The repository: a directory on the runner, or a URL on the server. */
  location: string;
  /** Its .repo or .sources file, the same way. */
  repoFile: string;
}

export interface SummaryInput {
  title: string;
  plan: Plan;
  matrix: MatrixInput;
  outcomes: Record<string, JobOutcome>;
  result: string;
  repos: PublishedRepo[];
  /** Lines said after the grid: skipped arches, failures, a throwaway key. */
  notes: string[];
}

const ICONS: Record<string, string> = {
  success: '✅',
  failure: '❌',
  error: '❗',
  cancelled: '⏹️',
  skipped: '⏭️',
  excluded: '➖',
  pending: '⏳',
  queued: '⏳',
  running: '🔄',
};

export { duration };

function cellLine(stage: string, outcome: JobOutcome | undefined): string {
  if (!outcome) return `${stage} —`;
  const took = outcome.durationMs === null ? '' : ` ${duration(outcome.durationMs)}`;
  return `${ICONS[outcome.state] ?? ''} ${stage} ${outcome.state}${took}`.trim();
}

/** A table cell holds no | or line break. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function matrixGrid(plan: Plan, matrix: MatrixInput, outcomes: Record<string, JobOutcome>): string {
  const testOf = new Map(plan.jobs.flatMap((j) => (j.stage === 'test' ? [[j.build, j.id] as const] : [])));
  const builds = plan.jobs
    .filter((j): j is BuildJob => j.stage === 'build')
    .map((b) => ({ id: b.id, matrix: b.matrix, test: testOf.get(b.id) ?? null }));
  const grid = layoutGrid(builds, matrix.axes);
  const header = [...grid.keys, ...(grid.hasArch ? grid.columns : ['build · test'])];
  const out = [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of grid.rows) {
    const keyCells = grid.keys.map((k) => row.values[k] ?? '—');
    const archCells = grid.columns.map((c) => {
      const lines = (row.cells.get(c) ?? []).flatMap((b) => [
        cellLine('build', outcomes[b.build]),
        ...(b.test === null ? [] : [cellLine('test', outcomes[b.test])]),
      ]);
      return lines.length === 0 ? '—' : lines.join('<br>');
    });
    out.push(`| ${[...keyCells, ...archCells].map(cell).join(' | ')} |`);
  }
  return out.join('\n');
}

function installLine(repo: PublishedRepo): string {
  return repo.family === 'deb'
    ? `sudo cp ${repo.repoFile} /etc/apt/sources.list.d/ && sudo apt-get update && sudo apt-get install PACKAGE`
    : `sudo cp ${repo.repoFile} /etc/yum.repos.d/ && sudo dnf install PACKAGE`;
}

export function summaryMarkdown(input: SummaryInput): string {
  const { plan, outcomes } = input;
  const parts = [`## ${input.title}: ${ICONS[input.result] ?? ''} ${input.result}`.trimEnd(), ''];
  parts.push(`${plan.trigger.event} \`${plan.trigger.ref}\``, '');
  parts.push(matrixGrid(plan, input.matrix, outcomes), '');
  const repoJobs = plan.jobs.filter((j) => j.stage === 'sign' || j.stage === 'publish');
  if (repoJobs.length > 0) {
    parts.push(repoJobs.map((j) => `- ${cellLine(j.name, outcomes[j.id])}`).join('\n'), '');
  }
  const failed = plan.jobs.filter((j) => outcomes[j.id]?.state === 'failure' && outcomes[j.id]?.reason);
  for (const job of failed) parts.push(`- **${job.name}** failed: ${outcomes[job.id]!.reason}`);
  for (const note of input.notes) parts.push(`- ${note}`);
  if (failed.length > 0 || input.notes.length > 0) parts.push('');
  if (input.repos.length > 0) {
    parts.push('### Published repositories', '');
    for (const repo of input.repos) {
      parts.push(
        `- **${repo.repo}**: \`${repo.location}\``,
        '',
        '  ```sh',
        `  ${installLine(repo)}`,
        '  ```',
      );
    }
    parts.push('');
  }
  return parts.join('\n');
}
