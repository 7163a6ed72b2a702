/**
 * The pages' style sheet and their one script, served as files (/assets/albs.css,
 * /assets/pipeline.js): the Content-Security-Policy allows no inline style or script.
 * No build step: they are written as they are sent.
 */

const ANSI = ['#000', '#c33', '#393', '#b80', '#36c', '#a3a', '#299', '#bbb'];
const ANSI_BRIGHT = ['#666', '#f55', '#5c5', '#eb3', '#68f', '#d6d', '#4cc', '#fff'];

export const CSS = `:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #5b6470; --line: #d8dde3;
  --panel: #f5f7f9; --link: #0b5cad; --ok: #1a7f37; --bad: #c62828; --warn: #9a6700; --run: #0969da; --log-bg: #0f1419; --log-fg: #e6e6e6; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9aa4af; --line: #30363d;
  --panel: #161b22; --link: #58a6ff; --ok: #3fb950; --bad: #f85149; --warn: #d29922; --run: #58a6ff; --log-bg: #010409; --log-fg: #e6edf3; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
header.top { display: flex; gap: 1rem; align-items: baseline; padding: .6rem 1rem; border-bottom: 1px solid var(--line); background: var(--panel); flex-wrap: wrap; }
header.top a.brand { font-weight: 700; color: var(--fg); text-decoration: none; }
main { padding: 1rem; max-width: 80rem; margin: 0 auto; }
a { color: var(--link); }
h1 { font-size: 1.3rem; margin: .2rem 0 .8rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.muted { color: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.none { color: var(--muted); text-align: center; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.job { display: block; white-space: nowrap; }
.state { font-weight: 600; }
.state-success, .state-excluded { color: var(--ok); }
.state-failure, .state-error { color: var(--bad); }
.state-cancelled, .state-skipped { color: var(--warn); }
.state-running, .state-queued, .state-pending { color: var(--run); }
.state-running::before { content: "● "; }
form.filter { display: flex; gap: .5rem; flex-wrap: wrap; margin-bottom: 1rem; align-items: end; }
form.filter label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
input, select, button { font: inherit; padding: .25rem .4rem; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; }
pre.log { background: var(--log-bg); color: var(--log-fg); padding: .7rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 75vh; overflow-y: auto; margin: .5rem 0; }
.log-tools { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; }
.notice { padding: .6rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
.ansi-bold { font-weight: 700; }
${ANSI.map((c, i) => `.ansi-fg-${i} { color: ${c}; } .ansi-bg-${i} { background: ${c}; }`).join('\n')}
${ANSI_BRIGHT.map((c, i) => `.ansi-fg-${i + 8} { color: ${c}; } .ansi-bg-${i + 8} { background: ${c}; }`).join('\n')}
@media (max-width: 40rem) { main { padding: .6rem; } body { font-size: 14px; } th, td { padding: .25rem .35rem; } }
`;

/**
 * The live parts. A pipeline page (body[data-events]) listens to the pipeline's events and changes
 * each job's state and duration where it is shown ([data-job]); a job page also appends the log
 * pieces the server sends (already escaped HTML) to pre.log, scrolling with it while "follow" is on.
 */
export const SCRIPT = `'use strict';
(function () {
  var body = document.body;
  var url = body.getAttribute('data-events');
  if (!url || typeof EventSource === 'undefined') return;
  var log = document.querySelector('pre.log[data-live]');
  var follow = document.getElementById('follow');
  var tools = document.querySelector('.log-tools [hidden]');
  if (tools) tools.hidden = false;
  var following = function () { return follow ? follow.checked : false; };
  var bottom = function () { if (log && following()) log.scrollTop = log.scrollHeight; };
  bottom();
  if (follow) follow.addEventListener('change', bottom);
  var offset = log ? log.getAttribute('data-offset') : null;
  var source = new EventSource(url + (offset !== null ? '?offset=' + encodeURIComponent(offset) : ''));
  source.addEventListener('record', function (event) {
    var record = JSON.parse(event.data);
    var result = document.querySelector('[data-result]');
    if (result) { result.textContent = record.result; result.className = 'state state-' + record.result; }
    var tookAll = document.querySelector('[data-took]');
    if (tookAll && record.took) tookAll.textContent = record.took;
    record.jobs.forEach(function (job) {
      document.querySelectorAll('[data-job="' + CSS.escape(job.id) + '"]').forEach(function (el) {
        var state = el.querySelector('.state');
        if (state) { state.textContent = job.state; state.className = 'state state-' + job.state; }
        var took = el.querySelector('.took');
        if (took) took.textContent = job.took;
        el.setAttribute('data-state', job.state);
      });
    });
    if (record.finished) {
      var done = document.getElementById('finished');
      if (done) done.hidden = false;
    }
  });
  source.addEventListener('log', function (event) {
    if (!log) return;
    log.insertAdjacentHTML('beforeend', JSON.parse(event.data));
    bottom();
  });
  source.addEventListener('end', function () { source.close(); });
})();
`;
