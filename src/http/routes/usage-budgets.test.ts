import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { customers, llmUsage } from '../../db/schema.js';
import { type BudgetLimits, budgetState } from '../../llm/cost-budget.js';

describe('budgetState', () => {
  const limits: BudgetLimits = { conversationUsd: 1, customerDayUsd: 1, globalDayUsd: 1, warnRatio: 0.8, hardRatio: 1.2 };
  it('is off without a limit, ok below the warning ratio, warning below 100 %, then degraded or exhausted', () => {
    expect(budgetState(5, 0, limits)).toBe('off');
    expect(budgetState(0.5, 1, limits)).toBe('ok');
    expect(budgetState(0.9, 1, limits)).toBe('warning');
    expect(budgetState(1.1, 1, limits)).toBe('exhausted');
    expect(budgetState(1.1, 1, { ...limits, routerModel: 'small' })).toBe('degraded');
    expect(budgetState(1.3, 1, { ...limits, routerModel: 'small' })).toBe('exhausted');
  });
});

describe.each(DRIVERS)('usage budgets (%s)', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver, { LLM_BUDGET_GLOBAL_DAY_USD: '10', LLM_BUDGET_CUSTOMER_DAY_USD: '0.5', LLM_BUDGET_CONVERSATION_USD: '0.2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("shows each budget's state: today's total, the customers and conversations closest to their limits", async () => {
    const alice = await t.login('alice@example.com');
    const chat = async (token?: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { message: 'How long does shipping take?' } })).json()
        .conversation_id as string;
    const a = await chat(alice);
    const b = await chat(alice);
    const [aliceRow] = await t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com'));
    const row = (conversationId: string, costUsd: number, createdAt = new Date()) => ({
      conversationId,
      customerId: aliceRow!.id,
      provider: 'openai',
      model: 'gpt-4o-mini',
      agent: 'faq',
      costUsd,
      createdAt,
    });
    await t.deps.db.insert(llmUsage).values([row(a, 0.3), row(b, 0.15), row(b, 4, new Date(Date.now() - 2 * 86_400_000))]);

    const res = await t.app.inject({ method: 'GET', url: '/api/v1/usage/budgets', headers: { authorization: `Bearer ${await t.login('admin@example.com')}` } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ day: new Date().toISOString().slice(0, 10), warn_ratio: 0.8, router_model: null });
    expect(body.global_day).toMatchObject({ limit_usd: 10, state: 'ok' });
    expect(body.global_day.spent_usd).toBeCloseTo(0.45, 6);
    // Alice spent 0.45 of 0.5 today (the older 4 USD is another day's).
    expect(body.customer_day.top[0]).toMatchObject({ customer_id: aliceRow!.id, email: 'alice@example.com', state: 'warning' });
    expect(body.customer_day.top[0].ratio).toBeCloseTo(0.9, 6);
    // Conversation a is past its 0.2; b counts all its spend (4.15), also past it.
    const byId = Object.fromEntries(body.conversation.top.map((c: { conversation_id: string }) => [c.conversation_id, c]));
    expect(byId[a]).toMatchObject({ state: 'exhausted' });
    expect(byId[b].spent_usd).toBeCloseTo(4.15, 6);
    expect(body.conversation.top[0].conversation_id).toBe(b);
  });

  it('is for admins only', async () => {
    const agent = await t.login('agent@example.com');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/usage/budgets', headers: { authorization: `Bearer ${agent}` } })).statusCode).toBe(403);
  });
});
