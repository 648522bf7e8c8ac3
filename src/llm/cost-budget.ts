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

const startOfUtcDay = (now: number) => {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
};

/**
 * The cost budgets, read from llm_usage before every LLM call: per conversation, per customer per
 * UTC day, and global per UTC day. At the warning ratio it counts llm_budget_warnings_total; when
 * spent, llm_budget_exceeded_total and the degraded path it chose. The global day total is cached
 * for a few seconds (it sums every row of the day); the other two are exact, indexed lookups.
 */
export class CostBudget implements CallBudget {
  private globalCache: { day: number; value: number; at: number } | null = null;

  constructor(
    private readonly spent: SpendReader,
    private readonly limits: BudgetLimits,
    private readonly metrics?: BudgetCounters,
    private readonly opts: { globalCacheMs?: number; now?: () => number } = {},
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

  /** What has been spent in each scope that applies to the call. */
  async spend(call: Pick<BudgetCall, 'conversationId' | 'customerId'>): Promise<Partial<Spend>> {
    const now = this.opts.now?.() ?? Date.now();
    const dayStart = startOfUtcDay(now);
    const out: Partial<Spend> = {};
    const wantConversation = this.limits.conversationUsd > 0 && call.conversationId;
    const wantCustomer = this.limits.customerDayUsd > 0 && call.customerId;
    if (wantConversation || wantCustomer) {
      const row = await this.spent.scoped({
        conversationId: wantConversation ? call.conversationId : undefined,
        customerId: wantCustomer ? call.customerId : undefined,
        since: dayStart,
      });
      if (wantConversation) out.conversation = row.conversation ?? 0;
      if (wantCustomer) out.customer_day = row.customer ?? 0;
    }
    if (this.limits.globalDayUsd > 0) out.global_day = await this.globalSpend(dayStart.getTime(), now);
    return out;
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
