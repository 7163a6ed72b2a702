import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JobLog } from './types.js';

export type LogListener = (line: string) => void;

/** A job's log file, line by line; every complete line also goes to `listener` (live views, --verbose). */
export class FileJobLog implements JobLog {
  private partial = '';
  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
    private readonly listener: LogListener | undefined,
  ) {}

  static async open(path: string, listener?: LogListener): Promise<FileJobLog> {
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(path, { flags: 'w' });
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    return new FileJobLog(path, stream, listener);
  }

  info(line: string): void {
    this.flushPartial();
    this.line(`[albs] ${line}`);
  }

  output(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** Write what is left and close the file. */
  async close(): Promise<void> {
    this.flushPartial();
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }

  private flushPartial(): void {
    if (this.partial) {
      this.line(this.partial);
      this.partial = '';
    }
  }

  private line(text: string): void {
    this.stream.write(`${text}\n`);
    this.listener?.(text);
  }
}
