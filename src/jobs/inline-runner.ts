import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { backoffDelay, envelopeFor, runJob, UnrecoverableError, type EnqueueOptions, type JobDefinition, type JobDeps, type JobEnvelope, type JobRunner, type QueueDepth } from './job.js';

interface Pending {
  id: string;
  def: JobDefinition;
  envelope: JobEnvelope;
  attempt: number;
}

/**
 * The in-process twin of the BullMQ runner (embedded mode, no Redis): the same envelopes, retry
 * policy and processors, with waiting jobs held in memory. Jobs are lost if the process dies, which
 * is the embedded mode's trade-off; production runs BullMQ.
 */
export class InlineJobRunner implements JobRunner {
  readonly mode = 'inline' as const;
  private readonly waiting = new Map<string, Pending[]>();
  private readonly running = new Map<string, number>();
  private readonly delayed = new Map<string, Set<NodeJS.Timeout>>();
  private readonly failed = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private started = false;
  private closed = false;

  constructor(
    private readonly deps: JobDeps,
    private readonly opts: { concurrency: number; definitions: JobDefinition[]; backoffMs?: number },
  ) {
    for (const d of opts.definitions) {
      this.waiting.set(d.queue, []);
      this.running.set(d.queue, 0);
      this.delayed.set(d.queue, new Set());
      this.failed.set(d.queue, 0);
    }
  }

  async enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, opts: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw new Error('job runner is closed');
    const envelope = envelopeFor(def, payload);
    const queue = this.queueOf(def.queue);
    if (opts.jobId) {
      const same = queue.find((p) => p.id === opts.jobId);
      if (same) return same.id;
    }
    const job: Pending = { id: opts.jobId ?? randomUUID(), def: def as unknown as JobDefinition, envelope, attempt: 1 };
    if (opts.delayMs) this.later(job, opts.delayMs);
    else {
      queue.push(job);
      this.pump(def.queue);
    }
    return job.id;
  }

  async startWorkers(): Promise<void> {
    this.started = true;
    for (const q of this.waiting.keys()) this.pump(q);
  }

  async schedule(every: { def: JobDefinition; payload: unknown; everyMs: number }[]): Promise<void> {
    for (const e of every) {
      const timer = setInterval(() => {
        void this.enqueue(e.def, e.payload, { jobId: `repeat-${e.def.queue}` }).catch(() => {});
      }, e.everyMs);
      timer.unref();
      this.timers.add(timer);
    }
  }

  async depths(): Promise<QueueDepth[]> {
    return [...this.waiting.keys()].flatMap((queue) => [
      { queue, state: 'waiting', count: this.waiting.get(queue)!.length },
      { queue, state: 'active', count: this.running.get(queue)! },
      { queue, state: 'delayed', count: this.delayed.get(queue)!.size },
      { queue, state: 'failed', count: this.failed.get(queue)! },
    ]);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('job runner is closed');
  }

  idle(timeoutMs = 30_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('jobs still running')), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const set of this.delayed.values()) for (const t of set) clearTimeout(t);
    for (const set of this.delayed.values()) set.clear();
    for (const q of this.waiting.values()) q.length = 0;
    if ([...this.running.values()].some((n) => n > 0)) await this.idle().catch(() => {});
  }

  private queueOf(name: string): Pending[] {
    const q = this.waiting.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }

  private isIdle(): boolean {
    for (const q of this.waiting.keys()) {
      if (this.waiting.get(q)!.length || this.running.get(q)! || this.delayed.get(q)!.size) return false;
    }
    return true;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private later(job: Pending, ms: number): void {
    const set = this.delayed.get(job.def.queue)!;
    const timer = setTimeout(() => {
      set.delete(timer);
      if (this.closed) return;
      this.queueOf(job.def.queue).push(job);
      this.pump(job.def.queue);
    }, ms);
    timer.unref();
    set.add(timer);
  }

  private pump(queue: string): void {
    if (!this.started || this.closed) return;
    const waiting = this.queueOf(queue);
    while (waiting.length > 0 && this.running.get(queue)! < (waiting[0]!.def.concurrency ?? this.opts.concurrency)) {
      const job = waiting.shift()!;
      this.running.set(queue, this.running.get(queue)! + 1);
      // Run after the current tick, as BullMQ would: the producer's request finishes first.
      setImmediate(() => void this.execute(job));
    }
  }

  private async execute(job: Pending): Promise<void> {
    const { def } = job;
    try {
      await runJob(def, job.envelope, { deps: this.deps, attempt: job.attempt, maxAttempts: def.retry.attempts, jobId: job.id });
    } catch (err) {
      const retryable = !(err instanceof UnrecoverableError) && job.attempt < def.retry.attempts;
      if (retryable && !this.closed) {
        const policy = this.opts.backoffMs === undefined ? def.retry : { ...def.retry, backoffMs: this.opts.backoffMs };
        this.later({ ...job, attempt: job.attempt + 1 }, backoffDelay(policy, job.attempt));
      } else {
        this.failed.set(def.queue, this.failed.get(def.queue)! + 1);
      }
    } finally {
      this.running.set(def.queue, this.running.get(def.queue)! - 1);
      this.pump(def.queue);
      this.settle();
    }
  }
}
