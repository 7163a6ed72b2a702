/**
 * The job summary (GITHUB_STEP_SUMMARY): the matrix as a grid, one column per value of
 * `matrix.arch` as written (one column when the matrix has no arch), one row per combination of
 * the other keys in plan order, "—" where a row has no such arch; each cell the build's and its
 * test's state and duration. Then the repositories with the lines that install from them.
 */
import type { MatrixInput } from '../plan/expand-matrix.js';
import { valueText } from '../plan/interpolate.js';
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

/** 0.4 s, 12 s, 3 min 5 s. */
export function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

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
  const builds = plan.jobs.filter((j): j is BuildJob => j.stage === 'build');
  const testOf = new Map(plan.jobs.flatMap((j) => (j.stage === 'test' ? [[j.build, j.id] as const] : [])));
  const archAxis = matrix.axes.find((a) => a.key === 'arch');
  const hasArch = archAxis !== undefined || builds.some((b) => b.matrix.arch !== undefined);
  // The arches as written, then any an include added.
  const arches = hasArch
    ? [
        ...new Set([
          ...(archAxis?.values ?? []).map(valueText),
          ...builds.flatMap((b) => (b.matrix.arch === undefined ? [] : [valueText(b.matrix.arch)])),
        ]),
      ]
    : [];
  const keys = [
    ...new Set([
      ...matrix.axes.map((a) => a.key).filter((k) => k !== 'arch'),
      ...builds.flatMap((b) => Object.keys(b.matrix).filter((k) => k !== 'arch')),
    ]),
  ];
  const rows = new Map<string, { values: Record<string, unknown>; cells: Map<string, string[]> }>();
  for (const build of builds) {
    const values = Object.fromEntries(keys.map((k) => [k, build.matrix[k]]));
    const rowKey = JSON.stringify(keys.map((k) => valueText(values[k])));
    let row = rows.get(rowKey);
    if (!row) {
      row = { values, cells: new Map() };
      rows.set(rowKey, row);
    }
    const column = hasArch ? valueText(build.matrix.arch) : '';
    const test = testOf.get(build.id);
    const lines = [cellLine('build', outcomes[build.id])];
    if (test !== undefined) lines.push(cellLine('test', outcomes[test]));
    row.cells.set(column, [...(row.cells.get(column) ?? []), ...lines]);
  }
  const columns = hasArch ? arches : [''];
  const header = [...keys, ...(hasArch ? arches : ['build · test'])];
  const out = [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows.values()) {
    const keyCells = keys.map((k) => (row.values[k] === undefined ? '—' : valueText(row.values[k])));
    const archCells = columns.map((c) => row.cells.get(c)?.join('<br>') ?? '—');
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
