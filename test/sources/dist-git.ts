import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, beforeAll } from 'vitest';

export const NAME = 'hello-dg';
export const TARBALL = `${NAME}-1.0.tar.gz`;

/** Where a package keeps its lookaside list and in which form. */
export type ListForm = 'metadata-sha256' | 'metadata-sha1' | 'sources-sha512';

export interface DistGitPackage {
  dir: string;
  tarball: Buffer;
  sha1: string;
  sha256: string;
  sha512: string;
}

const digest = (type: string, data: Buffer) => createHash(type).update(data).digest('hex');

/** The upstream tarball of the test package: a script the spec's patch changes. Made once per file. */
let upstream: Buffer | undefined;
export function upstreamTarball(): Buffer {
  if (upstream) return upstream;
  const work = mkdtempSync(join(tmpdir(), 'albs-upstream-'));
  const top = join(work, `${NAME}-1.0`);
  mkdirSync(top);
  writeFileSync(join(top, NAME), '#!/bin/sh\necho "hello from upstream"\n', { mode: 0o755 });
  writeFileSync(join(top, 'LICENSE'), 'MIT License\n');
  execaSync('tar', ['-czf', join(work, TARBALL), '-C', work, `${NAME}-1.0`]);
  upstream = readFileSync(join(work, TARBALL));
  return upstream;
}

const SPEC = `Name: ${NAME}
Version: 1.0
Release: 1%{?dist}
Summary: A package laid out like a distribution's dist-git repository
License: MIT
BuildArch: noarch
# An empty install root has no /bin/sh to satisfy the script's dependency.
AutoReqProv: no
Source0: https://example.org/${TARBALL}
Patch0: greeting.patch

%description
Built from a tarball that only the lookaside cache holds, with a patch from the repository.

%prep
%autosetup -p1

%install
install -D -m 0755 ${NAME} %{buildroot}/usr/bin/${NAME}

%files
%license LICENSE
/usr/bin/${NAME}
`;

const PATCH = `--- a/${NAME}
+++ b/${NAME}
@@ -1,2 +1,2 @@
 #!/bin/sh
-echo "hello from upstream"
+echo "hello from dist-git"
`;

/**
 * A package repository as a distribution keeps it: `dist-git` is git.almalinux.org's rpms/NAME
 * (SPECS/NAME.spec, SOURCES/ with the patch, .NAME.metadata listing SOURCES/TARBALL), `flat` is
 * Fedora's (spec, patch and a `sources` file at the top). The tarball is in neither.
 */
export function distGitPackage(form: ListForm, albs: string): DistGitPackage {
  const tarball = upstreamTarball();
  const dir = mkdtempSync(join(tmpdir(), `albs-dg-${form}-`));
  // A checkout others can read, as git makes it: the build uid reads it in place.
  chmodSync(dir, 0o755);
  const sums = {
    sha1: digest('sha1', tarball),
    sha256: digest('sha256', tarball),
    sha512: digest('sha512', tarball),
  };
  if (form === 'sources-sha512') {
    writeFileSync(join(dir, `${NAME}.spec`), SPEC);
    writeFileSync(join(dir, 'greeting.patch'), PATCH);
    writeFileSync(join(dir, 'sources'), `SHA512 (${TARBALL}) = ${sums.sha512}\n`);
  } else {
    mkdirSync(join(dir, 'SPECS'));
    mkdirSync(join(dir, 'SOURCES'));
    writeFileSync(join(dir, 'SPECS', `${NAME}.spec`), SPEC);
    writeFileSync(join(dir, 'SOURCES', 'greeting.patch'), PATCH);
    const hex = form === 'metadata-sha1' ? sums.sha1 : sums.sha256;
    writeFileSync(join(dir, `.${NAME}.metadata`), `${hex} SOURCES/${TARBALL}\n`);
  }
  writeFileSync(join(dir, '.albs.yml'), albs);
  return { dir, tarball, ...sums };
}

export interface LookasideServer {
  /** http://127.0.0.1:PORT */
  readonly base: string;
  /** Requests by path. */
  readonly hits: Map<string, number>;
  /** The headers of the last request. */
  readonly headers: IncomingHttpHeaders | undefined;
  /** Files by path; a handler instead of a Buffer answers as it likes. */
  readonly files: Map<string, Buffer | ((res: ServerResponse) => void)>;
}

/** An HTTP lookaside cache on 127.0.0.1 for the enclosing describe (or file). */
export function lookasideServer(): LookasideServer {
  let server: Server | undefined;
  let base = '';
  let headers: IncomingHttpHeaders | undefined;
  const hits = new Map<string, number>();
  const files = new Map<string, Buffer | ((res: ServerResponse) => void)>();
  beforeAll(async () => {
    const listening = createServer((req, res) => {
      const path = req.url ?? '';
      headers = req.headers;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const file = files.get(path);
      if (file === undefined) res.writeHead(404).end('not here');
      else if (typeof file === 'function') file(res);
      else res.writeHead(200, { 'content-length': file.length }).end(file);
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(listening.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  return {
    get base() {
      return base;
    },
    hits,
    get headers() {
      return headers;
    },
    files,
  };
}
