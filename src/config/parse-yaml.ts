import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Position, Problem } from './problem.js';

/** Files larger than this are refused before parsing: a pipeline file is a few KB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** What a file is called in whole-file problems, and how to keep it small. */
export interface FileKind {
  /** "a pipeline file". */
  noun: string;
  /** What albs reads from it: "albs reads a pipeline from a regular file". */
  contents: string;
  /** The fix for a file over MAX_CONFIG_BYTES. */
  smaller: string;
}

/** A .albs.yml. */
export const PIPELINE_FILE: FileKind = {
  noun: 'a pipeline file',
  contents: 'a pipeline',
  smaller: 'keep .albs.yml small and move data into the repository',
};

/** Aliases beyond this are refused: a billion-laughs document expands exponentially. */
const MAX_ALIAS_COUNT = 50;

export type YamlPath = (string | number)[];

/** A parsed YAML file that can say where any path of it was written. */
export interface ParsedYaml {
  value: unknown;
  /** Position of the value at `path`, or of its nearest existing parent. */
  locate(path: YamlPath): Position;
  /** Position of the key at `path` (its last element), falling back to the value's. */
  locateKey(path: YamlPath): Position;
  /** Position of `needle` inside the string scalar at `path`, when it was written on one line; else the scalar's. */
  locateInString(path: YamlPath, needle: string): Position;
}

export type ParseResult = { ok: true; parsed: ParsedYaml } | { ok: false; problems: Problem[] };

export function parseYaml(text: string, file: string, kind: FileKind = PIPELINE_FILE): ParseResult {
  const whole = (message: string, pos: Position = { line: 1, col: 1 }): ParseResult => ({
    ok: false,
    problems: [{ severity: 'error', file, ...pos, message, path: [] }],
  });
  const size = new TextEncoder().encode(text).length;
  if (size > MAX_CONFIG_BYTES) {
    return whole(
      `the file is ${size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for ${kind.noun}; ${kind.smaller}`,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    keepSourceTokens: true,
  });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        severity: 'error',
        file,
        ...at(e.pos[0]),
        message: yamlErrorMessage(e.code, e.message, text.slice(e.pos[0], e.pos[0] + 200)),
        path: [],
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) {
      return whole(
        `the file uses YAML aliases too often (more than ${MAX_ALIAS_COUNT} expansions); write the values out or use fewer anchors`,
      );
    }
    return whole(`the file cannot be read as YAML: ${message}`);
  }
  return { ok: true, parsed: locator(doc, value, at) };
}

function yamlErrorMessage(code: string, message: string, source: string): string {
  const first = message.split('\n')[0] ?? message;
  if (code === 'DUPLICATE_KEY') {
    // The error's span starts at the repeated key: name it, as a person would.
    const key = /^\s*("[^"]*"|'[^']*'|[^:\n]+?)\s*(:|$)/.exec(source)?.[1];
    return key
      ? `the key ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`} appears twice in this mapping; keep one and remove the other`
      : `${first.replace(/\.$/, '')}; each key may appear once in a mapping, remove one`;
  }
  if (code === 'TAB_AS_INDENT') return `${first.replace(/\.$/, '')}; indent with spaces`;
  return `invalid YAML: ${first}`;
}

function locator(doc: Document, value: unknown, at: (offset: number) => Position): ParsedYaml {
  const root = { line: 1, col: 1 };
  /** The deepest node along `path` and, when the last step was a map key, the key node. */
  const walk = (path: YamlPath): { node: Node | null; key: Node | null } => {
    let node: Node | null = (doc.contents as Node | null) ?? null;
    let key: Node | null = null;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step),
        );
        if (!pair) return { node, key: null };
        key = (pair.key as Node) ?? null;
        node = (pair.value as Node | null) ?? key;
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step] as Node | undefined;
        if (!item) return { node, key: null };
        node = item;
        key = null;
      } else {
        return { node, key: null };
      }
    }
    return { node, key };
  };
  const start = (node: Node | null): Position => (node?.range ? at(node.range[0]) : root);
  return {
    value,
    // A section (a block mapping or list under a key) is named by its key: its value starts a line later.
    locate: (path) => {
      const { node, key } = walk(path);
      const block = (isMap(node) || isSeq(node)) && !node.flow;
      return start(block && key ? key : node);
    },
    locateKey: (path) => {
      const { node, key } = walk(path);
      return start(key ?? node);
    },
    locateInString: (path, needle) => {
      const { node } = walk(path);
      if (!isScalar(node) || !node.range) return start(node);
      // The scalar's source text, quotes included: the needle is found there when it was written on one line.
      const token = node.srcToken;
      const source = token && 'source' in token ? String(token.source) : '';
      const index = source.indexOf(needle);
      if (index < 0 || source.includes('\n')) return start(node);
      return at(node.range[0] + index);
    },
  };
}
