import { describe, expect, it } from 'vitest';
import { matrixGrid } from '../../src/pipeline/grid.js';
import { jobPage, listPage, pipelinePage } from '../../src/server/pages/views.js';
import { gridRows, recordOf } from './helpers.js';

const NOW = Date.parse('2026-11-30T10:00:31.000Z');

describe('the grid of the pipeline page', () => {
  it('without matrix.arch: one column, a row per combination of the other keys in plan order', () => {
    const record = recordOf('version: 1\nmatrix:\n  dist: [almalinux-9, almalinux-10]\ntest: [rpmlint]\n', {
      'build.almalinux-9': 'success',
      'test.almalinux-9': 'running',
    });
    record.jobs.find((j) => j.id === 'build.almalinux-9')!.durationMs = 12_345;
    expect(gridRows(pipelinePage(record, NOW))).toEqual([
      ['dist', 'build · test'],
      ['almalinux-9', 'build success 12 s | test running'],
      ['almalinux-10', 'build queued | test pending'],
    ]);
  });

  it('rpm and deb arch names side by side: a column each as written, "—" where a row lacks that arch', () => {
    const record = recordOf(`version: 1
matrix:
  builder: [rpmbuild, dpkg]
  include:
    - {builder: rpmbuild, arch: x86_64, dist: almalinux-9}
    - {builder: dpkg, arch: amd64, dist: bookworm}
build: {builder: "\${{ matrix.builder }}"}
`);
    expect(gridRows(pipelinePage(record, NOW))).toEqual([
      ['builder', 'dist', 'x86_64', 'amd64'],
      ['rpmbuild', 'almalinux-9', 'build queued', '—'],
      ['dpkg', 'bookworm', '—', 'build queued'],
    ]);
  });

  it('arches keep their written order when an exclude takes the first one out of the first row', () => {
    const record = recordOf(`version: 1
matrix:
  dist: [almalinux-9, almalinux-8]
  arch: [x86_64, aarch64, ppc64le]
  exclude: [{dist: almalinux-9, arch: x86_64}]
`);
    expect(gridRows(pipelinePage(record, NOW))).toEqual([
      ['dist', 'x86_64', 'aarch64', 'ppc64le'],
      ['almalinux-9', '—', 'build queued', 'build queued'],
      ['almalinux-8', 'build queued', 'build queued', 'build queued'],
    ]);
  });

  it('every job of a cell links to its page, with a state the live script can change', () => {
    const record = recordOf('version: 1\nmatrix:\n  arch: [x86_64, aarch64]\n');
    const page = pipelinePage(record, NOW);
    for (const id of ['build.x86_64', 'build.aarch64']) {
      expect(page).toContain(
        `data-job="${id}" data-state="queued" class="job" href="/pipelines/${record.id}/jobs/${id}"`,
      );
    }
  });

  it('the pure layout: arches as written first, then those only an include adds; keys in file order', () => {
    const grid = matrixGrid(
      [
        { id: 'b1', matrix: { dist: 'el9', arch: 'aarch64' }, test: 't1' },
        { id: 'b2', matrix: { dist: 'el9', arch: 'x86_64' }, test: null },
        { id: 'b3', matrix: { arch: 's390x' }, test: null },
      ],
      [
        { key: 'dist', values: ['el9'] },
        { key: 'arch', values: ['x86_64', 'aarch64'] },
      ],
    );
    expect(grid.columns).toEqual(['x86_64', 'aarch64', 's390x']);
    expect(grid.keys).toEqual(['dist']);
    expect(grid.rows.map((r) => [r.values, Object.fromEntries(r.cells)])).toEqual([
      [{ dist: 'el9' }, { aarch64: [{ build: 'b1', test: 't1' }], x86_64: [{ build: 'b2', test: null }] }],
      [{ dist: undefined }, { s390x: [{ build: 'b3', test: null }] }],
    ]);
  });

  it("provenance names each retry and who asked for it; a job's attempts are numbered", () => {
    const record = recordOf('version: 1\n', { build: 'success' });
    record.attempt = 2;
    record.retries = [
      { attempt: 2, requestedBy: 'carol', deliveryId: 'd-9', at: '2026-11-30T11:00:00.000Z' },
    ];
    record.source.rebuildOf = '01JAAAAAAAAAAAAAAAAAAAAAAZ';
    const build = record.jobs[0]!;
    build.attempts = [
      {
        runner: 'embedded@a',
        startedAt: '2026-11-30T10:00:00.000Z',
        finishedAt: '2026-11-30T10:01:00.000Z',
        outcome: 'failure',
      },
      {
        attempt: 2,
        runner: 'embedded@b',
        startedAt: '2026-11-30T11:00:01.000Z',
        finishedAt: '2026-11-30T11:01:00.000Z',
        outcome: 'success',
      },
    ];
    const page = pipelinePage(record, NOW).replace(/<[^>]+>/g, '');
    expect(page).toContain('attempt 2retried by carol at 2026-11-30T11:00:00.000Z (delivery d-9)');
    expect(page).toContain('rebuild of01JAAAAAAAAAAAAAAAAAAAAAAZ');
    const rows = jobPage(record, build, undefined, [], true)
      .split('<h2>Attempts</h2>')[1]!
      .match(/<tr>.*?<\/tr>/g)!
      .map((row) => row.replace(/<\/t[dh]>/g, '|').replace(/<[^>]+>/g, ''));
    expect(rows).toEqual([
      'attempt|runner|start|end|outcome|',
      '1|embedded@a|2026-11-30T10:00:00.000Z|2026-11-30T10:01:00.000Z|failure|',
      '2|embedded@b|2026-11-30T11:00:01.000Z|2026-11-30T11:01:00.000Z|success|',
    ]);
  });

  it('the list says when it shows only the newest of the pipelines that match', () => {
    const record = recordOf('version: 1\n');
    const filter = { repo: '', ref: '', state: '' };
    expect(listPage([record], filter, ['acme/tiny'], NOW, 250)).toContain(
      'The newest 1 of 250 pipelines: filter by repository, ref or state to see the others.',
    );
    expect(listPage([record], filter, ['acme/tiny'], NOW)).not.toContain('The newest');
  });
});
