import { readFile, stat } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { CliError, EXIT } from '../exit-codes.js';

interface SubmitOptions {
  server: string;
  tokenFile: string;
  srpm?: string;
  dsc?: string;
  sha256?: string;
  git?: string;
  ref?: string;
  sha?: string;
  config?: string;
  wait?: boolean;
}

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('submit a src.rpm, a .dsc or a git commit to an albs serve farm and print the pipeline URL')
    .requiredOption('--server <url>', 'the farm: its public URL')
    .requiredOption('--token-file <file>', 'a file holding a submit token (submit-tokens-file on the server)')
    .option('--srpm <url>', 'an http(s) link to a src.rpm (with --sha256)')
    .option('--dsc <url>', 'an http(s) link to a Debian .dsc (with --sha256)')
    .option('--sha256 <hex>', 'the SHA-256 of the src.rpm or .dsc')
    .option('--git <url>', 'a clone URL (with --ref)')
    .option('--ref <ref>', 'with --git: a tag or branch (v1.0, main, refs/tags/v1.0)')
    .option('--sha <sha>', 'with --git: the commit; default: what --ref names now')
    .option(
      '--config <file>',
      "a .albs.yml for the build; default: the commit's own, or a build with an install test",
    )
    .addOption(
      new Option('--wait', 'follow the pipeline: a line per job state change; exit 0 success, 1 otherwise'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ albs submit --server https://albs.example.org --token-file ~/.albs-token \\
      --srpm https://example.org/hello-1.0-1.src.rpm --sha256 0c1e…12 --wait
  $ albs submit --server https://albs.example.org --token-file ~/.albs-token \\
      --git https://git.example.org/rpms/hello.git --ref v1.0`,
    )
    .action(async (options: SubmitOptions) => {
      process.exitCode = await submitCommand(options);
    });
}

async function submitCommand(options: SubmitOptions): Promise<number> {
  const server = options.server.replace(/\/+$/, '');
  const token = await readToken(options.tokenFile);
  const body: Record<string, unknown> = {};
  const forms = [options.srpm, options.dsc, options.git].filter((v) => v !== undefined).length;
  if (forms !== 1) throw new CliError('give one of --srpm URL, --dsc URL or --git URL', EXIT.usage);
  if (options.srpm !== undefined || options.dsc !== undefined) {
    if (options.sha256 === undefined)
      throw new CliError(
        `--${options.srpm ? 'srpm' : 'dsc'} needs --sha256 HEX (sha256sum FILE)`,
        EXIT.usage,
      );
    body[options.srpm ? 'srpm' : 'dsc'] = options.srpm ?? options.dsc;
    body.sha256 = options.sha256;
  } else {
    if (options.ref === undefined)
      throw new CliError('--git needs --ref: the tag or branch to build', EXIT.usage);
    body.git = await gitSource(options.git!, options.ref, options.sha);
  }
  if (options.config !== undefined) {
    body.config = await readFile(options.config, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CliError(
        `--config ${options.config}: cannot read it (${error.code ?? error.message})`,
        EXIT.usage,
      );
    });
  }
  const response = await fetch(`${server}/api/v1/builds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).catch((error: unknown) => {
    throw new CliError(
      `cannot reach ${server}: ${error instanceof Error ? error.message : String(error)}; check --server`,
      EXIT.usage,
    );
  });
  const answer = (await response.json().catch(() => ({}))) as { id?: string; url?: string; error?: string };
  if (response.status !== 201 || !answer.id) {
    throw new CliError(
      `${server} refused the submission (HTTP ${response.status}): ${answer.error ?? 'no reason given'}`,
      EXIT.usage,
    );
  }
  process.stdout.write(`${answer.url}\n`);
  if (!options.wait) return EXIT.ok;
  return follow(server, answer.id, token);
}

async function readToken(file: string): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile())
    throw new CliError(
      `--token-file ${file}: no such file; give the file holding your submit token`,
      EXIT.usage,
    );
  if ((info.mode & 0o077) !== 0) {
    throw new CliError(
      `--token-file ${file} is readable by others (mode ${(info.mode & 0o777).toString(8)}): chmod 600 ${file}`,
      EXIT.usage,
    );
  }
  const token = (await readFile(file, 'utf8')).trim();
  if (token === '') throw new CliError(`--token-file ${file} is empty`, EXIT.usage);
  return token;
}

/** {url, ref, sha}: a short ref is found as a tag, then a branch; without --sha, the commit the ref names now. */
async function gitSource(url: string, ref: string, sha: string | undefined) {
  const { execa } = await import('execa');
  const listed = await execa(
    'git',
    ['ls-remote', '--', url, ref, `refs/tags/${ref}`, `refs/heads/${ref}`, `refs/tags/${ref}^{}`],
    {
      reject: false,
      env: { GIT_TERMINAL_PROMPT: '0' },
    },
  );
  if (listed.exitCode !== 0)
    throw new CliError(`git ls-remote ${url} failed: ${String(listed.stderr).trim()}`, EXIT.usage);
  const refs = new Map(
    String(listed.stdout)
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [id, name] = line.split('\t');
        return [name ?? '', id ?? ''] as const;
      }),
  );
  const full = [ref, `refs/tags/${ref}`, `refs/heads/${ref}`].find(
    (r) => r.startsWith('refs/') && refs.has(r),
  );
  if (full === undefined) throw new CliError(`${url} has no tag or branch ${ref}`, EXIT.usage);
  // An annotated tag: its commit is listed as REF^{}.
  const commit = sha ?? refs.get(`${full}^{}`) ?? refs.get(full)!;
  return { url, ref: full, sha: commit };
}

interface RecordView {
  result: string;
  reason: string | null;
  finishedAt: string | null;
  jobs: { id: string; state: string; reason: string | null }[];
}

async function follow(server: string, id: string, token: string): Promise<number> {
  const seen = new Map<string, string>();
  for (;;) {
    const response = await fetch(`${server}/api/v1/pipelines/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.ok) {
      const record = (await response.json()) as RecordView;
      for (const job of record.jobs) {
        if (seen.get(job.id) === job.state) continue;
        seen.set(job.id, job.state);
        process.stdout.write(`${job.id}: ${job.state}${job.reason ? `: ${job.reason}` : ''}\n`);
      }
      if (record.finishedAt !== null) {
        process.stdout.write(`pipeline ${record.result}${record.reason ? `: ${record.reason}` : ''}\n`);
        return record.result === 'success' ? EXIT.ok : EXIT.failed;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
