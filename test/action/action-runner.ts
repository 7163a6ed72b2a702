/**
 * Runs the committed bundle as a GitHub runner runs it: `node dist/action/index.js` with INPUT_*
 * variables (names upper-cased, hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the
 * event's name and payload file, GITHUB_WORKSPACE, GITHUB_REF, GITHUB_SHA and RUNNER_TEMP.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from '../helpers/cli.js';

export const ACTION_MAIN = join(REPO_ROOT, 'dist', 'action', 'index.js');

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** RUNNER_TEMP: the default OUT is its albs-out. */
  runnerTemp: string;
}

export interface ActionRunOptions {
  inputs: Record<string, string>;
  eventName: string;
  payload: unknown;
  workspace: string;
  ref: string;
  sha: string;
  env?: Record<string, string>;
}

/** GITHUB_OUTPUT's heredoc form: NAME<<DELIMITER, the value's lines, DELIMITER. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const end = lines.indexOf(match[2]!, i + 1);
    outputs[match[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'albs-action-runner-'));
  const files = join(runnerTemp, '_runner_file_commands');
  mkdirSync(files);
  const output = join(files, 'set_output');
  const summary = join(files, 'step_summary');
  const event = join(runnerTemp, '_github_workflow', 'event.json');
  mkdirSync(join(runnerTemp, '_github_workflow'));
  writeFileSync(output, '');
  writeFileSync(summary, '');
  writeFileSync(event, JSON.stringify(options.payload));
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
  const result = await execa(process.execPath, [ACTION_MAIN], {
    cwd: options.workspace,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      ...inputs,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: event,
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_REF: options.ref,
      GITHUB_SHA: options.sha,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: runnerTemp,
      ...options.env,
    },
    reject: false,
    stdin: 'ignore',
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    outputs: parseOutputFile(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8'),
    runnerTemp,
  };
}

/** The workflow commands in the action's output that the runner obeys (outside stop-commands blocks). */
export function commands(stdout: string): string[] {
  const found: string[] = [];
  let stopped: string | undefined;
  for (const line of stdout.split('\n')) {
    if (stopped !== undefined) {
      if (line === `::${stopped}::`) stopped = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) stopped = stop[1];
    else if (line.startsWith('::')) found.push(line);
  }
  return found;
}
