import { MemoryJobQueue } from '../../src/queue/memory/memory-job-queue.js';
import { jobQueueConformance } from './job-queue-conformance.js';

jobQueueConformance('MemoryJobQueue', async () => new MemoryJobQueue());
