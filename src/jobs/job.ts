import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Embedder } from '../llm/embeddings.js';
import type { Metrics } from '../observability/metrics.js';
import { tracer } from '../observability/telemetry.js';

/** What a job processor may use. */
export interface JobDeps {
  db: Db;
  embedder: Embedder;
  config: Config;
  metrics?: Metrics;
  log: JobLogger;
}

/** The few log levels processors use (pino's shape, so app.log or a pino logger fits). */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How often and how patiently a queue retries a failed job. */
export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  /** Delay before the first retry; it doubles on each further one. */
  backoffMs: number;
}

/** One try of one job, as its processor sees it. */
export interface JobContext {
  deps: JobDeps;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  jobId: string;
}

/** A queue: its name, payload schema, retry policy and processor. One file per queue defines one. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: string;
  payload: S;
  retry: RetryPolicy;
  /** Jobs of this queue processed at once per worker (defaults to JOB_CONCURRENCY). */
  concurrency?: number;
  process(payload: z.output<S>, ctx: JobContext): Promise<unknown>;
}

/** Declares a queue with its payload type inferred from its schema. */
export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** Options of one enqueue. */
export interface EnqueueOptions {
  /** Deduplicates: a job with the same id that is still waiting is not added twice. */
  jobId?: string;
  delayMs?: number;
}

/** Queue depth by state, for the queue_depth gauge. */
export interface QueueDepth {
  queue: string;
  state: string;
  count: number;
}

/** Runs jobs: BullMQ on Redis, or in-process; the producer and processor code is the same. */
export interface JobRunner {
  readonly mode: 'bullmq' | 'inline';
  /** Validates the payload and queues a job; returns its id. */
  enqueue<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, opts?: EnqueueOptions): Promise<string>;
  /** Starts processing (a worker process, or the API when jobs run in-process). */
  startWorkers(): Promise<void>;
  /** Adds the periodic jobs (sweeps, roll-ups). */
  schedule(every: { def: JobDefinition; payload: unknown; everyMs: number }[]): Promise<void>;
  depths(): Promise<QueueDepth[]>;
  /** Readiness: is the queue backend reachable? */
  ping(): Promise<void>;
  /** Resolves when no job is waiting, delayed or running (tests, graceful shutdown). */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The trace context a job carries from its producer to its processor. */
export type TraceCarrier = Record<string, string>;

/** What is stored in the queue: the payload plus the producer's trace context. */
export interface JobEnvelope {
  payload: unknown;
  trace?: TraceCarrier;
}

/** Validates a payload and wraps it with the current trace context, under a producer span. */
export function envelopeFor<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>): JobEnvelope {
  const parsed = def.payload.parse(payload);
  const span = tracer.startSpan(`publish ${def.queue}`, {
    kind: SpanKind.PRODUCER,
    attributes: { 'messaging.system': 'bullmq', 'messaging.destination.name': def.queue, 'messaging.operation.type': 'send' },
  });
  const carrier: TraceCarrier = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  span.end();
  return { payload: parsed, trace: carrier };
}

/** The delay before retry number `retry` (1-based) under a policy. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return policy.backoffMs * 2 ** (retry - 1);
}

/**
 * Processes one try of a job: payload validation (a bad payload is unrecoverable), a consumer span
 * linked to the producer's trace, the processor, and the job metrics. Both runners call this.
 */
export async function runJob(def: JobDefinition, envelope: JobEnvelope, ctx: JobContext): Promise<unknown> {
  const parent = envelope.trace ? propagation.extract(context.active(), envelope.trace) : context.active();
  const metrics = ctx.deps.metrics;
  const started = performance.now();
  return tracer.startActiveSpan(
    `process ${def.queue}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': def.queue,
        'messaging.operation.type': 'process',
        'messaging.message.id': ctx.jobId,
        'switchboard.job.attempt': ctx.attempt,
      },
    },
    parent,
    async (span) => {
      try {
        const parsed = def.payload.safeParse(envelope.payload);
        if (!parsed.success) throw new UnrecoverableError(`invalid ${def.queue} payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        const result = await def.process(parsed.data, ctx);
        metrics?.jobs.inc({ queue: def.queue, status: 'completed' });
        return result;
      } catch (err) {
        const final = err instanceof UnrecoverableError || ctx.attempt >= ctx.maxAttempts;
        metrics?.jobs.inc({ queue: def.queue, status: final ? 'failed' : 'retried' });
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        ctx.deps.log[final ? 'error' : 'warn']({ queue: def.queue, job_id: ctx.jobId, attempt: ctx.attempt, err }, final ? 'job failed' : 'job failed, will retry');
        throw err;
      } finally {
        metrics?.jobDuration.observe({ queue: def.queue }, (performance.now() - started) / 1000);
        span.end();
      }
    },
  );
}

export { UnrecoverableError };
