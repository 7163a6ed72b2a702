import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { dirSize } from './dir-size.js';
import { GitBatch } from './git-batch.js';
import { GitCacheError, GitCacheInputError } from './git-cache-error.js';
import {
  authHeaderSecrets,
  type CloneUrl,
  checkRef,
  checkSha,
  checkTreePath,
  parseCloneUrl,
  redact,
} from './git-cache-input.js';
import { findTreeEntry, type TreeEntry } from './git-tree.js';

export { GitCacheError, GitCacheInputError } from './git-cache-error.js';

export interface GitCacheOptions {
  /** Where the mirrors live, one bare repository per clone URL; made when missing. */
  dir: string;
  /** Disk space the mirrors may take; least recently used ones are removed past it. */
  maxBytes: number;
  log?: (line: string) => void;
  /**
   * Called as each git process starts, with its arguments after the cache's own options and its
   * process id (for tests and metrics: a fetch of a commit already there, commitOf and readFile
   * start none once the mirror's `git cat-file --batch` runs).
   */
  onSpawn?: (args: readonly string[], pid: number | undefined) => void;
}

/** readFile's default cap: a config file or a spec, never a tarball. */
export const DEFAULT_READ_BYTES = 1024 * 1024;

/** Touched on every use of a mirror: its mtime orders eviction. git ignores unknown files in GIT_DIR. */
const LAST_USE = 'albs-last-use';
/** Leftovers of an interrupted init or export older than this are removed by the next eviction. */
const STALE_TEMP_MS = 60 * 60 * 1000;
/** The largest tree readFile reads on its way to a file (millions of entries): larger is an error. */
const MAX_TREE_BYTES = 64 * 1024 * 1024;

/**
 * Settings on every git command. The cache's own choices come last on the command line, after
 * nothing: there is no system or global config to override them (see gitEnv).
 */
const GIT_CONFIG = [
  // Only the transports parseCloneUrl allows, even for a redirect or a submodule-like indirection.
  'protocol.allow=never',
  'protocol.https.allow=always',
  'protocol.http.allow=always',
  'protocol.git.allow=always',
  'protocol.file.allow=always',
  'protocol.ssh.allow=never',
  'protocol.ext.allow=never',
  'protocol.fd.allow=never',
  // v2 lets the server send only the refs asked for and any commit reachable from them.
  'protocol.version=2',
  // No credential helper may store or supply anything; the header comes from the caller only.
  'credential.helper=',
  'core.hooksPath=/dev/null',
  'core.symlinks=true',
  // An automatic gc runs inside the fetch (which holds the URL's lock) rather than in the background
  // while an export reads or an eviction deletes, and never prunes a commit that a build may still
  // ask for after a force-push moved its ref away.
  'gc.autoDetach=false',
  'gc.pruneExpire=never',
].flatMap((setting) => ['-c', setting]);

/** Variables passed through from the server's environment: finding git, proxies and CA certificates. */
const PASSED_ENV = [
  'PATH',
  'TMPDIR',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];

interface MirrorState {
  /** Calls running on the mirror (waiting for its lock included): while above 0 it is never evicted. */
  users: number;
  /** The tail of the fetch queue of this URL. */
  queue: Promise<void>;
  /** Set while the mirror is being removed: new calls wait for it and then find no mirror. */
  evicting?: Promise<void> | undefined;
}

/** A mirror on disk and the cat-file process reading it. */
interface Mirror {
  path: string;
  batch: GitBatch;
}

interface GitRun {
  gitDir?: string | undefined;
  workTree?: string | undefined;
  indexFile?: string | undefined;
  cwd?: string | undefined;
  authHeader?: string | undefined;
  /** Header values and passwords to cut from git's stderr before it is shown. */
  secrets?: readonly string[] | undefined;
}

interface GitResult {
  ok: boolean;
  exitCode: number | undefined;
  stdout: Buffer;
  /** Redacted. */
  stderr: string;
}

/**
 * The build server's git cache (what AlmaLinux Build System's git-cacher does): one bare mirror per
 * clone URL, fed only the ref an event names, so a new tag costs its new objects, not a clone.
 * Builds read files and trees of a commit from the mirror, never from a checkout of their own.
 */
export class GitCache {
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly log: (line: string) => void;
  private readonly onSpawn: (args: readonly string[], pid: number | undefined) => void;
  private readonly home: string;
  private readonly states = new Map<string, MirrorState>();
  /**
   * The `git cat-file --batch` of each mirror, by mirror name, with the identity (device and inode)
   * of the directory it reads: a mirror removed and made again (by another cache on the same
   * directory) gets a new one.
   */
  private readonly batches = new Map<string, { batch: GitBatch; id: string }>();
  /** Calls running, for close() to wait for. */
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;
  /** Sizes measured by earlier evictions; a fetch forgets its mirror's. */
  private readonly sizes = new Map<string, number>();
  /** Evictions run one at a time: two at once would both count a mirror the other is removing. */
  private evictions: Promise<void> = Promise.resolve();
  private ready: Promise<void> | undefined;

  constructor(options: GitCacheOptions) {
    if (!Number.isFinite(options.maxBytes) || options.maxBytes < 0) {
      throw new GitCacheInputError(
        `the git cache's maxBytes ${options.maxBytes} is not a number of bytes: give the disk space its mirrors may take`,
      );
    }
    this.dir = resolve(options.dir);
    this.maxBytes = options.maxBytes;
    this.log = options.log ?? (() => {});
    this.onSpawn = options.onSpawn ?? (() => {});
    this.home = join(this.dir, '.home');
  }

  /**
   * Waits for the calls running to end, then ends the mirrors' `git cat-file --batch` processes;
   * calls made after it are refused. For the server's shutdown.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    const open = [...this.batches.values()];
    this.batches.clear();
    await Promise.all(open.map(({ batch }) => batch.close()));
  }

  /**
   * Makes sure commit `sha` is in the bare mirror of `url`, fetching only `ref` (refs/tags/X,
   * refs/heads/X, refs/pull/N/head), or the commit itself when the ref has moved away from it since
   * the event. Nothing is fetched when the commit is already there. Calls for one URL run one after
   * another (two git fetches into one repository fail on its ref locks); different URLs in parallel.
   * `authHeader` ("Authorization: token abc") reaches git only through its environment, never a
   * file, a log line or an error message. A user name and password in `url` are sent the same way,
   * as Basic auth, and kept out of the mirror's config.
   */
  async fetch(url: string, ref: string, sha: string, authHeader?: string): Promise<void> {
    const remote = parseCloneUrl(url);
    checkRef(ref, remote.url);
    const commit = checkSha(sha, remote.url);
    const header = authHeader ?? remote.basicAuth;
    const secrets = [
      ...remote.secrets,
      ...(remote.basicAuth === undefined ? [] : authHeaderSecrets(remote.basicAuth, remote.url)),
      ...(authHeader === undefined ? [] : authHeaderSecrets(authHeader, remote.url)),
    ];
    await this.use(remote.name, async (state) => {
      await this.serialised(state, () => this.fetchLocked(remote, ref, commit, header, secrets));
      // Still counted as a user here, so the mirror just fetched is never the one evicted. The commit
      // is in: a failure to free space is the operator's to see in the log, not this build's error.
      await this.evict().catch((error: Error) => this.log(`git cache: eviction failed: ${error.message}`));
    });
  }

  /**
   * The commit `sha` names in the mirror of `url` (fetched before): `sha` itself, or the commit an
   * annotated tag object points to (Gitea's `create` event carries the tag object's id, its `push`
   * the commit's).
   */
  async commitOf(url: string, sha: string): Promise<string> {
    const remote = parseCloneUrl(url);
    const id = checkSha(sha, remote.url);
    // existingMirror's check is cat-file's peeling of `${id}^{commit}`: its answer is the commit.
    return this.use(remote.name, async () => (await this.existingMirror(remote, id)).commit);
  }

  /**
   * The content of `path` at `sha`, which must be a regular file: undefined when nothing is there,
   * an error for a directory, a symlink (never followed) or a submodule, and for a file larger than
   * `maxBytes` (checked before it is read).
   */
  async readFile(
    url: string,
    sha: string,
    path: string,
    maxBytes: number = DEFAULT_READ_BYTES,
  ): Promise<Buffer | undefined> {
    const remote = parseCloneUrl(url);
    const commit = checkSha(sha, remote.url);
    checkTreePath(path, remote.url);
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new GitCacheInputError(
        `the size cap ${maxBytes} for reading ${path} from ${remote.url} is not a number of bytes: give a whole number, or none for ${DEFAULT_READ_BYTES}`,
      );
    }
    return this.use(remote.name, async () => {
      const mirror = await this.existingMirror(remote, commit);
      const where = `${path} at ${commit} in ${remote.url}`;
      const entry = await this.treeEntry(mirror, path, where);
      if (entry === undefined) return undefined;
      const { mode, oid } = entry;
      if (mode === '120000') {
        throw new GitCacheError(`${where} is a symlink, which is not followed: make it a regular file`);
      }
      if (mode === '040000') throw new GitCacheError(`${where} is a directory: name a file in it`);
      if (mode === '160000')
        throw new GitCacheError(`${where} is a submodule: name a file of this repository`);
      if (mode !== '100644' && mode !== '100755') {
        throw new GitCacheError(`${where} has git mode ${mode}, not a regular file: make it a regular file`);
      }
      // The size comes in cat-file's header: a larger blob is never read.
      const blob = await mirror.batch.read(oid, maxBytes);
      if (blob === undefined || blob.type !== 'blob') {
        throw new GitCacheError(
          `could not read ${where}: its object ${oid} is ${blob === undefined ? 'missing' : `a ${blob.type}`}`,
        );
      }
      if (blob.size > maxBytes || blob.content === undefined) {
        throw new GitCacheError(
          `${where} is ${blob.size} bytes, more than the ${maxBytes} bytes read from it: keep the file under ${maxBytes} bytes`,
        );
      }
      return blob.content;
    });
  }

  /**
   * Writes the tree of `sha` into `dest`, an empty directory (made when missing), without .git: the
   * tree is read into a temporary index outside `dest` and checked out from it, so git's own path
   * checks apply. read-tree refuses a tree with a "..", ".git" or absolute path before anything is
   * written; checkout-index makes symlinks as symlinks with the target the tree says and never
   * writes through one. Attributes of the tree apply as in a clone (eol conversion, export filters).
   */
  async exportTree(url: string, sha: string, dest: string): Promise<void> {
    const remote = parseCloneUrl(url);
    const commit = checkSha(sha, remote.url);
    const target = resolve(dest);
    await this.use(remote.name, async () => {
      const mirror = (await this.existingMirror(remote, commit)).path;
      await mkdir(target, { recursive: true });
      const present = await readdir(target);
      if (present.length > 0) {
        throw new GitCacheInputError(
          `${target} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}): the tree of ${commit} from ${remote.url} is written only into an empty directory; give a new one`,
        );
      }
      const indexFile = join(this.dir, `.tmp-index-${randomUUID()}`);
      try {
        const run = { gitDir: mirror, workTree: target, indexFile, cwd: target };
        const read = await this.git(['read-tree', commit], run);
        if (!read.ok) {
          throw new GitCacheError(
            `the tree of ${commit} from ${remote.url} cannot be written into ${target}: ${read.stderr.trim()}; a tree with such paths is not built`,
          );
        }
        const written = await this.git(['checkout-index', '--all'], run);
        if (!written.ok) {
          throw new GitCacheError(
            `writing the tree of ${commit} from ${remote.url} into ${target} failed: ${written.stderr.trim()}`,
          );
        }
      } finally {
        await rm(indexFile, { force: true });
      }
    });
  }

  /**
   * Removes least recently used mirrors until the cache takes at most maxBytes. A mirror with a call
   * running on it (or waiting for its lock) is skipped, so the cache may stay above the cap while
   * those run. Called after each fetch; also for a server starting on an old cache.
   */
  evict(): Promise<void> {
    const run = this.evictions.then(() => this.evictOnce());
    this.evictions = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async fetchLocked(
    remote: CloneUrl,
    ref: string,
    sha: string,
    authHeader: string | undefined,
    secrets: readonly string[],
  ): Promise<void> {
    const mirror = await this.ensureMirror(remote, sha);
    if ((await this.peel(mirror, sha)) !== undefined) {
      await this.touch(mirror.path);
      this.log(`git cache: ${sha} of ${remote.url} is already in the mirror`);
      return;
    }
    const packs = await packsOf(mirror.path);
    try {
      await this.fetchMissing(mirror, remote, ref, sha, authHeader, secrets);
    } finally {
      // A gc run by the fetch (gc --auto) may have deleted packs the cat-file process keeps open: their
      // disk space comes back only when it ends. New packs it finds by itself.
      const now = new Set(await packsOf(mirror.path));
      if (packs.some((pack) => !now.has(pack))) {
        this.log(`git cache: packs of ${remote.url} were repacked: restarting its cat-file`);
        mirror.batch.restart();
      }
    }
    this.sizes.delete(remote.name);
    await this.touch(mirror.path);
    this.log(`git cache: ${sha} of ${remote.url} fetched`);
  }

  /** Fetches `ref`, or else the commit `sha` by id, into `mirror`: an error when neither brings it. */
  private async fetchMissing(
    mirror: Mirror,
    remote: CloneUrl,
    ref: string,
    sha: string,
    authHeader: string | undefined,
    secrets: readonly string[],
  ): Promise<void> {
    const run = { gitDir: mirror.path, authHeader, secrets };
    const fetchArgs = [
      'fetch',
      '--no-tags',
      '--no-write-fetch-head',
      '--no-recurse-submodules',
      '--quiet',
      'origin',
    ];
    this.log(`git cache: fetching ${ref} of ${remote.url}`);
    const byRef = await this.git([...fetchArgs, `+${ref}:${ref}`], run);
    // A deleted branch or pull request is a ref that moved away: its commit may still be served.
    if (!byRef.ok && !/couldn't find remote ref/i.test(byRef.stderr)) {
      throw this.fetchError(remote, ref, byRef);
    }
    // The same cat-file process sees what the fetch brought: git rescans the packs on a miss.
    if ((await this.peel(mirror, sha)) === undefined) {
      // The ref moved since the event (force-push, deleted branch): ask for the commit itself. Over
      // protocol v2 git's upload-pack sends any commit it still has, GitHub any commit of the
      // repository. A ref of its own keeps it from any gc, since no fetched ref may point to it.
      this.log(`git cache: ${ref} of ${remote.url} no longer holds ${sha}: fetching the commit itself`);
      const bySha = await this.git([...fetchArgs, `+${sha}:refs/albs/commits/${sha}`], run);
      if (!bySha.ok || (await this.peel(mirror, sha)) === undefined) {
        const why = bySha.ok ? '' : `; git said: ${bySha.stderr.trim()}`;
        const where = byRef.ok
          ? `is not reachable from ${ref} of ${remote.url}`
          : `is not reachable: ${ref} is gone from ${remote.url}`;
        throw new GitCacheError(
          `commit ${sha} ${where}, and the server would not send it by id${why}: ` +
            'check that the commit belongs to this repository and was pushed (a force-push may have discarded it)',
        );
      }
    }
  }

  private fetchError(remote: CloneUrl, ref: string, result: GitResult): GitCacheError {
    return new GitCacheError(
      `git fetch of ${ref} from ${remote.url} failed (exit code ${result.exitCode ?? 'none'}): ${result.stderr.trim()}; ` +
        'check that the repository and the ref exist and that the credentials given grant read access',
    );
  }

  /** The mirror of `remote`, initialised when missing: made aside and renamed, never half there. */
  private async ensureMirror(remote: CloneUrl, sha: string): Promise<Mirror> {
    const found = await this.openMirror(remote.name);
    if (found !== undefined) return found;
    const mirror = join(this.dir, remote.name);
    await this.prepare();
    const temp = await mkdtemp(join(this.dir, '.tmp-init-'));
    try {
      // A SHA-256 commit id means a SHA-256 repository: the object format is chosen at init only.
      const format = sha.length === 64 ? ['--object-format=sha256'] : [];
      // No template: a mirror needs no sample hooks, description or exclude file.
      const init = await this.git(['init', '--bare', '--quiet', '--template=', ...format, temp], {});
      if (!init.ok) throw new GitCacheError(`git init --bare ${temp} failed: ${init.stderr.trim()}`);
      // The URL without credentials, set with git config (one argument, no shell, no file edited by hand).
      const config = await this.git(['config', 'remote.origin.url', remote.url], { gitDir: temp });
      if (!config.ok) throw new GitCacheError(`git config in ${temp} failed: ${config.stderr.trim()}`);
      await writeFile(join(temp, LAST_USE), '');
      await rename(temp, mirror);
      this.log(`git cache: new mirror ${mirror} for ${remote.url}`);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      // Another process sharing the cache made the mirror first: use that one.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
    const made = await this.openMirror(remote.name);
    if (made === undefined) {
      throw new GitCacheError(`the mirror ${mirror} of ${remote.url} was removed as soon as it was made`);
    }
    return made;
  }

  /**
   * The mirror holding `sha`, for reading, and the commit `sha` names (itself, or the commit of the
   * tag `sha`): a call before fetch (or after an eviction) is an error.
   */
  private async existingMirror(remote: CloneUrl, sha: string): Promise<Mirror & { commit: string }> {
    const mirror = await this.openMirror(remote.name);
    const commit = mirror === undefined ? undefined : await this.peel(mirror, sha);
    if (mirror === undefined || commit === undefined) {
      throw new GitCacheError(
        `commit ${sha} of ${remote.url} is not in the git cache: fetch it first (GitCache.fetch with the event's ref)`,
      );
    }
    await this.touch(mirror.path);
    return { ...mirror, commit };
  }

  /** The mirror `name` and its cat-file process (started at its first request); undefined when missing. */
  private async openMirror(name: string): Promise<Mirror | undefined> {
    await this.prepare();
    const path = join(this.dir, name);
    let id: string;
    try {
      const found = await stat(path);
      id = `${found.dev}:${found.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      void this.closeBatch(name);
      return undefined;
    }
    const known = this.batches.get(name);
    if (known?.id === id) return { path, batch: known.batch };
    // A mirror made again since its process started: that one reads the files of the old one. No
    // await from the look-up to the set: two calls never make two processes.
    void this.closeBatch(name);
    const batch = new GitBatch(() => this.startBatch(path), `the mirror ${path}`);
    this.batches.set(name, { batch, id });
    return { path, batch };
  }

  /** Ends the cat-file process of mirror `name`, if any, once its requests are answered. */
  private closeBatch(name: string): Promise<void> {
    const known = this.batches.get(name);
    if (known === undefined) return Promise.resolve();
    this.batches.delete(name);
    return known.batch
      .close()
      .catch((error: Error) => this.log(`git cache: ending cat-file of ${name} failed: ${error.message}`));
  }

  private startBatch(mirror: string): ChildProcess {
    const args = ['cat-file', '--batch'];
    // Started as the other git commands are (options, environment), but kept: not through execa,
    // whose promise is for a process that ends.
    const child = spawn('git', [...GIT_CONFIG, `--git-dir=${mirror}`, ...args], {
      env: this.gitEnv({}),
      cwd: this.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.onSpawn(args, child.pid);
    return child;
  }

  /** The commit `sha` names in the mirror (itself, or the commit of a tag), or undefined. */
  private async peel(mirror: Mirror, sha: string): Promise<string | undefined> {
    const found = await mirror.batch.read(`${sha}^{commit}`);
    return found?.type === 'commit' ? found.oid : undefined;
  }

  /**
   * The entry at `path` in the tree of the mirror's `commit`, walked one tree object at a time as
   * git ls-tree does: undefined when a component is missing or is not a directory (a symlink to one
   * is not followed, a submodule not entered).
   */
  private async treeEntry(
    mirror: Mirror & { commit: string },
    path: string,
    where: string,
  ): Promise<TreeEntry | undefined> {
    const names = path.split('/');
    let name = `${mirror.commit}^{tree}`;
    for (let depth = 0; ; depth++) {
      const tree = await mirror.batch.read(name, MAX_TREE_BYTES);
      if (tree === undefined || tree.type !== 'tree') {
        throw new GitCacheError(
          `could not list ${where}: the tree ${name} is ${tree === undefined ? 'missing' : `a ${tree.type}`}`,
        );
      }
      if (tree.content === undefined) {
        throw new GitCacheError(
          `could not list ${where}: the tree ${name} is ${tree.size} bytes, more than the ${MAX_TREE_BYTES} read`,
        );
      }
      let entry: TreeEntry | undefined;
      try {
        entry = findTreeEntry(tree.content, Buffer.from(names[depth]!, 'utf8'), tree.oid.length / 2);
      } catch (error) {
        throw new GitCacheError(
          `could not list ${where}: the tree ${name} is malformed: ${(error as Error).message}`,
        );
      }
      if (entry === undefined || depth === names.length - 1) return entry;
      if (entry.mode !== '040000') return undefined;
      name = entry.oid;
    }
  }

  private async touch(mirror: string): Promise<void> {
    const file = join(mirror, LAST_USE);
    const now = new Date();
    try {
      await utimes(file, now, now);
    } catch {
      await writeFile(file, '');
    }
  }

  /** The private HOME: made once, empty, so that nothing of the server user's reaches git or curl. */
  private prepare(): Promise<void> {
    this.ready ??= mkdir(this.home, { recursive: true, mode: 0o700 }).then(() => {});
    return this.ready;
  }

  /**
   * Runs `fn` as a user of the mirror `name`: waits for an eviction of it to end first, and keeps
   * it from being evicted until `fn` is done.
   */
  private use<T>(name: string, fn: (state: MirrorState) => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(new GitCacheError('the git cache is closed: the server is shutting down'));
    }
    const call = this.useOpen(name, fn);
    this.running.add(call);
    const forget = () => this.running.delete(call);
    call.then(forget, forget);
    return call;
  }

  private async useOpen<T>(name: string, fn: (state: MirrorState) => Promise<T>): Promise<T> {
    for (let state = this.states.get(name); state?.evicting; state = this.states.get(name)) {
      await state.evicting;
    }
    let state = this.states.get(name);
    if (state === undefined) {
      state = { users: 0, queue: Promise.resolve() };
      this.states.set(name, state);
    }
    state.users++;
    try {
      return await fn(state);
    } finally {
      state.users--;
      if (state.users === 0 && state.evicting === undefined) this.states.delete(name);
    }
  }

  /** Runs `fn` after every earlier serialised call on the same mirror has ended, failed or not. */
  private serialised<T>(state: MirrorState, fn: () => Promise<T>): Promise<T> {
    const run = state.queue.then(fn);
    state.queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async evictOnce(): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const mirrors: { name: string; lastUse: number; bytes: number }[] = [];
    for (const name of entries) {
      const path = join(this.dir, name);
      if (name.startsWith('.')) {
        await this.removeStale(name, path);
        continue;
      }
      const lastUse = (await mtime(join(path, LAST_USE))) ?? (await mtime(path));
      if (lastUse === undefined) continue;
      let bytes = this.sizes.get(name);
      if (bytes === undefined) {
        bytes = await dirSize(path);
        this.sizes.set(name, bytes);
      }
      mirrors.push({ name, lastUse, bytes });
    }
    let total = mirrors.reduce((sum, m) => sum + m.bytes, 0);
    mirrors.sort((a, b) => a.lastUse - b.lastUse || a.name.localeCompare(b.name));
    for (const mirror of mirrors) {
      if (total <= this.maxBytes) break;
      // The check and the mark happen in one turn of the event loop: no call can start on the mirror
      // between them, and every call that starts after waits for the removal to end.
      const state = this.states.get(mirror.name) ?? { users: 0, queue: Promise.resolve() };
      if (state.users > 0 || state.evicting !== undefined) continue;
      this.states.set(mirror.name, state);
      const removal = this.remove(mirror.name);
      state.evicting = removal;
      try {
        await removal;
      } finally {
        state.evicting = undefined;
        if (state.users === 0) this.states.delete(mirror.name);
      }
      total -= mirror.bytes;
      this.sizes.delete(mirror.name);
      this.log(`git cache: evicted ${mirror.name} (${mirror.bytes} bytes, least recently used)`);
    }
    if (total > this.maxBytes) {
      this.log(
        `git cache: ${total} bytes in mirrors in use, over the ${this.maxBytes} bytes allowed until they are done`,
      );
    }
  }

  /** Renamed away first, so the mirror's name is free (and never half there) while the files go. */
  private async remove(name: string): Promise<void> {
    await this.closeBatch(name);
    const trash = join(this.dir, `.trash-${randomUUID()}`);
    await rename(join(this.dir, name), trash);
    await rm(trash, { recursive: true, force: true });
  }

  /** What an interrupted removal, init or export left behind. */
  private async removeStale(name: string, path: string): Promise<void> {
    if (name.startsWith('.trash-')) {
      await rm(path, { recursive: true, force: true });
    } else if (name.startsWith('.tmp-')) {
      const changed = await mtime(path);
      if (changed !== undefined && Date.now() - changed > STALE_TEMP_MS)
        await rm(path, { recursive: true, force: true });
    }
  }

  private async git(args: string[], run: GitRun): Promise<GitResult> {
    await this.prepare();
    const subprocess = execa(
      'git',
      [
        ...GIT_CONFIG,
        ...(run.authHeader === undefined ? [] : ['-c', 'http.followRedirects=false']),
        ...(run.gitDir === undefined ? [] : [`--git-dir=${run.gitDir}`]),
        ...(run.workTree === undefined ? [] : [`--work-tree=${run.workTree}`]),
        ...args,
      ],
      {
        env: this.gitEnv(run),
        extendEnv: false,
        stdin: 'ignore',
        reject: false,
        encoding: 'buffer',
        // A file's content is returned as it is, its last newline included.
        stripFinalNewline: false,
        cwd: run.cwd ?? this.dir,
      },
    );
    this.onSpawn(args, subprocess.pid);
    const result = await subprocess;
    if (result.exitCode === undefined && result.signal === undefined) {
      throw new GitCacheError(
        `git could not be started (${result.shortMessage}): install git on the build server`,
      );
    }
    return {
      ok: result.exitCode === 0,
      exitCode: result.exitCode,
      stdout: Buffer.from(result.stdout),
      stderr: redact(Buffer.from(result.stderr).toString('utf8'), run.secrets ?? []),
    };
  }

  /**
   * A clean environment: none of the server's git config, credential helpers, ~/.netrc (curl would
   * send its passwords to any host a URL names) or GIT_TRACE* variables (they print headers); no
   * prompt can block (GIT_TERMINAL_PROMPT=0, an askpass that answers nothing). The auth header is
   * config given through GIT_CONFIG_COUNT, which git reads from the environment only.
   */
  private gitEnv(run: GitRun): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of PASSED_ENV) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    Object.assign(env, {
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_SYSTEM: '/dev/null',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '/bin/true',
      SSH_ASKPASS: '/bin/true',
      // Paths given to ls-tree are names, never patterns.
      GIT_LITERAL_PATHSPECS: '1',
      LC_ALL: 'C',
    });
    if (run.indexFile !== undefined) env.GIT_INDEX_FILE = run.indexFile;
    if (run.authHeader !== undefined) {
      env.GIT_CONFIG_COUNT = '1';
      env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
      env.GIT_CONFIG_VALUE_0 = run.authHeader;
    }
    return env;
  }
}

/** The pack files of a mirror, by name. */
async function packsOf(mirror: string): Promise<string[]> {
  try {
    return (await readdir(join(mirror, 'objects', 'pack'))).filter((name) => name.endsWith('.pack'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
