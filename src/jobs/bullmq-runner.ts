import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { createRedis } from '../infra/redis.js';
import { within } from '../util/deadline.js';
import { envelopeFor, runJob, type EnqueueOptions, type JobDefinition, type JobDeps, type JobEnvelope, type JobRunner, type QueueDepth } from './job.js';

const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** How long a request waits for BullMQ (enqueue, counts, ping) before Redis counts as down. */
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * BullMQ on Redis: every API process produces, `npm run worker` processes (exactly once per job,
 * retried with exponential backoff). It opens its own ioredis connection with
 * `maxRetriesPerRequest: null`, as BullMQ requires; workers open their blocking connections from it.
 */
export class BullmqJobRunner implements JobRunner {
  readonly mode = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly deps: JobDeps,
    private readonly opts: { redisUrl: string; prefix: string; concurrency: number; definitions: JobDefinition[]; backoffMs?: number },
  ) {
    this.connection = createRedis(opts.redisUrl, { forBullmq: true, name: 'switchboard-jobs' });
    for (const d of opts.definitions) {
      this.queues.set(
        d.queue,
        new Queue(d.queue, {
          connection: this.connection,
          prefix: opts.prefix,
          defaultJobOptions: {
            attempts: d.retry.attempts,
            backoff: { type: 'exponential', delay: opts.backoffMs ?? d.retry.backoffMs },
            removeOnComplete: { age: 24 * 3600, count: 1000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        }),
      );
    }
  }

  async enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, opts: EnqueueOptions = {}): Promise<string> {
    const envelope = envelopeFor(def, payload);
    // BullMQ's connection never times a command out (it must not, for its workers): the request path
    // bounds the enqueue itself, so Redis being down is a prompt 503, not a hang.
    try {
      const job = await within(this.queueOf(def.queue).add(def.queue, envelope, { jobId: opts.jobId, delay: opts.delayMs }), ENQUEUE_TIMEOUT_MS, 'queue');
      return job.id ?? opts.jobId ?? '';
    } catch (err) {
      this.deps.log.error({ err, queue: def.queue }, 'could not enqueue a job');
      throw err;
    }
  }

  async startWorkers(): Promise<void> {
    for (const def of this.opts.definitions) {
      const worker = new Worker(
        def.queue,
        (job: Job<JobEnvelope>) => runJob(def, job.data, { deps: this.deps, attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? def.retry.attempts, jobId: job.id ?? '' }),
        { connection: this.connection, prefix: this.opts.prefix, concurrency: def.concurrency ?? this.opts.concurrency },
      );
      // Failures are logged and counted by runJob; a worker-level error (Redis) must not crash the process.
      worker.on('error', (err) => this.deps.log.error({ err, queue: def.queue }, 'job worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async schedule(every: { def: JobDefinition; payload: unknown; everyMs: number }[]): Promise<void> {
    for (const e of every) {
      const envelope: JobEnvelope = { payload: e.def.payload.parse(e.payload) };
      await this.queueOf(e.def.queue).add(`${e.def.queue}:repeat`, envelope, { repeat: { every: e.everyMs }, jobId: `repeat-${e.def.queue}` });
    }
  }

  async depths(): Promise<QueueDepth[]> {
    const out: QueueDepth[] = [];
    for (const [queue, q] of this.queues) {
      const counts = await within(q.getJobCounts(...DEPTH_STATES), ENQUEUE_TIMEOUT_MS, 'queue');
      for (const state of DEPTH_STATES) out.push({ queue, state, count: counts[state] ?? 0 });
    }
    return out;
  }

  async ping(): Promise<void> {
    await within(this.connection.ping(), ENQUEUE_TIMEOUT_MS, 'queue');
  }

  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const busy = (await this.depths()).some((d) => d.state !== 'failed' && d.count > 0);
      if (!busy) return;
      if (Date.now() > deadline) throw new Error('jobs still running');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  private queueOf(name: string): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }
}
