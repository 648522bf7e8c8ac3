import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { within } from '../util/deadline.js';

/** The longest a scrape waits for a dependency (queue depths, probes): a down Redis never holds /metrics. */
const SCRAPE_WAIT_MS = 300;

// Bucket sets, in seconds (CSAT in rating points). Chosen around the alert thresholds: HTTP p99 500 ms,
// agent p99 5 s, so each threshold sits on a bucket boundary and histogram_quantile is exact there.
export const BUCKETS = {
  http: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  agent: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  llm: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
  ttft: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  vectorSearch: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  job: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
  csat: [1, 2, 3, 4, 5],
  approval: [10, 60, 300, 900, 1800, 3600, 4 * 3600, 8 * 3600, 24 * 3600, 72 * 3600],
} as const;

/** Values read from the database, queues and probes at scrape time. */
export interface ScrapeSources {
  /** Conversations open right now (not ended, recently active). */
  activeConversations?: () => Promise<number>;
  /** Jobs per queue and state (waiting, active, delayed, failed). */
  queueDepths?: () => Promise<{ queue: string; state: string; count: number }[]>;
  /** The readiness probes; each is reported as 1 (up) or 0 (down). */
  readiness?: Record<string, () => Promise<void>>;
}

/** Every metric the service exports, registered on its own registry (one per app; tests get a fresh one). */
export class Metrics {
  readonly registry = new Registry();
  private sources: ScrapeSources = {};

  // HTTP
  readonly httpRequests: Counter<'method' | 'endpoint' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'endpoint'>;
  // Agents and tools
  readonly agentRequests: Counter<'agent_type' | 'status'>;
  readonly agentDuration: Histogram<'agent_type'>;
  readonly agentToolCalls: Counter<'agent_type' | 'tool_name' | 'status'>;
  readonly routerFallbacks: Counter<'reason'>;
  readonly vectorSearchDuration: Histogram<string>;
  // LLM and cost
  readonly llmRequests: Counter<'model' | 'status'>;
  readonly llmTokens: Counter<'model' | 'type'>;
  readonly llmDuration: Histogram<'model'>;
  readonly llmTimeToFirstToken: Histogram<'model'>;
  readonly llmCost: Counter<'model' | 'agent_type'>;
  readonly budgetWarnings: Counter<'scope'>;
  readonly budgetExceeded: Counter<'scope'>;
  readonly budgetDegraded: Counter<'mode'>;
  readonly llmFallbacks: Counter<'agent_type' | 'reason'>;
  readonly llmRetries: Counter<'model' | 'reason'>;
  readonly llmCircuitState: Gauge<'model'>;
  // Conversations
  readonly conversations: Counter<'outcome'>;
  readonly handoffs: Counter<'reason'>;
  readonly csat: Histogram<string>;
  // Account actions
  readonly actions: Counter<'type' | 'outcome'>;
  readonly actionApprovalWait: Histogram<string>;
  readonly activeConversations: Gauge<string>;
  // Jobs and dependencies
  readonly queueDepth: Gauge<'queue' | 'state'>;
  readonly jobs: Counter<'queue' | 'status'>;
  readonly jobDuration: Histogram<'queue'>;
  readonly dependencyUp: Gauge<'dependency'>;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    const self = this;
    this.httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by method, route template and status', labelNames: ['method', 'endpoint', 'status'], registers });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method and route template',
      labelNames: ['method', 'endpoint'],
      buckets: [...BUCKETS.http],
      registers,
    });
    this.agentRequests = new Counter({ name: 'agent_requests_total', help: 'Agent runs by agent and status', labelNames: ['agent_type', 'status'], registers });
    this.agentDuration = new Histogram({ name: 'agent_processing_duration_seconds', help: 'Time an agent takes to answer a turn', labelNames: ['agent_type'], buckets: [...BUCKETS.agent], registers });
    this.agentToolCalls = new Counter({ name: 'agent_tool_calls_total', help: 'Tool calls by agent, tool and status', labelNames: ['agent_type', 'tool_name', 'status'], registers });
    this.routerFallbacks = new Counter({ name: 'router_fallbacks_total', help: 'Router decisions taken by the offline classifier instead of the LLM, by reason', labelNames: ['reason'], registers });
    this.vectorSearchDuration = new Histogram({ name: 'vector_search_duration_seconds', help: 'Hybrid knowledge search duration', buckets: [...BUCKETS.vectorSearch], registers });
    this.llmRequests = new Counter({ name: 'llm_requests_total', help: 'LLM calls by model and status', labelNames: ['model', 'status'], registers });
    this.llmTokens = new Counter({ name: 'llm_tokens_total', help: 'LLM tokens by model and type (input, output, cached)', labelNames: ['model', 'type'], registers });
    this.llmDuration = new Histogram({ name: 'llm_request_duration_seconds', help: 'LLM call duration by model', labelNames: ['model'], buckets: [...BUCKETS.llm], registers });
    this.llmTimeToFirstToken = new Histogram({
      name: 'llm_time_to_first_token_seconds',
      help: 'Time to the first streamed token by model',
      labelNames: ['model'],
      buckets: [...BUCKETS.ttft],
      registers,
    });
    this.llmCost = new Counter({ name: 'llm_cost_usd_total', help: 'LLM spend in US dollars by model and agent', labelNames: ['model', 'agent_type'], registers });
    this.budgetWarnings = new Counter({
      name: 'llm_budget_warnings_total',
      help: 'Turns that found a cost budget at 80% or more, by scope (conversation, customer_day, global_day)',
      labelNames: ['scope'],
      registers,
    });
    this.budgetExceeded = new Counter({ name: 'llm_budget_exceeded_total', help: 'Turns that found a cost budget spent, by scope', labelNames: ['scope'], registers });
    this.budgetDegraded = new Counter({
      name: 'llm_budget_degraded_calls_total',
      help: 'LLM calls sent down a cheaper path because a budget was spent, by mode (router_model, offline)',
      labelNames: ['mode'],
      registers,
    });
    this.llmFallbacks = new Counter({
      name: 'llm_fallbacks_total',
      help: 'LLM calls the offline engine answered instead, by agent and reason (timeout, rate_limited, circuit_open, budget, ...)',
      labelNames: ['agent_type', 'reason'],
      registers,
    });
    this.llmRetries = new Counter({ name: 'llm_retries_total', help: 'LLM call attempts retried, by model and failure kind', labelNames: ['model', 'reason'], registers });
    this.llmCircuitState = new Gauge({ name: 'llm_circuit_state', help: 'Circuit breaker per model: 0 closed, 1 half-open, 2 open', labelNames: ['model'], registers });
    this.conversations = new Counter({ name: 'conversations_total', help: 'Conversations ended, by outcome (resolved, handed_off, abandoned)', labelNames: ['outcome'], registers });
    this.handoffs = new Counter({ name: 'handoffs_total', help: 'Conversations handed to a human, by reason', labelNames: ['reason'], registers });
    this.actions = new Counter({
      name: 'actions_total',
      help: 'Account actions by type and outcome (proposed, refused, confirmed, declined, expired, rejected, completed, failed)',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.actionApprovalWait = new Histogram({
      name: 'action_approval_wait_seconds',
      help: 'Time from the customer confirming an approve-tier action to the staff decision',
      buckets: [...BUCKETS.approval],
      registers,
    });
    this.csat = new Histogram({ name: 'csat_rating', help: 'Customer satisfaction ratings (1-5)', buckets: [...BUCKETS.csat], registers });
    this.activeConversations = new Gauge({
      name: 'active_conversations',
      help: 'Conversations open now (not ended, active in the last 30 minutes)',
      registers,
      async collect() {
        const read = self.sources.activeConversations;
        if (!read) return;
        try {
          this.set(await within(read(), SCRAPE_WAIT_MS, 'database'));
        } catch {
          // The database being down is reported by dependency_up; keep the last value.
        }
      },
    });
    this.queueDepth = new Gauge({
      name: 'queue_depth',
      help: 'Background jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const read = self.sources.queueDepths;
        if (!read) return;
        try {
          for (const d of await within(read(), SCRAPE_WAIT_MS, 'queue')) this.set({ queue: d.queue, state: d.state }, d.count);
        } catch {
          // Redis being down is reported by dependency_up.
        }
      },
    });
    this.jobs = new Counter({ name: 'jobs_total', help: 'Background jobs finished, by queue and status (completed, failed, retried)', labelNames: ['queue', 'status'], registers });
    this.jobDuration = new Histogram({ name: 'job_duration_seconds', help: 'Background job processing time by queue', labelNames: ['queue'], buckets: [...BUCKETS.job], registers });
    this.dependencyUp = new Gauge({
      name: 'dependency_up',
      help: 'Readiness of each dependency at scrape time: 1 reachable, 0 not',
      labelNames: ['dependency'],
      registers,
      async collect() {
        const probes = self.sources.readiness;
        if (!probes) return;
        await Promise.all(
          Object.entries(probes).map(async ([dependency, probe]) => {
            this.set({ dependency }, (await probeWithin(probe, SCRAPE_WAIT_MS)) ? 1 : 0);
          }),
        );
      },
    });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Connects the scrape-time readers (database, queues, probes) once they exist. */
  bindSources(sources: ScrapeSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** The content type of render()'s output. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

async function probeWithin(probe: () => Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Creates the service's metrics on a fresh registry (process default metrics included unless turned off). */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  return new Metrics(opts);
}
