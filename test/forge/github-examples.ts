import { createRequire } from 'node:module';

/**
 * Real GitHub webhook payloads from npm @octokit/webhooks-examples (community-contributed captures
 * of api.github.com deliveries), picked by event name and a predicate.
 */
interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

const definitions = createRequire(import.meta.url)(
  '@octokit/webhooks-examples/api.github.com/index.json',
) as Definition[];

// biome-ignore lint/suspicious/noExplicitAny: payloads are deep JSON that tests edit freely
export type Payload = Record<string, any>;

/** A deep copy of the first `event` example for which `pick` holds: tests may edit it. */
export function githubExample(event: string, pick: (payload: Payload) => boolean): Payload {
  const definition = definitions.find((d) => d.name === event);
  const found = definition?.examples.find((p) => pick(p as Payload));
  if (found === undefined) throw new Error(`@octokit/webhooks-examples has no matching ${event} example`);
  return structuredClone(found) as Payload;
}
