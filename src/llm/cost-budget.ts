import type { Config } from '../config.js';
import type { BudgetCall, BudgetDecision, CallBudget } from './budget.js';

/** The three budgets: one conversation, one customer's UTC day, and everyone's UTC day. */
export type BudgetScope = 'conversation' | 'customer_day' | 'global_day';

/** Limits in US dollars (0 turns a budget off) and the thresholds between warn, degrade and offline. */
export interface BudgetLimits {
  conversationUsd: number;
  customerDayUsd: number;
  globalDayUsd: number;
  /** Share of a budget at which the warning metric counts (0.8). */
  warnRatio: number;
  /**
   * Share at which even the cheaper router model stops and the offline engine answers. Between 1
   * and this, calls to the main model go to the router model (when one is configured).
   */
  hardRatio: number;
  /** The cheaper model (LLM_ROUTER_MODEL) when it differs from the main model. */
  routerModel?: string;
}

/** Where the budgets read what was spent (the composition root fills it with llm_usage queries). */
export interface SpendReader {
  /** One conversation's spend (all time) and one customer's since `since`; null where not asked for. */
  scoped(q: { conversationId?: string; customerId?: string; since: Date }): Promise<{ conversation: number | null; customer: number | null }>;
  /** Everyone's spend since `since`. */
  total(since: Date): Promise<number>;
}

/** The counters the budgets keep (the process's Prometheus metrics fit). */
export interface BudgetCounters {
  budgetWarnings: { inc(labels: { scope: BudgetScope }): void };
  budgetExceeded: { inc(labels: { scope: BudgetScope }): void };
  budgetDegraded: { inc(labels: { mode: Exclude<BudgetDecision, 'allow'> }): void };
}

/** What was spent, per scope, that a decision rests on. */
export type Spend = Record<BudgetScope, number>;

/** The limits a configuration sets. */
export function budgetLimits(config: Config): BudgetLimits {
  return {
    conversationUsd: config.LLM_BUDGET_CONVERSATION_USD,
    customerDayUsd: config.LLM_BUDGET_CUSTOMER_DAY_USD,
    globalDayUsd: config.LLM_BUDGET_GLOBAL_DAY_USD,
    warnRatio: config.LLM_BUDGET_WARN_RATIO,
    hardRatio: 1.2,
    routerModel: config.LLM_ROUTER_MODEL && config.LLM_ROUTER_MODEL !== config.LLM_MODEL ? config.LLM_ROUTER_MODEL : undefined,
  };
}

/** Each scope's spend as a share of its limit (scopes that are off or do not apply are left out). */
export function ratios(spend: Partial<Spend>, limits: BudgetLimits): Partial<Record<BudgetScope, number>> {
  const out: Partial<Record<BudgetScope, number>> = {};
  const put = (scope: BudgetScope, limit: number) => {
    const s = spend[scope];
    if (limit > 0 && s !== undefined) out[scope] = s / limit;
  };
  put('conversation', limits.conversationUsd);
  put('customer_day', limits.customerDayUsd);
  put('global_day', limits.globalDayUsd);
  return out;
}

/**
 * The decision for a call given the spend: below 100% of every budget, allow; from 100%, a call to
 * the main model goes to the cheaper router model when there is one; from the hard ratio (or at
 * 100% with no cheaper model, or for a call already on the cheaper model), the offline engine.
 */
export function decide(call: Pick<BudgetCall, 'model'>, worst: number, limits: BudgetLimits): BudgetDecision {
  if (worst < 1) return 'allow';
  const onCheaper = limits.routerModel !== undefined && call.model === limits.routerModel;
  if (limits.routerModel && !onCheaper && worst < limits.hardRatio) return 'router_model';
  if (onCheaper && worst < limits.hardRatio) return 'allow';
  return 'offline';
}

/** Where a budget stands: off (no limit), ok, past the warning ratio, spent (calls degrade to the cheaper model), or exhausted (the offline engine answers). */
export type BudgetState = 'off' | 'ok' | 'warning' | 'degraded' | 'exhausted';

/** The state of a budget at `spent` dollars, as the decision for a call to the main model sees it. */
export function budgetState(spent: number, limit: number, limits: BudgetLimits): BudgetState {
  if (limit <= 0) return 'off';
  const ratio = spent / limit;
  if (ratio < limits.warnRatio) return 'ok';
  if (ratio < 1) return 'warning';
  return decide({ model: '' }, ratio, limits) === 'router_model' ? 'degraded' : 'exhausted';
}

const startOfUtcDay = (now: number) => {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
};

interface Cached {
  value: number;
  at: number;
}

/**
 * The cost budgets — per conversation, per customer per UTC day, and global per UTC day — read from
 * llm_usage and consulted before every LLM call. At the warning ratio it counts
 * llm_budget_warnings_total; when spent, llm_budget_exceeded_total and the degraded path it chose.
 * What was read is kept for the turn (`prime` with the turn's message, `forget` once its reply is
 * stored; a few seconds at most) and every call this process pays for is added to it at once
 * (`noteSpend`): a turn reads its budgets once, not before each model call, its own spending counts
 * before its next call, and the next turn reads what other processes spent meanwhile.
 */
export class CostBudget implements CallBudget {
  private globalCache: { day: number; value: number; at: number } | null = null;
  private readonly conversations = new Map<string, Cached>();
  private readonly customers = new Map<string, Cached>();

  constructor(
    private readonly spent: SpendReader,
    private readonly limits: BudgetLimits,
    private readonly metrics?: BudgetCounters,
    /** globalCacheMs: the global day total's cache; scopeCacheMs (default: the same) the conversation's and customer's. */
    private readonly opts: { globalCacheMs?: number; scopeCacheMs?: number; now?: () => number } = {},
  ) {}

  async check(call: BudgetCall): Promise<BudgetDecision> {
    const spend = await this.spend(call);
    const r = ratios(spend, this.limits);
    let worst = 0;
    for (const [scope, ratio] of Object.entries(r) as [BudgetScope, number][]) {
      worst = Math.max(worst, ratio);
      if (ratio >= 1) this.metrics?.budgetExceeded.inc({ scope });
      else if (ratio >= this.limits.warnRatio) this.metrics?.budgetWarnings.inc({ scope });
    }
    const decision = decide(call, worst, this.limits);
    if (decision !== 'allow') this.metrics?.budgetDegraded.inc({ mode: decision });
    return decision;
  }

  /** Adds a call this process paid for to what is cached, so the budgets count it before the row is read back. */
  noteSpend(row: { conversationId?: string; customerId?: string; costUsd: number }): void {
    if (!(row.costUsd > 0)) return;
    const now = this.now();
    const day = startOfUtcDay(now).getTime();
    if (row.conversationId) {
      const c = this.conversations.get(row.conversationId);
      if (c) c.value += row.costUsd;
    }
    if (row.customerId) {
      const c = this.customers.get(`${row.customerId}:${day}`);
      if (c) c.value += row.costUsd;
    }
    if (this.globalCache?.day === day) this.globalCache.value += row.costUsd;
  }

  /**
   * Takes a turn's spend as read with its message (the accept statement), so the turn's calls need no
   * read of their own; null where it was not read.
   */
  prime(q: { conversationId: string; customerId?: string | null }, spend: { conversation: number | null; customer: number | null }): void {
    const now = this.now();
    if (spend.conversation !== null) this.remember(this.conversations, q.conversationId, spend.conversation, now);
    if (q.customerId && spend.customer !== null) this.remember(this.customers, `${q.customerId}:${startOfUtcDay(now).getTime()}`, spend.customer, now);
  }

  /** Ends a turn: its conversation's and customer's spend are read again by the next turn (other processes spend too). */
  forget(q: { conversationId: string; customerId?: string | null }): void {
    this.conversations.delete(q.conversationId);
    if (q.customerId) this.customers.delete(`${q.customerId}:${startOfUtcDay(this.now()).getTime()}`);
  }

  /** What has been spent in each scope that applies to the call. */
  async spend(call: Pick<BudgetCall, 'conversationId' | 'customerId'>): Promise<Partial<Spend>> {
    const now = this.now();
    const dayStart = startOfUtcDay(now);
    const out: Partial<Spend> = {};
    const conversationId = this.limits.conversationUsd > 0 ? call.conversationId : undefined;
    const customerKey = this.limits.customerDayUsd > 0 && call.customerId ? `${call.customerId}:${dayStart.getTime()}` : undefined;
    const cachedConversation = conversationId ? this.fresh(this.conversations, conversationId, now) : undefined;
    const cachedCustomer = customerKey ? this.fresh(this.customers, customerKey, now) : undefined;
    const askConversation = conversationId && cachedConversation === undefined;
    const askCustomer = customerKey && cachedCustomer === undefined;
    if (askConversation || askCustomer) {
      // One query for whatever is not cached.
      const row = await this.spent.scoped({
        conversationId: askConversation ? conversationId : undefined,
        customerId: askCustomer ? call.customerId : undefined,
        since: dayStart,
      });
      if (askConversation) this.remember(this.conversations, conversationId, row.conversation ?? 0, now);
      if (askCustomer) this.remember(this.customers, customerKey, row.customer ?? 0, now);
    }
    if (conversationId) out.conversation = this.conversations.get(conversationId)?.value ?? 0;
    if (customerKey) out.customer_day = this.customers.get(customerKey)?.value ?? 0;
    if (this.limits.globalDayUsd > 0) out.global_day = await this.globalSpend(dayStart.getTime(), now);
    return out;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private fresh(map: Map<string, Cached>, key: string, now: number): number | undefined {
    const c = map.get(key);
    const ttl = this.opts.scopeCacheMs ?? this.opts.globalCacheMs ?? 5000;
    if (c && now - c.at < ttl) return c.value;
    return undefined;
  }

  private remember(map: Map<string, Cached>, key: string, value: number, now: number): void {
    map.delete(key);
    if (map.size >= 10_000) {
      // Maps iterate in insertion order: the oldest read goes first.
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    map.set(key, { value, at: now });
  }

  private async globalSpend(day: number, now: number): Promise<number> {
    const ttl = this.opts.globalCacheMs ?? 5000;
    const c = this.globalCache;
    if (c && c.day === day && now - c.at < ttl) return c.value;
    const value = await this.spent.total(new Date(day));
    this.globalCache = { day, value, at: now };
    return value;
  }
}

/** The budgets a configuration sets, ready for `LlmRegistry.setBudget()`. */
export function costBudget(spent: SpendReader, config: Config, metrics?: BudgetCounters): CostBudget {
  return new CostBudget(spent, budgetLimits(config), metrics);
}
