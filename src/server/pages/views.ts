/**
 * The three pipeline pages as HTML, from a record and what was read for it: pure functions of
 * their arguments (the routes read the disk and the clock).
 */
import { duration } from '../../pipeline/duration.js';
import { matrixGrid } from '../../pipeline/grid.js';
import type { JobRecord, PipelineRecord } from '../pipeline-records.js';
import { type Html, html, trusted } from './html.js';
import { page } from './layout.js';

const LIVE = new Set(['queued', 'running']);

export function finished(record: PipelineRecord): boolean {
  return record.finishedAt !== null || !LIVE.has(record.result);
}

function took(job: Pick<JobRecord, 'durationMs'>): string {
  return job.durationMs === null ? '' : duration(job.durationMs);
}

/** What a pipeline page's script is told on every change. */
export function liveRecord(record: PipelineRecord, now: number) {
  return {
    result: record.result,
    finished: finished(record),
    took: pipelineDuration(record, now),
    jobs: record.jobs.map((j) => ({ id: j.id, state: j.state, took: took(j) })),
  };
}

function pipelineDuration(record: PipelineRecord, now: number): string {
  if (record.startedAt === null) return '';
  const end = record.finishedAt === null ? now : Date.parse(record.finishedAt);
  return duration(Math.max(0, end - Date.parse(record.startedAt)));
}

/** The commit on its forge, when the clone URL is a web one (Gitea and GitHub both have /commit/SHA). */
export function commitUrl(record: PipelineRecord): string | undefined {
  const { cloneUrl, sha } = record.source;
  if (cloneUrl === null || sha === null || !/^https?:\/\//.test(cloneUrl)) return undefined;
  return `${cloneUrl.replace(/\.git$/, '').replace(/\/+$/, '')}/commit/${sha}`;
}

function shortRef(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

function sha(record: PipelineRecord): Html {
  const { sha: full } = record.source;
  if (full === null) return html`<span class="muted">—</span>`;
  const link = commitUrl(record);
  return link
    ? html`<a class="mono" href="${link}" title="${full}">${full.slice(0, 10)}</a>`
    : html`<span class="mono" title="${full}">${full.slice(0, 10)}</span>`;
}

function jobLink(record: PipelineRecord, job: JobRecord, label: string): Html {
  return html`<a data-job="${job.id}" data-state="${job.state}" class="job" href="/pipelines/${record.id}/jobs/${job.id}">${label} <span class="state state-${job.state}">${job.state}</span> <span class="took">${took(job)}</span></a>`;
}

export interface ListFilter {
  repo: string;
  ref: string;
  state: string;
}

/** `total`: how many pipelines match the filter; `records` the newest of them that the page shows. */
export function listPage(
  records: PipelineRecord[],
  filter: ListFilter,
  repos: string[],
  now: number,
  total = records.length,
): string {
  const states = ['queued', 'running', 'success', 'failure', 'cancelled', 'error'];
  const rows = records.map(
    (r) => html`<tr>
<td><a href="/pipelines/${r.id}">${r.source.repository}</a></td>
<td>${r.trigger.event} <code>${shortRef(r.trigger.ref)}</code></td>
<td>${sha(r)}</td>
<td>${r.source.event}</td>
<td>${r.source.sender}</td>
<td><span class="state state-${r.result}">${r.result}</span></td>
<td>${pipelineDuration(r, now)}</td>
<td class="muted"><time datetime="${r.createdAt}">${r.createdAt.replace('T', ' ').replace(/\..*$/, '')}</time></td>
</tr>`,
  );
  return page(
    { title: 'Pipelines' },
    html`<h1>Pipelines</h1>
<form class="filter" method="get" action="/pipelines">
<label>repository <select name="repo"><option value="">all</option>${repos.map((repo) => html`<option${repo === filter.repo ? html` selected` : ''}>${repo}</option>`)}</select></label>
<label>ref <input name="ref" value="${filter.ref}" placeholder="main, v1.0"></label>
<label>state <select name="state"><option value="">any</option>${states.map((s) => html`<option${s === filter.state ? html` selected` : ''}>${s}</option>`)}</select></label>
<button type="submit">Filter</button>
</form>
${
  records.length === 0
    ? html`<p class="notice">No pipelines${filter.repo || filter.ref || filter.state ? ' match this filter' : ' yet'}.</p>`
    : html`${total > records.length ? html`<p class="notice">The newest ${records.length} of ${total} pipelines: filter by repository, ref or state to see the others.</p>` : ''}<div class="scroll"><table>
<thead><tr><th>repository</th><th>ref</th><th>commit</th><th>trigger</th><th>who</th><th>state</th><th>duration</th><th>created</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
}`,
  );
}

function installLine(repo: PipelineRecord['repos'][number]): string {
  return repo.family === 'deb'
    ? `sudo curl -fsSL -o /etc/apt/sources.list.d/${repo.repo}.sources ${repo.repoFile} && sudo apt-get update`
    : `sudo curl -fsSL -o /etc/yum.repos.d/${repo.repo}.repo ${repo.repoFile} && sudo dnf install PACKAGE`;
}

function gridTable(record: PipelineRecord): Html {
  const jobs = new Map(record.jobs.map((j) => [j.id, j]));
  const builds = record.jobs.filter((j) => j.stage === 'build');
  const tests = record.jobs.filter((j) => j.stage === 'test');
  const matrixOf = (j: JobRecord) => j.matrix ?? (j.arch === null ? {} : { arch: j.arch });
  // A test job tests the build of the same combination (job ids are stage + matrix values).
  const testOf = (b: JobRecord) =>
    tests.find((t) => JSON.stringify(matrixOf(t)) === JSON.stringify(matrixOf(b)))?.id ?? null;
  const grid = matrixGrid(builds.map((b) => ({ id: b.id, matrix: matrixOf(b), test: testOf(b) })));
  const header = [...grid.keys, ...(grid.hasArch ? grid.columns : ['build · test'])];
  const rows = grid.rows.map((row) => {
    const keyCells = grid.keys.map((k) => html`<th scope="row">${row.values[k] ?? '—'}</th>`);
    const cells = grid.columns.map((column) => {
      const inCell = row.cells.get(column) ?? [];
      if (inCell.length === 0) return html`<td class="none">—</td>`;
      return html`<td>${inCell.map(
        (c) =>
          html`${jobLink(record, jobs.get(c.build)!, 'build')}${c.test === null ? '' : jobLink(record, jobs.get(c.test)!, 'test')}`,
      )}</td>`;
    });
    return html`<tr>${keyCells}${cells}</tr>`;
  });
  return html`<div class="scroll"><table class="grid">
<thead><tr>${header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

export function pipelinePage(
  record: PipelineRecord,
  now: number,
  /** `said`: what a command from this page answered; `commandsAs`: the signed-in user who may command. */
  extra: { said?: string | null; commandsAs?: string | undefined } = {},
): string {
  const later = record.jobs.filter((j) => j.stage === 'sign' || j.stage === 'publish');
  const signers = record.jobs.filter((j) => j.signedBy !== undefined);
  const runners = [...new Set(record.jobs.flatMap((j) => j.attempts.map((a) => a.runner)))];
  const live = !finished(record);
  return page(
    {
      title: `${record.source.repository} ${shortRef(record.trigger.ref)}`,
      ...(live ? { events: `/pipelines/${record.id}/events` } : {}),
    },
    html`<h1>${record.source.repository} · ${record.trigger.event} <code>${shortRef(record.trigger.ref)}</code> · <span data-result class="state state-${record.result}">${record.result}</span></h1>
${extra.said ? html`<p class="notice" role="status">${extra.said}</p>` : ''}
${record.reason ? html`<p class="notice">${record.reason}</p>` : ''}
<p id="finished" class="notice" hidden>The pipeline has ended: <a href="/pipelines/${record.id}">reload</a> for its published repositories.</p>
<h2>Builds and tests</h2>
${record.jobs.some((j) => j.stage === 'build') ? gridTable(record) : html`<p class="muted">No build jobs (yet).</p>`}
${later.length > 0 ? html`<h2>Sign and publish</h2><ul>${later.map((j) => html`<li>${jobLink(record, j, j.name)}${j.reason && j.state !== 'success' ? html` <span class="muted">${j.reason}</span>` : ''}</li>`)}</ul>` : ''}
${
  record.repos.length > 0
    ? html`<h2>Published repositories</h2>${record.repos.map(
        (r) =>
          html`<p><strong>${r.repo}</strong> (${r.family}): <a href="${r.url}">${r.url}</a></p><pre class="mono">${installLine(r)}</pre>`,
      )}`
    : ''
}
${
  extra.commandsAs !== undefined
    ? html`<h2>Commands</h2>
<form method="post" action="/pipelines/${record.id}/commands" class="commands">
<button type="submit" name="command" value="rebuild">Rebuild</button>
<button type="submit" name="command" value="retry-failed">Retry failed jobs</button>
<button type="submit" name="command" value="cancel">Cancel</button>
</form>
<p class="muted">As ${extra.commandsAs}, with write access: the same as <code>/albs rebuild</code>, <code>/albs retry-failed</code> and <code>/albs cancel</code> in a comment.</p>`
    : ''
}
<h2>Provenance</h2>
<dl class="facts">
<dt>repository</dt><dd>${record.source.repository}${record.source.private ? ' (private)' : ''}</dd>
<dt>ref</dt><dd><code>${record.source.ref}</code></dd>
<dt>commit</dt><dd>${sha(record)}</dd>
<dt>trigger</dt><dd>${record.source.forge} ${record.source.event}</dd>
<dt>who</dt><dd>${record.source.sender}</dd>
<dt>delivery</dt><dd>${record.source.deliveryId ?? '—'}</dd>
${record.source.pullRequest ? html`<dt>pull request</dt><dd>#${record.source.pullRequest.number} into <code>${record.source.pullRequest.baseRef}</code> (config from ${record.source.pullRequest.baseSha.slice(0, 10)})</dd>` : ''}
${record.source.rebuildOf ? html`<dt>rebuild of</dt><dd><a href="/pipelines/${record.source.rebuildOf}">${record.source.rebuildOf}</a></dd>` : ''}
${(record.retries ?? []).map((r) => html`<dt>attempt ${r.attempt}</dt><dd>retried by ${r.requestedBy} at ${r.at}${r.deliveryId ? ` (delivery ${r.deliveryId})` : ''}</dd>`)}
<dt>signed by</dt><dd>${signers.length === 0 ? '—' : signers.map((j) => html`<span class="mono">${j.signedBy!.key} ${j.signedBy!.fingerprint}</span> (${j.name})<br>`)}</dd>
<dt>runners</dt><dd>${runners.length === 0 ? '—' : runners.join(', ')}</dd>
<dt>created</dt><dd>${record.createdAt}</dd>
<dt>duration</dt><dd data-took>${pipelineDuration(record, now) || '—'}</dd>
<dt>record</dt><dd><a href="/api/v1/pipelines/${record.id}">JSON</a></dd>
</dl>`,
  );
}

export interface LogView {
  /** The rendered (escaped) log text shown, from byte `from` to byte `to` of the file. */
  html: string;
  from: number;
  to: number;
  size: number;
  /** Bytes a page holds. */
  pageBytes: number;
}

export interface ArtifactView {
  name: string;
  size: number;
  sha256: string;
}

export function jobPage(
  record: PipelineRecord,
  job: JobRecord,
  log: LogView | undefined,
  artifacts: ArtifactView[],
  tail: boolean,
): string {
  const base = `/pipelines/${record.id}/jobs/${job.id}`;
  // Followed while the job may still write: the end of its log is shown and it has not ended.
  const live = tail && !finished(record) && (LIVE.has(job.state) || job.state === 'pending');
  const earlier = log && log.from > 0 ? Math.max(0, log.from - log.pageBytes) : undefined;
  return page(
    {
      title: `${job.name} · ${record.source.repository}`,
      ...(live ? { events: `${base}/events` } : {}),
    },
    html`<p><a href="/pipelines/${record.id}">← ${record.source.repository} · ${shortRef(record.trigger.ref)}</a></p>
<h1 data-job="${job.id}" data-state="${job.state}">${job.name} · <span class="state state-${job.state}">${job.state}</span> <span class="took">${took(job)}</span></h1>
${job.reason ? html`<p class="notice">${job.reason}</p>` : ''}
${job.signedBy ? html`<p>Signed with key <strong>${job.signedBy.key}</strong> <span class="mono">${job.signedBy.fingerprint}</span></p>` : ''}
<h2>Log</h2>
<div class="log-tools">
<a href="/api/v1/pipelines/${record.id}/jobs/${job.id}/log">raw text</a>
${log ? html`<span class="muted">bytes ${log.from}–${log.to} of ${log.size}</span>` : ''}
${earlier !== undefined ? html`<a href="${base}?from=${earlier}">earlier output</a>` : ''}
${!tail && log ? html`<a href="${base}?from=${log.to}">later output</a> <a href="${base}">the end</a>` : ''}
${live ? html`<label hidden><input type="checkbox" id="follow" checked> follow</label>` : ''}
</div>
${
  log || live
    ? html`<pre class="log"${live ? html` data-live data-offset="${log?.to ?? 0}"` : ''}>${trusted(log?.html ?? '')}</pre>`
    : html`<p class="muted">No log (yet).</p>`
}
<h2>Artifacts</h2>
${
  artifacts.length === 0
    ? html`<p class="muted">None.</p>`
    : html`<div class="scroll"><table><thead><tr><th>file</th><th>size</th><th>sha256</th></tr></thead><tbody>${artifacts.map(
        (a) =>
          html`<tr><td><a href="${base}/artifacts/${encodeURIComponent(a.name)}" download>${a.name}</a></td><td>${a.size.toLocaleString('en')} B</td><td class="mono">${a.sha256}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Attempts</h2>
${
  job.attempts.length === 0
    ? html`<p class="muted">Not started.</p>`
    : html`<div class="scroll"><table><thead><tr><th>attempt</th><th>runner</th><th>start</th><th>end</th><th>outcome</th></tr></thead><tbody>${job.attempts.map(
        (a) =>
          html`<tr><td>${a.attempt ?? 1}</td><td>${a.runner}</td><td>${a.startedAt}</td><td>${a.finishedAt ?? '—'}</td><td>${a.outcome === null ? '—' : html`<span class="state state-${a.outcome}">${a.outcome}</span>`}</td></tr>`,
      )}</tbody></table></div>`
}`,
  );
}

const FORGE_NAMES: Record<string, string> = { gitea: 'Gitea', github: 'GitHub' };

/** `forges`: those sign-in is configured for; `signedIn`: who is signed in now, when someone is. */
export function signInPage(
  next: string,
  forges: readonly string[],
  signedIn?: { forge: string; login: string },
  problem?: string,
): string {
  return page(
    { title: 'Sign in' },
    html`<h1>Sign in</h1>
${problem ? html`<p class="notice">Sign-in failed: ${problem}</p>` : ''}
${signedIn ? html`<p>Signed in on ${FORGE_NAMES[signedIn.forge] ?? signedIn.forge} as <strong>${signedIn.login}</strong>; a private repository's pages are shown when ${FORGE_NAMES[signedIn.forge] ?? signedIn.forge} lets you read it. <a href="/sign-out">Sign out</a></p>` : ''}
${
  forges.length > 0
    ? html`<p>Private repositories' pipelines are shown to those their forge lets read them.</p><ul>${forges.map(
        (forge) =>
          html`<li><a href="/sign-in/${forge}?next=${encodeURIComponent(next)}">Sign in with ${FORGE_NAMES[forge] ?? forge}</a></li>`,
      )}</ul>`
    : html`<p class="notice">This page belongs to a private repository, and sign-in is not configured on this server: the operator adds <code>oauth:</code> and <code>session-secret-file:</code> to its config. The API still answers holders of a read token (<code>Authorization: Bearer TOKEN</code>).</p>`
}
<p><a href="/pipelines">All pipelines you may see</a></p>`,
  );
}

export function notFoundPage(what: string): string {
  return page(
    { title: 'Not found' },
    html`<h1>Not found</h1><p>${what}</p><p><a href="/pipelines">Pipelines</a></p>`,
  );
}
