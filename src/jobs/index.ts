import type { Config } from '../config.js';
import { BullmqJobRunner } from './bullmq-runner.js';
import { conversationSummaries } from './conversation-summaries.js';
import { InlineJobRunner } from './inline-runner.js';
import type { JobDefinition, JobDeps, JobRunner } from './job.js';
import { knowledgeIngestion } from './knowledge-ingestion.js';
import { ticketNotifications } from './ticket-notifications.js';
import { usageRollups } from './usage-rollups.js';

/** Every queue the service has. */
export const JOB_DEFINITIONS: JobDefinition[] = [knowledgeIngestion, ticketNotifications, conversationSummaries, usageRollups] as unknown as JobDefinition[];

/** The periodic jobs a worker schedules: the idle-conversation sweep and the usage roll-up. */
export const PERIODIC_JOBS = [
  { def: conversationSummaries as unknown as JobDefinition, payload: { kind: 'sweep' }, everyMs: 5 * 60_000 },
  { def: usageRollups as unknown as JobDefinition, payload: {}, everyMs: 60 * 60_000 },
];

/**
 * The job runner for a configuration: BullMQ when REDIS_URL is set (keys under REDIS_KEY_PREFIX),
 * in-process otherwise. `backoffMs` overrides every queue's first retry delay (tests).
 */
export function createJobRunner(config: Config, deps: JobDeps, opts: { backoffMs?: number } = {}): JobRunner {
  if (config.REDIS_URL) {
    return new BullmqJobRunner(deps, {
      redisUrl: config.REDIS_URL,
      prefix: `${config.REDIS_KEY_PREFIX}bull`,
      concurrency: config.JOB_CONCURRENCY,
      definitions: JOB_DEFINITIONS,
      backoffMs: opts.backoffMs,
    });
  }
  return new InlineJobRunner(deps, { concurrency: config.JOB_CONCURRENCY, definitions: JOB_DEFINITIONS, backoffMs: opts.backoffMs });
}

/** Whether this API process should process jobs itself (always without Redis; with Redis only when asked). */
export function apiRunsWorkers(config: Config): boolean {
  return !config.REDIS_URL || config.JOBS_WORKER_IN_API;
}

export type { JobRunner } from './job.js';
