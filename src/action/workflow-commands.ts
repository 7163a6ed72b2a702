/**
 * GitHub Actions' workflow commands and environment files, written by hand (the formats of
 * @actions/core, without its HTTP client and the rest): `::error file=F,line=L,col=C::MESSAGE`,
 * `::group::`, `::add-mask::`, `::stop-commands::`, and the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { OutputName } from './inputs.js';

/** A command's message: %, CR and LF escaped, as the runner unescapes them. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: also : and , escaped, which separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface AnnotationProperties {
  title?: string;
  /** Relative to GITHUB_WORKSPACE, so that the annotation shows on the file in a pull request's diff. */
  file?: string;
  line?: number;
  col?: number;
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** `::name k=v,k=v::message`. */
export function formatCommand(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** Where the action's commands go (its stdout, read by the runner) and the runner's files. */
export class Workflow {
  constructor(
    private readonly write: (text: string) => void,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  line(text: string): void {
    this.write(`${text}\n`);
  }

  annotate(level: AnnotationLevel, message: string, properties: AnnotationProperties = {}): void {
    const { title, file, line, col } = properties;
    this.line(formatCommand(level, { title, file, line, col }, message));
  }

  /**
   * The runner replaces the value with *** in every later line of the log. An armored key is many
   * lines and the log is masked line by line: each line is registered as well as the whole.
   */
  mask(secret: string): void {
    if (secret.trim() === '') return;
    this.line(formatCommand('add-mask', {}, secret));
    for (const part of secret.split(/\r?\n/).map((l) => l.trim())) {
      if (part.length >= 4 && part !== secret) this.line(formatCommand('add-mask', {}, part));
    }
  }

  group(title: string): void {
    this.line(formatCommand('group', {}, title));
  }

  endGroup(): void {
    this.line('::endgroup::');
  }

  /**
   * Text the package's code may have written (build logs, test output): a line there that starts
   * with `::` must not become a workflow command (a forged annotation, a mask, a group), so the
   * runner is told to stop reading commands until a token no build can have seen.
   */
  untrusted(text: string): void {
    if (text === '') return;
    const token = `albs-${randomUUID()}`;
    this.line(`::stop-commands::${token}`);
    this.write(text.endsWith('\n') ? text : `${text}\n`);
    this.line(`::${token}::`);
  }

  /** Appends `name` to GITHUB_OUTPUT in the heredoc form that any value, multi-line too, survives. */
  setOutput(name: OutputName, value: string): void {
    const file = this.env.GITHUB_OUTPUT;
    if (!file) {
      // Not under a runner (a try by hand): the outputs are said instead of lost.
      this.line(`output ${name}=${value}`);
      return;
    }
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`, 'utf8');
  }

  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY); without one, nothing to write to. */
  summary(markdown: string): void {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8');
  }
}
