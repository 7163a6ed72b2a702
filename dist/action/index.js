import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  SECRETS_FD,
  SECRETS_FD_ENV
} from "./chunk-7OBVP2X3.js";
import {
  buildPlan,
  findConfig,
  loadConfig,
  readConfigText,
  shortRef,
  valueText
} from "./chunk-EBV2RSXI.js";
import {
  EVENT_KINDS,
  scrubStartupEnvironment
} from "./chunk-VUV5CFER.js";
import "./chunk-FXWFLUK2.js";

// src/action/index.ts
import { fileURLToPath } from "node:url";

// src/action/config-file.ts
import { isAbsolute, join, relative, resolve } from "node:path";

// src/action/inputs.ts
var INPUTS = {
  mode: { default: "run", modes: ["run", "submit"] },
  path: { default: ".", modes: ["run", "submit"] },
  event: { default: "", modes: ["run", "submit"] },
  ref: { default: "", modes: ["run", "submit"] },
  arch: { default: "", modes: ["run"] },
  "signing-key": { default: "", modes: ["run"], secret: true },
  passphrase: { default: "", modes: ["run"], secret: true },
  keep: { default: "3", modes: ["run"] },
  // action.yml's default is ${{ runner.temp }}/albs-out; the code falls back to $RUNNER_TEMP/albs-out.
  out: { default: "", modes: ["run"] },
  "server-url": { default: "", modes: ["submit"] },
  token: { default: "", modes: ["submit"], secret: true },
  srpm: { default: "", modes: ["submit"] },
  sha256: { default: "", modes: ["submit"] },
  wait: { default: "true", modes: ["submit"] }
};
function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
function readInput(env, name) {
  return (env[inputVariable(name)] ?? "").trim();
}
var InputError = class extends Error {
  name = "InputError";
};

// src/action/config-file.ts
async function readPackageConfig(workspace, path, workflow) {
  const dir = resolve(workspace, path);
  let text;
  let file;
  try {
    const found = await findConfig(dir);
    text = await readConfigText(found.file);
    const inside = relative(workspace, found.file);
    file = inside.startsWith("..") || isAbsolute(inside) ? found.file : inside;
  } catch (error) {
    throw new InputError(
      `input path is "${path}" (${dir}): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error }
    );
  }
  const loaded = loadConfig(text, file);
  for (const problem of loaded.problems) {
    workflow.annotate(problem.severity, problem.message, {
      title: `${file}: ${problem.severity === "error" ? "invalid" : "warning"}`,
      file,
      line: problem.line,
      col: problem.col
    });
  }
  return {
    dir,
    file,
    config: loaded.config,
    errors: loaded.problems.filter((p) => p.severity === "error").length
  };
}
function defaultOut(env, workspace) {
  return env.RUNNER_TEMP ? join(env.RUNNER_TEMP, "albs-out") : join(workspace, ".albs", "out");
}

// src/action/run-mode.ts
import { spawn as spawn2 } from "node:child_process";
import { existsSync, readFileSync as readFileSync3, rmSync } from "node:fs";
import { machine } from "node:os";
import { join as join3, resolve as resolve2 } from "node:path";

// src/action/host-setup.ts
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join as join2 } from "node:path";

// src/pipeline/duration.ts
function duration(ms) {
  if (ms < 1e4) return `${(ms / 1e3).toFixed(1)} s`;
  const s = Math.round(ms / 1e3);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

// src/pipeline/grid.ts
function matrixGrid(builds, axes = []) {
  const archAxis = axes.find((a) => a.key === "arch");
  const hasArch = archAxis !== void 0 || builds.some((b) => b.matrix.arch !== void 0);
  const keys = [
    .../* @__PURE__ */ new Set([
      ...axes.map((a) => a.key).filter((k) => k !== "arch"),
      ...builds.flatMap((b) => Object.keys(b.matrix).filter((k) => k !== "arch"))
    ])
  ];
  const arches = hasArch ? [.../* @__PURE__ */ new Set([...(archAxis?.values ?? []).map(valueText), ...archOrder(builds, keys)])] : [];
  const rows = /* @__PURE__ */ new Map();
  for (const build of builds) {
    const values = Object.fromEntries(
      keys.map((k) => [k, build.matrix[k] === void 0 ? void 0 : valueText(build.matrix[k])])
    );
    const rowKey = JSON.stringify(keys.map((k) => values[k] ?? null));
    let row = rows.get(rowKey);
    if (!row) {
      row = { values, cells: /* @__PURE__ */ new Map() };
      rows.set(rowKey, row);
    }
    const column = hasArch ? valueText(build.matrix.arch) : "";
    row.cells.set(column, [...row.cells.get(column) ?? [], { build: build.id, test: build.test }]);
  }
  return { keys, hasArch, columns: hasArch ? arches : [""], rows: [...rows.values()] };
}
function archOrder(builds, keys) {
  const seen = [];
  const before = /* @__PURE__ */ new Map();
  const lastInRow = /* @__PURE__ */ new Map();
  for (const build of builds) {
    if (build.matrix.arch === void 0) continue;
    const arch = valueText(build.matrix.arch);
    if (!seen.includes(arch)) seen.push(arch);
    if (!before.has(arch)) before.set(arch, /* @__PURE__ */ new Set());
    const row = JSON.stringify(keys.map((k) => valueText(build.matrix[k])));
    const previous = lastInRow.get(row);
    if (previous !== void 0 && previous !== arch) before.get(arch).add(previous);
    lastInRow.set(row, arch);
  }
  const order = [];
  while (order.length < seen.length) {
    const next = seen.find((a) => !order.includes(a) && [...before.get(a)].every((b) => order.includes(b))) ?? seen.find((a) => !order.includes(a));
    order.push(next);
  }
  return order;
}

// src/action/job-summary.ts
var ICONS = {
  success: "\u2705",
  failure: "\u274C",
  error: "\u2757",
  cancelled: "\u23F9\uFE0F",
  skipped: "\u23ED\uFE0F",
  excluded: "\u2796",
  pending: "\u23F3",
  queued: "\u23F3",
  running: "\u{1F504}"
};
function cellLine(stage, outcome) {
  if (!outcome) return `${stage} \u2014`;
  const took = outcome.durationMs === null ? "" : ` ${duration(outcome.durationMs)}`;
  return `${ICONS[outcome.state] ?? ""} ${stage} ${outcome.state}${took}`.trim();
}
function cell(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
function matrixGrid2(plan, matrix, outcomes) {
  const testOf = new Map(plan.jobs.flatMap((j) => j.stage === "test" ? [[j.build, j.id]] : []));
  const builds = plan.jobs.filter((j) => j.stage === "build").map((b) => ({ id: b.id, matrix: b.matrix, test: testOf.get(b.id) ?? null }));
  const grid = matrixGrid(builds, matrix.axes);
  const header = [...grid.keys, ...grid.hasArch ? grid.columns : ["build \xB7 test"]];
  const out = [`| ${header.map(cell).join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of grid.rows) {
    const keyCells = grid.keys.map((k) => row.values[k] ?? "\u2014");
    const archCells = grid.columns.map((c) => {
      const lines2 = (row.cells.get(c) ?? []).flatMap((b) => [
        cellLine("build", outcomes[b.build]),
        ...b.test === null ? [] : [cellLine("test", outcomes[b.test])]
      ]);
      return lines2.length === 0 ? "\u2014" : lines2.join("<br>");
    });
    out.push(`| ${[...keyCells, ...archCells].map(cell).join(" | ")} |`);
  }
  return out.join("\n");
}
function installLine(repo) {
  return repo.family === "deb" ? `sudo cp ${repo.repoFile} /etc/apt/sources.list.d/ && sudo apt-get update && sudo apt-get install PACKAGE` : `sudo cp ${repo.repoFile} /etc/yum.repos.d/ && sudo dnf install PACKAGE`;
}
function summaryMarkdown(input) {
  const { plan, outcomes } = input;
  const parts = [`## ${input.title}: ${ICONS[input.result] ?? ""} ${input.result}`.trimEnd(), ""];
  parts.push(`${plan.trigger.event} \`${plan.trigger.ref}\``, "");
  parts.push(matrixGrid2(plan, input.matrix, outcomes), "");
  const repoJobs = plan.jobs.filter((j) => j.stage === "sign" || j.stage === "publish");
  if (repoJobs.length > 0) {
    parts.push(repoJobs.map((j) => `- ${cellLine(j.name, outcomes[j.id])}`).join("\n"), "");
  }
  const failed = plan.jobs.filter((j) => outcomes[j.id]?.state === "failure" && outcomes[j.id]?.reason);
  for (const job of failed) parts.push(`- **${job.name}** failed: ${outcomes[job.id].reason}`);
  for (const note of input.notes) parts.push(`- ${note}`);
  if (failed.length > 0 || input.notes.length > 0) parts.push("");
  if (input.repos.length > 0) {
    parts.push("### Published repositories", "");
    for (const repo of input.repos) {
      parts.push(
        `- **${repo.repo}**: \`${repo.location}\``,
        "",
        "  ```sh",
        `  ${installLine(repo)}`,
        "  ```"
      );
    }
    parts.push("");
  }
  return parts.join("\n");
}

// src/action/host-setup.ts
var USERNS_SYSCTL = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";
var HostSetupError = class extends Error {
  name = "HostSetupError";
};
function run(file, args, workflow, show) {
  return new Promise((resolve4) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk) => {
      const text = chunk.toString("utf8");
      output += text;
      if (show) workflow.untrusted(text);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (error) => resolve4({ code: 127, output: `${output}${error.message}
` }));
    child.on("close", (code) => resolve4({ code: code ?? 1, output }));
  });
}
function asRoot(euid, file, args) {
  return euid === 0 ? [file, args] : ["sudo", ["-n", file, ...args]];
}
async function ensureTools(actionRoot, workflow, euid) {
  const script = join2(actionRoot, "scripts", "setup");
  const check = await run("bash", [script, "--check"], workflow, false);
  if (check.code === 0) {
    workflow.line(`albs-ci: ${check.output.trim().split("\n").pop()}`);
    return;
  }
  workflow.group("Installing albs-ci's tools with scripts/setup (some are missing)");
  const started = performance.now();
  workflow.untrusted(check.output);
  const [file, args] = asRoot(euid, "bash", [script]);
  const install = await run(file, args, workflow, true);
  workflow.line(`scripts/setup exited ${install.code} after ${duration(performance.now() - started)}`);
  workflow.endGroup();
  if (install.code !== 0) {
    throw new HostSetupError(
      `scripts/setup could not install the tools albs-ci needs (exit ${install.code}; its output is in the log group above): run the job on ubuntu-latest, where sudo needs no password, or install them in an earlier step`
    );
  }
}
function usernsRestricted(euid, sysctlFile = USERNS_SYSCTL) {
  if (euid === 0) return false;
  try {
    return readFileSync(sysctlFile, "utf8").trim() === "1";
  } catch {
    return false;
  }
}
async function allowUserNamespaces(workflow, euid, sysctlFile = USERNS_SYSCTL) {
  if (!usernsRestricted(euid, sysctlFile)) return;
  workflow.group(
    "Allowing unprivileged user namespaces for the bubblewrap sandbox: Ubuntu's AppArmor restricts them (kernel.apparmor_restrict_unprivileged_userns=1)"
  );
  const started = performance.now();
  workflow.line("+ sudo -n sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
  const done = await run(
    "sudo",
    ["-n", "sysctl", "-w", "kernel.apparmor_restrict_unprivileged_userns=0"],
    workflow,
    true
  );
  workflow.line(`took ${duration(performance.now() - started)}`);
  workflow.endGroup();
  if (done.code !== 0) {
    throw new HostSetupError(
      `bubblewrap needs unprivileged user namespaces, which this host's AppArmor restricts, and sudo could not lift that (exit ${done.code}): on a self-hosted runner run \`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\` once (or run the job as root)`
    );
  }
}

// src/action/workflow-event.ts
import { readFileSync as readFileSync2 } from "node:fs";
function readWorkflowContext(env) {
  let payload = {};
  const path = env.GITHUB_EVENT_PATH;
  if (path) {
    try {
      payload = JSON.parse(readFileSync2(path, "utf8"));
    } catch (error) {
      throw new InputError(
        `GITHUB_EVENT_PATH ${path}: cannot read the event's payload (${error instanceof Error ? error.message : String(error)}); the runner sets it: run the action as a step of a workflow job`,
        { cause: error }
      );
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? "",
    ref: env.GITHUB_REF ?? "",
    headRef: env.GITHUB_HEAD_REF ?? "",
    sha: env.GITHUB_SHA ?? "",
    payload,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    repository: env.GITHUB_REPOSITORY ?? "",
    serverUrl: env.GITHUB_SERVER_URL || "https://github.com"
  };
}
function field(value, ...path) {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return void 0;
    at = at[key];
  }
  return typeof at === "string" && at !== "" ? at : void 0;
}
function eventTrigger(context) {
  const { eventName, ref, payload } = context;
  if (eventName === "pull_request" || eventName === "pull_request_target") {
    const head = field(payload, "pull_request", "head", "ref") ?? (context.headRef || void 0);
    return head ? { event: "pull_request", ref: head } : void 0;
  }
  if (eventName === "release") {
    const tag = field(payload, "release", "tag_name") ?? (ref.startsWith("refs/tags/") ? shortRef(ref) : "");
    return tag ? { event: "tag", ref: tag } : void 0;
  }
  if (ref.startsWith("refs/tags/")) return { event: "tag", ref: shortRef(ref) };
  if (ref.startsWith("refs/heads/")) return { event: "branch", ref: shortRef(ref) };
  if (ref.startsWith("refs/pull/") && context.headRef) return { event: "pull_request", ref: context.headRef };
  return void 0;
}
function workflowTrigger(context, eventInput, refInput) {
  if (eventInput !== "" && !EVENT_KINDS.includes(eventInput)) {
    throw new InputError(
      `input event is "${eventInput}"; give ${EVENT_KINDS.join(", ")}, or leave it out to take the workflow's event (${context.eventName || "none"})`
    );
  }
  const fromWorkflow = eventTrigger(context);
  const what = `the workflow's event (${context.eventName || "GITHUB_EVENT_NAME unset"}${context.ref ? `, ${context.ref}` : ""})`;
  if (refInput !== "") {
    const event = eventInput || (refInput.startsWith("refs/tags/") ? "tag" : refInput.startsWith("refs/heads/") ? "branch" : fromWorkflow?.event ?? "branch");
    return { event, ref: shortRef(refInput) };
  }
  if (fromWorkflow === void 0) {
    throw new InputError(
      `${what} names no tag, branch or pull request: give the inputs event and ref (e.g. event: branch, ref: main)`
    );
  }
  if (eventInput === "" || eventInput === fromWorkflow.event || eventInput === "pull_request") {
    return { event: eventInput || fromWorkflow.event, ref: fromWorkflow.ref };
  }
  throw new InputError(
    `input event is ${eventInput}, but ${what} is a ${fromWorkflow.event} (${fromWorkflow.ref}): give the input ref too, the ${eventInput} to build`
  );
}

// src/action/run-mode.ts
var CHILD_ENV = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ"];
function keepInput(env) {
  const keep = readInput(env, "keep") || "3";
  if (!/^[1-9][0-9]*$/.test(keep))
    throw new InputError(`input keep is "${keep}"; give a whole number of 1 or more`);
  return keep;
}
function archInput(env) {
  return readInput(env, "arch").split(/[\s,]+/).filter((a) => a !== "");
}
async function runMode(options) {
  const { env, workflow } = options;
  const context = readWorkflowContext(env);
  const trigger = workflowTrigger(context, readInput(env, "event"), readInput(env, "ref"));
  const keep = keepInput(env);
  const arches = archInput(env);
  const given = readInput(env, "out");
  const out = resolve2(
    context.workspace,
    given && !given.includes("${{") ? given : defaultOut(env, context.workspace)
  );
  const key = readInput(env, "signing-key");
  const passphrase = readInput(env, "passphrase");
  if (passphrase !== "" && key === "") {
    throw new InputError(
      "input passphrase is set but signing-key is not: give the key it unlocks as signing-key"
    );
  }
  options.setOutputs({ out });
  const pkg = await readPackageConfig(context.workspace, readInput(env, "path") || ".", workflow);
  if (pkg.config === null) {
    throw new InputError(
      `${pkg.file} is invalid: ${pkg.errors} error${pkg.errors === 1 ? "" : "s"}, each annotated at its line; \`albs validate\` shows the same`
    );
  }
  const plan = buildPlan(pkg.config, trigger);
  workflow.line(`albs-ci: ${trigger.event} ${trigger.ref}: ${plan.jobs.length} jobs`);
  if (plan.skipped) {
    workflow.annotate("notice", `${trigger.event} ${trigger.ref}: no pipeline: ${plan.skipped.reason}`, {
      title: "albs-ci"
    });
    options.setOutputs({ status: "success", "pipeline-id": "", repos: "{}", packages: "[]" });
    return true;
  }
  const signs = plan.jobs.some((j) => j.stage === "sign");
  if (signs && key === "") {
    workflow.annotate(
      "warning",
      `no signing-key given: the packages are signed with a THROWAWAY key made in ${join3(out, "keys")}, fine for a try, not for users; give the armored private key from a secret as signing-key`,
      { title: "albs-ci: throwaway signing key" }
    );
  }
  await ensureTools(options.actionRoot, workflow, options.euid);
  await allowUserNamespaces(workflow, options.euid);
  const args = [
    join3(options.actionRoot, "dist", "action", "albs.js"),
    "run",
    pkg.dir,
    "--event",
    trigger.event,
    "--ref",
    trigger.ref,
    "--out",
    out,
    "--keep",
    keep,
    ...arches.length > 0 ? ["--arch", ...arches] : []
  ];
  rmSync(join3(out, "pipeline.json"), { force: true });
  workflow.line(`albs-ci: albs run ${args.slice(2).join(" ")}`);
  const secrets = signs && key !== "" ? { key, ...passphrase ? { passphrase } : {} } : {};
  const { code, stderr } = await runChild(args, options, secrets);
  const pipeline = readPipelineJson(out);
  if (!pipeline) {
    const said = stderr.trim().split("\n").filter(Boolean).pop() ?? `exit ${code}`;
    throw new InputError(`albs run could not start the pipeline: ${said}`);
  }
  logGroups(pipeline, out, workflow);
  for (const gap of pipeline.missing) {
    workflow.annotate(
      "warning",
      `no runner here has the labels [${gap.labels.join(", ")}]: skipped ${gap.jobs.join(", ")} (this runner is ${machine()}; run those arches on a runner of their own, or narrow the matrix with the arch input)`,
      { title: "albs-ci: jobs skipped" }
    );
  }
  const repos = Object.fromEntries(pipeline.repos.map((r) => [r.repo, join3(out, r.path)]));
  const packages = pipeline.jobs.filter((j) => j.stage === "build").flatMap((j) => j.artifacts.map((a) => join3(out, a)));
  const success = code === 0 && pipeline.result === "success";
  options.setOutputs({
    status: success ? "success" : "failure",
    "pipeline-id": pipeline.id ?? "",
    repos: JSON.stringify(repos),
    packages: JSON.stringify(packages)
  });
  workflow.summary(
    summaryMarkdown({
      title: "albs-ci",
      plan,
      matrix: pkg.config.matrix,
      outcomes: Object.fromEntries(pipeline.jobs.map((j) => [j.id, j])),
      result: success ? "success" : pipeline.result === "success" ? "failure" : pipeline.result,
      repos: pipeline.repos.map((r) => ({
        repo: r.repo,
        family: r.family,
        location: join3(out, r.path),
        repoFile: join3(out, r.repoFile)
      })),
      notes: [
        ...pipeline.missing.map(
          (g) => `no runner here for [${g.labels.join(", ")}]: skipped ${g.jobs.join(", ")}`
        ),
        ...signs && key === "" ? ["signed with a throwaway key: give signing-key for packages users can trust"] : []
      ]
    })
  );
  if (!success) {
    const failed = pipeline.jobs.filter((j) => j.state === "failure");
    throw new PipelineFailed(
      failed.length > 0 ? `the pipeline failed: ${failed.map((j) => `${j.name}: ${j.reason ?? "failed"}`).join("; ")}` : `the pipeline ended ${pipeline.result} (albs run exited ${code})`
    );
  }
  return true;
}
var PipelineFailed = class extends Error {
  name = "PipelineFailed";
};
function readPipelineJson(out) {
  const file = join3(out, "pipeline.json");
  if (!existsSync(file)) return void 0;
  return JSON.parse(readFileSync3(file, "utf8"));
}
function logGroups(pipeline, out, workflow) {
  for (const job of pipeline.jobs) {
    if (job.log === null) continue;
    const took = job.durationMs === null ? "" : ` in ${duration(job.durationMs)}`;
    workflow.group(`${job.name}: ${job.state}${took}`);
    const file = join3(out, job.log);
    workflow.untrusted(existsSync(file) ? readFileSync3(file, "utf8") : `(no log at ${file})
`);
    workflow.endGroup();
  }
}
function runChild(args, options, secrets) {
  const env = { [SECRETS_FD_ENV]: String(SECRETS_FD) };
  for (const name of CHILD_ENV) if (options.env[name] !== void 0) env[name] = options.env[name];
  const child = spawn2(process.execPath, args, {
    env,
    cwd: options.actionRoot,
    stdio: ["ignore", "pipe", "pipe", "pipe"]
  });
  const pipe = child.stdio[SECRETS_FD];
  pipe.on("error", () => void 0);
  pipe.end(JSON.stringify(secrets));
  const forward = (signal) => () => child.kill(signal);
  const stops = ["SIGINT", "SIGTERM"].map((s) => [s, forward(s)]);
  for (const [signal, handler] of stops) process.on(signal, handler);
  let stderr = "";
  lines(child.stdout, (text) => options.workflow.untrusted(text));
  lines(child.stderr, (text) => {
    stderr += text;
    options.workflow.untrusted(text);
  });
  return new Promise((resolve4) => {
    child.on("error", (error) => {
      stderr += `${error.message}
`;
    });
    child.on("close", (code, signal) => {
      for (const [s, handler] of stops) process.off(s, handler);
      resolve4({ code: code ?? (signal ? 128 : 1), stderr });
    });
  });
}
function lines(stream, take) {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    const text = rest + chunk;
    const end = text.lastIndexOf("\n");
    if (end === -1) {
      rest = text;
      return;
    }
    rest = text.slice(end + 1);
    take(text.slice(0, end + 1));
  });
  stream.on("end", () => {
    if (rest !== "") take(`${rest}
`);
  });
}

// src/action/submit-mode.ts
import { existsSync as existsSync2 } from "node:fs";
import { join as join4, resolve as resolve3 } from "node:path";
var MAX_MISSES = 60;
function serverInput(env) {
  const server = readInput(env, "server-url").replace(/\/+$/, "");
  if (server === "") {
    throw new InputError(
      "mode submit needs the input server-url: the albs-ci server's public URL (e.g. https://albs.example.org)"
    );
  }
  let url;
  try {
    url = new URL(server);
  } catch {
    throw new InputError(
      `input server-url is "${server}", which is not a URL; give e.g. https://albs.example.org`
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`input server-url is "${server}"; give an http(s) URL`);
  }
  return server;
}
function waitInput(env) {
  const wait = readInput(env, "wait") || "true";
  if (wait !== "true" && wait !== "false")
    throw new InputError(`input wait is "${wait}"; give true or false`);
  return wait === "true";
}
async function submitMode(options) {
  const { env, workflow } = options;
  const server = serverInput(env);
  const token = readInput(env, "token");
  if (token === "") {
    throw new InputError(
      "mode submit needs the input token: a submit token of the server's submit-tokens-file, from a secret (token: ${{ secrets.ALBS_TOKEN }})"
    );
  }
  const wait = waitInput(env);
  const context = readWorkflowContext(env);
  const srpm = readInput(env, "srpm");
  const sha256 = readInput(env, "sha256");
  let body;
  let plan;
  let matrix;
  if (srpm !== "") {
    if (!/^[0-9a-fA-F]{64}$/.test(sha256)) {
      throw new InputError(
        `input srpm needs sha256: the src.rpm's SHA-256, 64 hex digits (sha256sum FILE)${sha256 ? `; "${sha256}" is not one` : ""}`
      );
    }
    body = { srpm, sha256 };
  } else {
    if (sha256 !== "")
      throw new InputError("input sha256 is set but srpm is not: give the src.rpm link as srpm");
    const trigger = workflowTrigger(context, readInput(env, "event"), readInput(env, "ref"));
    if (trigger.event === "pull_request") {
      throw new InputError(
        "mode submit builds pushes and tags: the builds API takes a branch or a tag, and a pull request's commit submitted as a branch could be signed and published; use mode run for pull requests (it never signs or publishes them)"
      );
    }
    if (!context.repository || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(context.sha)) {
      throw new InputError(
        "GITHUB_REPOSITORY and GITHUB_SHA name no commit to submit: run the action in a workflow, or give srpm and sha256"
      );
    }
    const ref = `refs/${trigger.event === "tag" ? "tags" : "heads"}/${trigger.ref}`;
    body = { git: { url: `${context.serverUrl}/${context.repository}.git`, ref, sha: context.sha } };
    const path = readInput(env, "path") || ".";
    if (existsSync2(join4(resolve3(context.workspace, path), ".albs.yml"))) {
      const pkg = await readPackageConfig(context.workspace, path, workflow);
      if (pkg.config === null) {
        throw new InputError(
          `${pkg.file} is invalid: ${pkg.errors} error(s), each annotated at its line; nothing was submitted`
        );
      }
      plan = buildPlan(pkg.config, trigger);
      matrix = pkg.config.matrix;
    }
  }
  const answer = await call(server, "/api/v1/builds", token, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body)
  });
  if (answer.status !== 201 || !answer.json.id) {
    throw new InputError(
      `${server} refused the submission (HTTP ${answer.status}): ${answer.json.error ?? "no reason given"}`
    );
  }
  const id = answer.json.id;
  const url = answer.json.url ?? `${server}/api/v1/pipelines/${id}`;
  options.setOutputs({ "pipeline-id": id, "pipeline-url": url });
  workflow.line(`albs-ci: submitted to ${server}: pipeline ${id}: ${url}`);
  if (!wait) {
    options.setOutputs({ status: "success", repos: "{}", packages: "[]" });
    return;
  }
  const record = await follow(server, id, token, workflow, options.pollMs ?? 1e3);
  for (const job of record.jobs.filter((j) => j.log !== null)) {
    const log = await call(server, `/api/v1/pipelines/${id}/jobs/${job.id}/log`, token, {}, "text");
    const took = job.durationMs === null ? "" : ` in ${duration(job.durationMs)}`;
    workflow.group(`${job.name}: ${job.state}${took}`);
    workflow.untrusted(log.status === 200 ? log.text : `(no log: HTTP ${log.status})
`);
    workflow.endGroup();
  }
  const success = record.result === "success";
  options.setOutputs({
    status: success ? "success" : "failure",
    repos: JSON.stringify(Object.fromEntries(record.repos.map((r) => [r.repo, r.url]))),
    packages: "[]"
  });
  const outcomes = Object.fromEntries(record.jobs.map((j) => [j.id, j]));
  const repos = record.repos.map((r) => ({
    repo: r.repo,
    family: r.family,
    location: r.url,
    repoFile: r.repoFile
  }));
  const notes = [`[pipeline ${id}](${url})${record.reason ? `: ${record.reason}` : ""}`];
  if (plan && matrix && plan.jobs.length > 0 && plan.jobs.every((j) => outcomes[j.id])) {
    workflow.summary(
      summaryMarkdown({
        title: "albs-ci (submitted)",
        plan,
        matrix,
        outcomes,
        result: record.result,
        repos,
        notes
      })
    );
  } else {
    workflow.summary(
      jobList(record, url, repos.length > 0 ? repos.map((r) => `- **${r.repo}**: ${r.location}`) : [])
    );
  }
  if (!success) {
    const failed = record.jobs.filter((j) => j.state === "failure" || j.state === "error");
    throw new PipelineFailed(
      `pipeline ${id} on ${server} ended ${record.result}${record.reason ? `: ${record.reason}` : ""}${failed.length > 0 ? ` (${failed.map((j) => `${j.name}: ${j.reason ?? j.state}`).join("; ")})` : ""}`
    );
  }
}
function jobList(record, url, repos) {
  const rows = record.jobs.map(
    (j) => `| ${j.name} | ${j.state} | ${j.durationMs === null ? "\u2014" : duration(j.durationMs)} |`
  );
  return [
    `## albs-ci (submitted): ${record.result}`,
    "",
    `[pipeline ${record.id}](${url})${record.reason ? `: ${record.reason}` : ""}`,
    "",
    ...rows.length > 0 ? ["| job | state | duration |", "|---|---|---|", ...rows, ""] : [],
    ...repos.length > 0 ? ["### Published repositories", "", ...repos, ""] : []
  ].join("\n");
}
async function follow(server, id, token, workflow, pollMs) {
  workflow.group(`Pipeline ${id} on ${server}`);
  const seen = /* @__PURE__ */ new Map();
  let misses = 0;
  try {
    for (; ; ) {
      const got = await call(server, `/api/v1/pipelines/${id}`, token, {}).catch(
        (error) => {
          if (!(error instanceof ServerUnreachable) || ++misses >= MAX_MISSES) throw error;
          return void 0;
        }
      );
      if (got && (got.status === 401 || got.status === 404)) {
        throw new InputError(
          `${server} answers HTTP ${got.status} for pipeline ${id}: ${got.json.error ?? "no reason given"}`
        );
      }
      if (got?.status === 200) {
        misses = 0;
        const record = got.json;
        const changes = record.jobs.filter((j) => seen.get(j.id) !== j.state).map((j) => {
          seen.set(j.id, j.state);
          const took = j.durationMs === null ? "" : ` in ${duration(j.durationMs)}`;
          return `${j.id}: ${j.state}${took}${j.reason ? `: ${j.reason}` : ""}
`;
        });
        workflow.untrusted(changes.join(""));
        if (record.finishedAt !== null) {
          workflow.untrusted(`pipeline ${record.result}${record.reason ? `: ${record.reason}` : ""}
`);
          return record;
        }
      } else if (got && ++misses >= MAX_MISSES) {
        throw new InputError(
          `${server} answered HTTP ${got.status} ${MAX_MISSES} times in a row for pipeline ${id}`
        );
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    workflow.endGroup();
  }
}
var ServerUnreachable = class extends InputError {
  name = "ServerUnreachable";
};
async function call(server, path, token, init, as = "json") {
  let response;
  try {
    response = await fetch(`${server}${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3e4)
    });
  } catch (error) {
    const cause = error.cause;
    throw new ServerUnreachable(
      `cannot reach the albs-ci server at ${server} (${cause?.code ?? cause?.message ?? error.message}): check the input server-url, and that the server is up and reachable from this runner`,
      { cause: error }
    );
  }
  const text = await response.text();
  if (response.status === 401) {
    let reason = "";
    try {
      reason = JSON.parse(text).error ?? "";
    } catch {
    }
    throw new InputError(
      `${server} answered 401 Unauthorized${reason ? ` (${reason})` : ""}: the input token is not one of the server's submit tokens; check the secret it comes from and the server's submit-tokens-file`
    );
  }
  let json = {};
  if (as === "json") {
    try {
      json = JSON.parse(text);
    } catch {
    }
  }
  return { status: response.status, json, text };
}

// src/action/workflow-commands.ts
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
function escapeData(value) {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(value) {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function formatCommand(name, properties, message) {
  const props = Object.entries(properties).filter((entry) => entry[1] !== void 0 && entry[1] !== "").map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}
var Workflow = class {
  constructor(write, env) {
    this.write = write;
    this.env = env;
  }
  write;
  env;
  line(text) {
    this.write(`${text}
`);
  }
  annotate(level, message, properties = {}) {
    const { title, file, line, col } = properties;
    this.line(formatCommand(level, { title, file, line, col }, message));
  }
  /**
   * The runner replaces the value with *** in every later line of the log. An armored key is many
   * lines and the log is masked line by line: each line is registered as well as the whole.
   */
  mask(secret) {
    if (secret.trim() === "") return;
    this.line(formatCommand("add-mask", {}, secret));
    for (const part of secret.split(/\r?\n/).map((l) => l.trim())) {
      if (part.length >= 4 && part !== secret) this.line(formatCommand("add-mask", {}, part));
    }
  }
  group(title) {
    this.line(formatCommand("group", {}, title));
  }
  endGroup() {
    this.line("::endgroup::");
  }
  /**
   * Text the package's code may have written (build logs, test output): a line there that starts
   * with `::` must not become a workflow command (a forged annotation, a mask, a group), so the
   * runner is told to stop reading commands until a token no build can have seen.
   */
  untrusted(text) {
    if (text === "") return;
    const token = `albs-${randomUUID()}`;
    this.line(`::stop-commands::${token}`);
    this.write(text.endsWith("\n") ? text : `${text}
`);
    this.line(`::${token}::`);
  }
  /** Appends `name` to GITHUB_OUTPUT in the heredoc form that any value, multi-line too, survives. */
  setOutput(name, value) {
    const file = this.env.GITHUB_OUTPUT;
    if (!file) {
      this.line(`output ${name}=${value}`);
      return;
    }
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}
${value}
${delimiter}
`, "utf8");
  }
  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY); without one, nothing to write to. */
  summary(markdown) {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}
`, "utf8");
  }
};

// src/action/main.ts
var MODES = ["run", "submit"];
async function runAction(options) {
  const env = { ...options.env };
  const workflow = new Workflow(options.write, env);
  const set = /* @__PURE__ */ new Set();
  const setOutputs = (outputs) => {
    for (const [name, value] of Object.entries(outputs)) {
      if (value === void 0) continue;
      workflow.setOutput(name, value);
      set.add(name);
    }
  };
  hideSecrets(env, options.env, workflow);
  try {
    const mode = readInput(env, "mode") || "run";
    if (!MODES.includes(mode)) {
      throw new Error(`input mode is "${mode}"; give run (build here) or submit (send to an albs-ci server)`);
    }
    warnUnused(env, mode, workflow);
    if (mode === "run") await runMode({ ...options, env, workflow, setOutputs });
    else await submitMode({ env, workflow, setOutputs });
    return 0;
  } catch (error) {
    if (!set.has("status")) setOutputs({ status: "failure" });
    workflow.annotate("error", error instanceof Error ? error.message : String(error), { title: "albs-ci" });
    return 1;
  }
}
function hideSecrets(copy, own, workflow) {
  const names = Object.keys(INPUTS).filter((n) => "secret" in INPUTS[n]);
  for (const name of names) workflow.mask(readInput(copy, name));
  const present = names.map(inputVariable).filter((v) => own[v] !== void 0);
  for (const variable of present) delete own[variable];
  if (own !== process.env) return;
  try {
    scrubStartupEnvironment(present);
  } catch (error) {
    workflow.line(
      `::debug::the secret inputs could not be blanked in /proc/${process.pid}/environ (${error instanceof Error ? error.message : String(error)}); no build sees this process: they run in a pid namespace of their own`
    );
  }
}
function warnUnused(env, mode, workflow) {
  for (const name of Object.keys(INPUTS)) {
    const spec = INPUTS[name];
    if (spec.modes.includes(mode)) continue;
    const value = readInput(env, name);
    const given = name === "out" ? value !== defaultOut(env, env.GITHUB_WORKSPACE || process.cwd()) : value !== spec.default;
    if (value !== "" && given) {
      workflow.annotate(
        "warning",
        `input ${name} is for mode ${spec.modes.join(", ")}: ignored in mode ${mode}`,
        {
          title: "albs-ci"
        }
      );
    }
  }
}

// src/action/index.ts
process.exitCode = await runAction({
  env: process.env,
  write: (text) => process.stdout.write(text),
  // dist/action/index.js (and src/action/index.ts alike) is two levels below the action's root.
  actionRoot: fileURLToPath(new URL("../..", import.meta.url)),
  euid: process.geteuid?.() ?? 0
});
