import { describe, expect, it } from 'vitest';
import {
  buildQueueLabels,
  buildQueueName,
  bullmqJobId,
  bullmqQueueOf,
  parseBullmqJobId,
} from '../../src/queue/bullmq/queue-names.js';

describe('BullMQ queue and job names', () => {
  it('names a build queue by its labels, deduplicated and sorted, and reads them back', () => {
    expect(buildQueueName(['x86_64', 'el9', 'x86_64'])).toBe('albs:build:el9+x86_64');
    expect(buildQueueName(['el9', 'x86_64'])).toBe(buildQueueName(['x86_64', 'el9']));
    expect(buildQueueName([])).toBe('albs:build:any');
    expect(buildQueueLabels('albs:build:el9+x86_64')).toEqual(['el9', 'x86_64']);
    expect(buildQueueLabels('albs:build:any')).toEqual([]);
    expect(buildQueueLabels('albs:sign')).toBeNull();
  });

  it('escapes what would make a name ambiguous: +, :, % and the label `any`', () => {
    for (const labels of [['a+b'], ['a', 'b'], ['host:1'], ['100%'], ['any'], ['any', 'kvm']]) {
      const name = buildQueueName(labels);
      expect(name.slice('albs:build:'.length)).not.toContain(':');
      expect(buildQueueLabels(name)).toEqual([...labels].sort());
    }
    expect(buildQueueName(['any'])).not.toBe(buildQueueName([]));
    expect(buildQueueName(['a+b'])).not.toBe(buildQueueName(['a', 'b']));
  });

  it('puts all but the last part of a queue name into the BullMQ prefix (BullMQ refuses : in a name)', () => {
    expect(bullmqQueueOf('bull', 'albs:build:el9+x86_64')).toEqual({
      prefix: 'bull:albs:build',
      name: 'el9+x86_64',
    });
    expect(bullmqQueueOf('bull', 'albs:sign')).toEqual({ prefix: 'bull:albs', name: 'sign' });
  });

  it('makes job ids of exactly three parts, whatever the pipeline id holds', () => {
    expect(bullmqJobId('01J9ZQ', 'build-x86_64')).toBe('01J9ZQ:build-x86_64:1');
    const id = bullmqJobId('a:b%c', 'build.1', 2);
    expect(id.split(':')).toHaveLength(3);
    expect(parseBullmqJobId(id)).toEqual({ pipelineId: 'a:b%c', jobId: 'build.1', attempt: 2 });
    expect(parseBullmqJobId('repeat:x')).toBeNull();
    expect(parseBullmqJobId('a:b:zero')).toBeNull();
  });
});
