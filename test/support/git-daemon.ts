import { spawn } from 'node:child_process';
import { freePort, listening } from './free-port.js';

/**
 * `git daemon` serving every repository below `root` as git://127.0.0.1:PORT/NAME; resolves once it
 * accepts connections (a port taken meanwhile by someone else is retried on another).
 */
export async function startGitDaemon(
  root: string,
  options: { env?: NodeJS.ProcessEnv; args?: string[] } = {},
): Promise<{ port: number; stop: () => void }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const daemon = spawn(
      'git',
      [
        'daemon',
        '--reuseaddr',
        '--export-all',
        ...(options.args ?? []),
        `--base-path=${root}`,
        '--listen=127.0.0.1',
        `--port=${port}`,
      ],
      { stdio: 'ignore', env: options.env ?? process.env },
    );
    for (let i = 0; i < 100 && daemon.exitCode === null; i++) {
      if (await listening(port)) return { port, stop: () => daemon.kill('SIGTERM') };
      await new Promise((r) => setTimeout(r, 50));
    }
    daemon.kill('SIGTERM');
  }
  throw new Error(`git daemon did not start on 127.0.0.1 for ${root}`);
}
