/**
 * `albs runner` and `albs signer`: the composition roots of a farm's build hosts and signing host.
 * A runner gets build and test jobs, sandboxed, never a key; the signer gets `albs:sign` only.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import * as openpgp from 'openpgp';
import { pino } from 'pino';
import { detectHost, otherArchLabels } from '../../runner/host-facts.js';
import { BuildUidPool, checkSandbox, SandboxUnavailableError } from '../../runner/sandbox.js';
import { buildStep } from '../../runner/steps/build.js';
import { signStep } from '../../runner/steps/sign.js';
import { testStep } from '../../runner/steps/test.js';
import { BullmqJobQueue } from '../queue/bullmq/bullmq-job-queue.js';
import { checkRedis } from '../queue/bullmq/redis-checks.js';
import { type RedisSetting, readPasswordFile, redisOptions } from '../queue/bullmq/redis-options.js';
import { readRedisConfigFile } from '../queue/bullmq/redis-setting.js';
import {
  type PublishedKey,
  requestFromServer,
  SIGN_METADATA,
  type SignMetadataRequest,
} from '../server/remote-signer.js';
import { verifyRpmFile } from '../sign/verify-rpm.js';
import type { RunnerOptions, SignerOptions, WorkerOptions } from './commands/farm.js';
import { CliError, EXIT } from './exit-codes.js';
import { farmHandler, runWorker } from './farm-worker.js';
import { serverKeyRing } from './key-ring-dir.js';
import { RunnerClient } from './runner-client.js';

/**
 * What a setup problem (a token file open to others, a Redis albs refuses, no bubblewrap) is to
 * the person starting the host: its message and exit 2, not a stack trace.
 */
async function setup<T>(what: string, step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what}: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage, {
      cause: error,
    });
  }
}

/** The token file: the token alone, or this host's whole line of runner-tokens-file (NAME TOKEN ROLE). */
async function readToken(file: string): Promise<{ token: string; name?: string }> {
  const text = await setup('albs', () =>
    readPasswordFile(resolve(file), '--token-file', "this host's runner token"),
  );
  const fields = text.trim().split(/\s+/);
  if (fields.length === 3) return { token: fields[1]!, name: fields[0]! };
  if (fields.length === 1 && fields[0] !== '') return { token: fields[0]! };
  throw new CliError(
    `--token-file ${file} holds ${fields.length} words: give the token alone, or this host's line of runner-tokens-file (NAME TOKEN ROLE)`,
    EXIT.usage,
  );
}

async function connect(
  options: WorkerOptions,
  token: string,
): Promise<{ queue: BullmqJobQueue; client: RunnerClient }> {
  let setting: RedisSetting | undefined;
  if (options.redis !== undefined && options.redisConfig !== undefined)
    throw new CliError('give --redis or --redis-config, not both', EXIT.usage);
  if (options.redisConfig !== undefined)
    setting = await setup('--redis-config', () => readRedisConfigFile(options.redisConfig!));
  else setting = options.redis ?? process.env.REDIS_URL;
  if (setting === undefined || setting === '')
    throw new CliError(
      "no Redis: give --redis URL, --redis-config FILE or set REDIS_URL (the farm's Redis, as in the server config)",
      EXIT.usage,
    );
  const connection = await setup('redis', () => redisOptions(setting));
  await setup('redis', async () => {
    const probe = new Redis({
      ...connection,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await checkRedis(probe, (message) => process.stderr.write(`albs: warning: ${message}\n`));
    } finally {
      probe.disconnect();
    }
  });
  const client = new RunnerClient(options.server!, token);
  const queue = await setup('redis', () => BullmqJobQueue.create({ connection }));
  return { queue, client };
}

export async function runRunner(options: RunnerOptions): Promise<number> {
  const extra = (options.labels ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const base = await detectHost();
  const foreign = otherArchLabels(extra, base);
  if (foreign.length > 0)
    throw new CliError(
      `--labels names ${foreign.join(', ')}, an architecture this ${base.rpmArch} host is not; albs never builds for another arch here: run albs runner on a ${foreign[0]} host`,
      EXIT.usage,
    );
  const labels = [...new Set([...base.labels, ...extra])];
  const host = { ...base, labels };
  const token = await readToken(options.tokenFile!);
  const name = options.name ?? token.name ?? hostname();
  const log = pino({ base: { service: 'albs-runner', runner: name } });
  const bwrap = await setup('albs runner', () => {
    try {
      return checkSandbox(process.env.PATH ?? '');
    } catch (error) {
      if (!(error instanceof SandboxUnavailableError)) throw error;
      throw new CliError(
        `every build a runner takes runs in a bubblewrap sandbox, and this host cannot make one: ${error.message.replace(/; --no-sandbox.*$/, '')}`,
        EXIT.usage,
      );
    }
  });
  const workDir = resolve(options.workDir ?? 'albs-runner');
  const { queue, client } = await connect(options, token.token);
  const uids = new BuildUidPool();
  return runWorker({
    name,
    client,
    queue,
    labels,
    log,
    what: 'albs runner',
    start: (handler) => queue.process(labels, Number(options.concurrency), handler),
    make: (hardStop, running) =>
      farmHandler(
        {
          client,
          workDir,
          host,
          steps: { build: buildStep, test: testStep },
          // Nothing of this host's but the job's own directories is shown to a build.
          sandbox: { bwrap, hidden: [resolve(options.tokenFile!)], uids },
          labels,
          log,
        },
        hardStop,
        running,
      ),
  });
}

export async function runSigner(options: SignerOptions): Promise<number> {
  const token = await readToken(options.tokenFile!);
  const name = options.name ?? token.name ?? hostname();
  const log = pino({ base: { service: 'albs-signer', signer: name } });
  const keysDir = resolve(options.keysDir!);
  const keys = serverKeyRing(keysDir);
  const names = (await setup('--keys-dir', () => readdir(keysDir)))
    .filter((f) => f.endsWith('.asc'))
    .map((f) => f.slice(0, -4));
  if (names.length === 0)
    throw new CliError(
      `--keys-dir ${keysDir} holds no NAME.asc key: put the signing keys there (albs keygen writes one)`,
      EXIT.usage,
    );
  const published: PublishedKey[] = [];
  for (const key of names) {
    const signer = await setup(`--keys-dir: ${key}.asc`, () => keys.signer(key));
    published.push({ ...signer.key, name: key });
  }
  const host = await detectHost(['sign']);
  // Packages pass through here on their way to being signed; nothing of them is kept.
  const workDir = await mkdtemp(join(tmpdir(), 'albs-signer-'));
  const { queue, client } = await connect(options, token.token);
  await setup('albs signer cannot publish its keys to the server', () => client.publishKeys(published));
  log.info({ keys: published.map((k) => `${k.name} ${k.fingerprint}`) }, 'keys published');
  const verifyKeys = new Map<string, openpgp.PublicKey>();
  for (const key of published)
    verifyKeys.set(key.name, await openpgp.readKey({ armoredKey: key.publicKeyArmored }));
  const signMetadata = async (data: unknown) => {
    const request = data as SignMetadataRequest;
    // Anything with access to Redis can put a job on albs:sign: only the server's requests are signed.
    if (!requestFromServer(request, name, token.token)) {
      log.warn(
        { key: request.key },
        'sign-metadata request refused: no valid MAC of the server for this signer',
      );
      throw new Error(`${name} signs only requests of the farm's server (no valid MAC for ${name})`);
    }
    const signer = await keys.signer(request.key);
    if (request.op === 'detached')
      return { signature: await signer.signDetached(Buffer.from(request.data, 'base64'), 'armored') };
    if (request.op === 'cleartext') return { message: await signer.signCleartext(request.text) };
    throw new Error(`unknown sign-metadata op ${(request as { op: string }).op}`);
  };
  try {
    return await runWorker({
      name,
      client,
      queue,
      labels: [],
      log,
      what: 'albs signer',
      start: (handler) =>
        queue.processSign(Number(options.concurrency), handler, { [SIGN_METADATA]: signMetadata }),
      make: (hardStop, running) =>
        farmHandler(
          {
            client,
            workDir,
            host,
            steps: { sign: signStep(keys) },
            // The signer runs no code of a package: only its own signing of the files it downloaded.
            sandbox: null,
            labels: [],
            log,
            // Every signature is checked against the public key before the packages leave this host.
            check: async (item, artifacts) => {
              if (item.job.stage !== 'sign' || item.job.family !== 'rpm') return null;
              const key = verifyKeys.get(item.job.key);
              if (!key) return `the signer has no key "${item.job.key}"`;
              for (const file of artifacts) {
                if (!file.endsWith('.rpm')) continue;
                const verified = await verifyRpmFile(file, [key]);
                if (!verified.ok)
                  return `the signature of ${verified.package ?? file} does not verify: ${verified.problems.join('; ')}`;
              }
              return null;
            },
          },
          hardStop,
          running,
        ),
    });
  } finally {
    await keys.close();
  }
}
