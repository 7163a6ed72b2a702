import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import schema from '../schemas/albs.schema.json' with { type: 'json' };
import { registerCommands } from '../src/cli/commands/index.js';
import { loadConfig } from '../src/config/index.js';
import { REPO_ROOT } from './helpers/cli.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  else?: SchemaNode;
  description?: string;
  examples?: unknown[];
};

/** Every key path a user can write: build.mock.config, test[].run, publish[].when … */
function keyPaths(node: SchemaNode | undefined, path = ''): { path: string; node: SchemaNode }[] {
  if (!node) return [];
  const resolved = node.$ref
    ? { ...(schema.$defs as Record<string, SchemaNode>)[node.$ref.split('/').pop()!], ...node }
    : node;
  const own = Object.entries(resolved.properties ?? {}).flatMap(([key, child]) => {
    const p = path ? `${path}.${key}` : key;
    return [{ path: p, node: child }, ...keyPaths(child, p)];
  });
  return [...own, ...keyPaths(resolved.items, `${path}[]`), ...keyPaths(resolved.else, path)];
}

const paths = keyPaths(schema as SchemaNode);

describe('the README documents the .albs.yml contract', () => {
  it('the schema has every frozen key', () => {
    expect(paths.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'version',
        'source.spec',
        'source.srpm',
        'source.sha256',
        'on.tags',
        'on.branches',
        'on.pull_requests',
        'matrix.include',
        'matrix.exclude',
        'build.builder',
        'build.runs-on',
        'build.timeout',
        'build.env',
        'test',
        'sign.key',
        'publish[].repo',
        'publish[].when',
        'fail-fast',
        'max-parallel',
        'concurrency',
      ]),
    );
  });

  it.each(paths.map((p) => p.path))('the reference has a row for `%s`', (path) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${path.replace(/[[\].]/g, '\\$&')}\` \\|`, 'm'));
  });

  it('every key in the schema has a description and an example', () => {
    for (const { path, node } of paths) {
      const resolved = node.$ref
        ? { ...(schema.$defs as Record<string, SchemaNode>)[node.$ref.split('/').pop()!], ...node }
        : node;
      expect(resolved.description, path).toBeTruthy();
      expect(resolved.examples?.length ?? (Array.isArray(resolved) ? 1 : 0), path).toBeGreaterThan(0);
    }
  });

  it('every yaml block in the README is a valid .albs.yml', () => {
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((b) => b.includes('version:'));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(loadConfig(block, 'README.md').problems).toEqual([]);
  });

  it('the quickstart is two commands, and CI runs the first one verbatim', () => {
    const quickstart = /## Quickstart[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n');
    expect(quickstart).toHaveLength(2);
    expect(quickstart?.[1]).toBe('npm test');
    const ci = readFileSync(join(REPO_ROOT, '.ci/run'), 'utf8');
    expect(ci).toContain(`quickstart='${quickstart?.[0]}'`);
  });
});

describe('the README documents every command', () => {
  const program = new Command('albs');
  registerCommands(program);
  // `albs sign rpm`, `albs verify rpm` …: a command with subcommands is documented by each of them.
  const commands = program.commands.flatMap((command) =>
    command.commands.length > 0
      ? command.commands.map((sub) => `${command.name()} ${sub.name()}`)
      : [command.name()],
  );

  it('finds the commands', () => {
    expect(commands).toEqual(
      expect.arrayContaining(['validate', 'run', 'serve', 'runner', 'signer', 'sign rpm']),
    );
  });

  it.each(commands)('`albs %s` has a row in the Commands table and an example', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`albs ${name}[ \`]`, 'm'));
    expect(readme).toMatch(new RegExp(`^\\$ .*\\balbs ${name}( |$)`, 'm'));
  });
});
