import { loadConfig } from '../../src/config/index.js';
import { buildPlan } from '../../src/plan/index.js';
import type { PipelineRecord } from '../../src/server/pipeline-records.js';
import { jobRecords } from '../../src/server/pipeline-service.js';
import { TINY_SPEC } from '../server/farm.js';

/** A record as `albs serve` makes it for this .albs.yml, its jobs in the given states. */
export function recordOf(yaml: string, states: Record<string, string> = {}): PipelineRecord {
  const { config, problems } = loadConfig(yaml, '.albs.yml');
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !config) throw new Error(`bad test config: ${JSON.stringify(errors)}`);
  const plan = buildPlan(config, { event: 'branch', ref: 'main' });
  const jobs = jobRecords(plan).map((j) => ({ ...j, state: (states[j.id] ?? j.state) as never }));
  return {
    version: 1,
    id: '01JAAAAAAAAAAAAAAAAAAAAAAA',
    source: {
      forge: 'gitea',
      repository: 'acme/tiny',
      cloneUrl: 'https://gitea.example.org/acme/tiny.git',
      sha: 'a'.repeat(40),
      ref: 'refs/heads/main',
      event: 'push',
      deliveryId: 'd-1',
      sender: 'alice',
      private: false,
    },
    trigger: { event: 'branch', ref: 'main' },
    result: 'running',
    reason: null,
    createdAt: '2026-11-30T10:00:00.000Z',
    startedAt: '2026-11-30T10:00:01.000Z',
    finishedAt: null,
    jobs,
    repos: [],
  };
}

/** The rows of the page's grid table (class="grid"), each a list of its cells' text. */
export function gridRows(page: string): string[][] {
  const table = /<table class="grid">([\s\S]*?)<\/table>/.exec(page)?.[1];
  if (table === undefined) throw new Error('the page has no grid table');
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!
        .replace(/<\/a>/g, ' | ')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .replace(/( \| ?)+$/, '')
        .trim(),
    ),
  );
}

/** A %build that says things slowly: the page is open while it runs. */
export const SLOW_SPEC = TINY_SPEC.replace(
  '%install',
  `%build
printf '\\033[32mgreen light\\033[0m\\n'
echo '<script>window.pwned = true</script><img src=x onerror="window.pwned = true">'
for i in 1 2 3 4 5 6 7 8; do echo "tick $i"; sleep 1; done
echo 'build done'

%install`,
);
