import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { countActiveConversations } from '../db/queries/outcomes.js';
import { createJobRunner, type JobRunner } from '../jobs/index.js';
import type { JobLogger } from '../jobs/job.js';
import { costBudget } from '../llm/cost-budget.js';
import type { Embedder } from '../llm/embeddings.js';
import type { LlmRegistry } from '../llm/registry.js';
import { llmObserver } from './llm-observer.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';

/** How recently a conversation must have moved to count in active_conversations. */
export const ACTIVE_WINDOW_MINUTES = 30;

/**
 * Creates this process's metrics and job runner, adds the `queues` readiness probe, and connects
 * the scrape-time gauges (active conversations, queue depths, dependency_up) to their sources.
 */
export function createObservability(
  base: { config: Config; db: Db; embedder: Embedder; readiness: Record<string, () => Promise<void>> },
  opts: { log?: JobLogger; metrics?: Metrics; backoffMs?: number } = {},
): { metrics: Metrics; jobs: JobRunner } {
  const metrics = opts.metrics ?? createMetrics();
  const log = opts.log ?? createLogger(base.config.LOG_LEVEL);
  const jobs = createJobRunner(base.config, { db: base.db, embedder: base.embedder, config: base.config, metrics, log }, { backoffMs: opts.backoffMs });
  base.readiness.queues = () => jobs.ping();
  metrics.bindSources({
    activeConversations: () => countActiveConversations(base.db, ACTIVE_WINDOW_MINUTES),
    queueDepths: () => jobs.depths(),
    readiness: base.readiness,
  });
  return { metrics, jobs };
}

/**
 * Plugs this process's metrics and tracing into the LLM layer (one observer for every model call)
 * and the cost budgets into its budget seam (per conversation, per customer per day, global per day).
 */
export function instrumentLlm(llm: LlmRegistry, deps: { db: Db; config: Config; metrics?: Metrics }): LlmRegistry {
  if (deps.metrics) llm.addObserver(llmObserver(deps.metrics));
  if (deps.config.LLM_PROVIDER !== 'offline') llm.setBudget(costBudget(deps.db, deps.config, deps.metrics));
  return llm;
}
