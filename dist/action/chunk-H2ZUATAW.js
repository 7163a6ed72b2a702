import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);

// src/sign/errors.ts
var SignError = class extends Error {
  name = "SignError";
  /** The file the error is about, when there is one. */
  path;
  constructor(message, options) {
    super(message, options?.cause === void 0 ? void 0 : { cause: options.cause });
    this.path = options?.path;
  }
};
var SigningKeyError = class extends SignError {
  name = "SigningKeyError";
};
var RpmFormatError = class extends SignError {
  name = "RpmFormatError";
};
var RpmDigestError = class extends SignError {
  name = "RpmDigestError";
};
var RepoMetadataError = class extends SignError {
  name = "RepoMetadataError";
};
var classes = { SignError, SigningKeyError, RpmFormatError, RpmDigestError, RepoMetadataError };
function serializeSignError(error) {
  if (error instanceof SignError) return { name: error.name, message: error.message, path: error.path };
  const message = error instanceof Error ? error.message : String(error);
  return { name: "Error", message, path: void 0 };
}
function restoreSignError(serialized) {
  const known = classes[serialized.name];
  if (known) return new known(serialized.message, { path: serialized.path });
  return new Error(serialized.message);
}

// src/store/atomic-write.ts
import { randomBytes } from "node:crypto";
import { link, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
function tempPathFor(target) {
  return join(
    dirname(target),
    `.${basename(target)}.albs-${process.pid}-${randomBytes(6).toString("hex")}.tmp`
  );
}
async function replaceFileAtomically(target, mode, fill, owner) {
  const temp = tempPathFor(target);
  const handle = await open(temp, "wx", 384);
  let renamed = false;
  try {
    await fill(handle);
    await handle.chmod(mode & 4095);
    if (owner && (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.())) {
      await handle.chown(owner.uid, owner.gid).catch(() => void 0);
    }
    await handle.datasync();
    await handle.close();
    await rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => void 0);
      await unlink(temp).catch(() => void 0);
    }
  }
}
async function writeFileAtomically(target, data, mode = 420) {
  await replaceFileAtomically(target, mode, async (handle) => {
    await handle.writeFile(data);
  });
}
async function writeNewFile(target, data, mode) {
  const temp = tempPathFor(target);
  const handle = await open(temp, "wx", mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.datasync();
    await handle.close();
    await link(temp, target);
    return true;
  } catch (error) {
    if (error.code === "EEXIST") return false;
    throw error;
  } finally {
    await handle.close().catch(() => void 0);
    await unlink(temp).catch(() => void 0);
  }
}

export {
  SignError,
  SigningKeyError,
  RpmFormatError,
  RpmDigestError,
  RepoMetadataError,
  serializeSignError,
  restoreSignError,
  replaceFileAtomically,
  writeFileAtomically,
  writeNewFile
};
