import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../test/db.js';
import { createConversation } from '../db/queries/conversations.js';
import { usageSpend } from '../db/queries/usage.js';
import { customers, llmUsage } from '../db/schema.js';
import { createMetrics } from '../observability/metrics.js';
import { CostBudget, decide, type BudgetLimits } from './cost-budget.js';

const limits: BudgetLimits = { conversationUsd: 0.1, customerDayUsd: 1, globalDayUsd: 50, warnRatio: 0.8, hardRatio: 1.2, routerModel: 'small' };

describe('budget decisions', () => {
  it('allows below 100%, sends main-model calls to the cheaper model from 100%, and goes offline past the hard ratio', () => {
    expect(decide({ model: 'big' }, 0.99, limits)).toBe('allow');
    expect(decide({ model: 'big' }, 1, limits)).toBe('router_model');
    expect(decide({ model: 'small' }, 1.1, limits)).toBe('allow');
    expect(decide({ model: 'big' }, 1.2, limits)).toBe('offline');
    expect(decide({ model: 'small' }, 1.2, limits)).toBe('offline');
  });

  it('goes straight offline at 100% when there is no cheaper model', () => {
    expect(decide({ model: 'big' }, 1, { ...limits, routerModel: undefined })).toBe('offline');
  });
});

describe.each(DRIVERS)('cost budget over llm_usage (%s)', (driver) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('reads conversation, customer-day and global-day spend; warns at 80% and degrades at 100%', async () => {
    const db = tdb.database.db;
    const [customer] = await db.insert(customers).values({ email: 'budget@example.com', name: 'Budget' }).returning();
    const conv = await createConversation(db, { customerId: customer!.id });
    const other = await createConversation(db, { customerId: customer!.id });
    const row = { provider: 'openai', model: 'big', agent: 'faq', customerId: customer!.id };
    await db.insert(llmUsage).values([
      { ...row, conversationId: conv.id, costUsd: 0.085 },
      { ...row, conversationId: other.id, costUsd: 0.5 },
      // Yesterday's spend counts for the conversation, not for today's customer or global budgets.
      { ...row, conversationId: other.id, costUsd: 5, createdAt: new Date(Date.now() - 36 * 3600 * 1000) },
    ]);
    const metrics = createMetrics({ defaultMetrics: false });
    const budget = new CostBudget(usageSpend(db), limits, metrics, { globalCacheMs: 0 });
    const spend = await budget.spend({ conversationId: conv.id, customerId: customer!.id });
    expect(spend.conversation).toBeCloseTo(0.085, 6);
    expect(spend.customer_day).toBeCloseTo(0.585, 6);
    expect(spend.global_day).toBeCloseTo(0.585, 6);

    expect(await budget.check({ agent: 'faq', provider: 'openai', model: 'big', conversationId: conv.id, customerId: customer!.id })).toBe('allow');
    expect(await metrics.registry.getSingleMetricAsString('llm_budget_warnings_total')).toContain('scope="conversation"} 1');

    // The other conversation is far over its own budget: the cheaper model, then offline.
    expect(await budget.check({ agent: 'faq', provider: 'openai', model: 'big', conversationId: other.id })).toBe('offline');
    await db.insert(llmUsage).values({ ...row, conversationId: conv.id, costUsd: 0.02 });
    expect(await budget.check({ agent: 'faq', provider: 'openai', model: 'big', conversationId: conv.id })).toBe('router_model');
    const text = await metrics.render();
    expect(text).toMatch(/^llm_budget_exceeded_total\{scope="conversation"\} 2$/m);
    expect(text).toMatch(/^llm_budget_degraded_calls_total\{mode="router_model"\} 1$/m);
    expect(text).toMatch(/^llm_budget_degraded_calls_total\{mode="offline"\} 1$/m);
  });
});

describe('cost budgets read once and counted on spend', () => {
  const limits = { conversationUsd: 0.1, customerDayUsd: 1, globalDayUsd: 0, warnRatio: 0.8, hardRatio: 1.2 };
  const call = { agent: 'faq', provider: 'openai', model: 'big', conversationId: 'conv-1', customerId: 'cust-1' };

  function reader() {
    const reads: { conversationId?: string; customerId?: string }[] = [];
    return {
      reads,
      scoped: async (q: { conversationId?: string; customerId?: string }) => {
        reads.push({ conversationId: q.conversationId, customerId: q.customerId });
        return { conversation: q.conversationId ? 0.05 : null, customer: q.customerId ? 0.2 : null };
      },
      total: async () => 0,
    };
  }

  it('reads the spend once for the several calls of a turn, and counts what this process spends before the next call', async () => {
    let now = Date.UTC(2026, 11, 7, 12);
    const spent = reader();
    const budget = new CostBudget(spent, limits, undefined, { now: () => now });
    expect(await budget.check(call)).toBe('allow');
    budget.noteSpend({ conversationId: 'conv-1', customerId: 'cust-1', costUsd: 0.03 });
    expect(await budget.check(call)).toBe('allow');
    // 0.05 read + 0.03 + 0.03 spent here: the conversation's 0.10 is reached without reading it again.
    budget.noteSpend({ conversationId: 'conv-1', customerId: 'cust-1', costUsd: 0.03 });
    expect(await budget.check(call)).toBe('offline');
    expect(spent.reads).toEqual([{ conversationId: 'conv-1', customerId: 'cust-1' }]);
    // A new conversation of the same customer reads only its own spend; after the cache's life both are read again.
    await budget.check({ ...call, conversationId: 'conv-2' });
    expect(spent.reads.at(-1)).toEqual({ conversationId: 'conv-2', customerId: undefined });
    now += 6000;
    await budget.check(call);
    expect(spent.reads.at(-1)).toEqual({ conversationId: 'conv-1', customerId: 'cust-1' });
    expect(spent.reads).toHaveLength(3);
  });
});
