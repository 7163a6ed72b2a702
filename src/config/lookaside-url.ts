/**
 * The URL templates of lookaside caches: what source.lookaside.url may hold and how it is filled
 * in. Pure, so the config check can use it.
 */

/** Where AlmaLinux's git keeps the files its `.NAME.metadata` lists, by digest. */
export const ALMALINUX_LOOKASIDE = 'https://sources.almalinux.org/{hash}';
/** Fedora's lookaside cache, for the `sources` form. */
export const FEDORA_LOOKASIDE =
  'https://src.fedoraproject.org/repo/pkgs/{name}/{filename}/{hashtype}/{hash}/{filename}';
export const LOOKASIDE_PLACEHOLDERS = ['name', 'filename', 'hashtype', 'hash'] as const;
/** What lookaside URL templates are filled with for one listed file. */
export interface LookasideFileRef {
  path: string;
  hashType: string;
  hash: string;
}

/** The {placeholders} of a URL template that albs does not know, for the config check. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((p) => !(LOOKASIDE_PLACEHOLDERS as readonly string[]).includes(p));
}

/** The URL of one listed file: the template with its placeholders filled in, each URL-encoded. */
export function lookasideUrl(template: string, name: string, entry: LookasideFileRef): string {
  const values: Record<string, string> = {
    name,
    filename: entry.path.split('/').pop() ?? entry.path,
    hashtype: entry.hashType,
    hash: entry.hash,
  };
  return template.replace(/\{(name|filename|hashtype|hash)\}/g, (_, key: string) =>
    encodeURIComponent(values[key] ?? ''),
  );
}
