import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

describe.each(DRIVERS)('analytics day by day (%s)', (driver) => {
  let t: TestApp;
  let agent: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    agent = { authorization: `Bearer ${await t.login('agent@example.com')}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  const chat = async (message: string, token?: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { message } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { conversation_id: string; conversation_token?: string };
  };

  it('gives every day of the range with conversations by route, containment, CSAT, cost by model and answer-time percentiles that add up to the totals', async () => {
    const alice = await t.login('alice@example.com');
    const faq1 = await chat('How long does shipping to Canada take?', alice);
    const faq2 = await chat('What is your return policy?');
    await chat('I want to talk to a person about a double charge', alice);
    for (const [c, rating] of [
      [faq1, 5],
      [faq2, 3],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${c.conversation_id}/feedback`,
        headers: { authorization: `Bearer ${c.conversation_token ?? alice}` },
        payload: { rating },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }

    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/analytics?from=${from}&to=${today}`, headers: agent });
    expect(res.statusCode).toBe(200);
    const a = res.json();
    expect(a.daily.map((d: { day: string }) => d.day)).toHaveLength(3);
    expect(a.daily[0].day).toBe(from);
    const day = a.daily.at(-1);
    expect(day).toMatchObject({ day: today, conversations: a.conversations, handed_off: a.outcomes.handed_off, csat_responses: 2, csat_average: 4 });
    expect(day.containment_rate).toBeCloseTo(a.containment_rate, 10);
    expect(a.daily[0]).toMatchObject({ conversations: 0, containment_rate: null, csat_average: null, answer_p50_ms: null });

    // Routes: the two questions went to the FAQ agent, the request for a person to escalation.
    const routes = Object.fromEntries(a.routes_by_day.filter((r: { day: string }) => r.day === today).map((r: { route: string; count: number }) => [r.route, r.count]));
    expect(routes.faq).toBeGreaterThanOrEqual(2);
    expect(Object.values(routes).reduce((x: number, y) => x + Number(y), 0)).toBe(a.conversations);

    // Cost by model adds up to the total; answer time has one answer per turn.
    const byModel = a.cost_by_day_model.reduce((sum: number, m: { cost_usd: number }) => sum + m.cost_usd, 0);
    expect(byModel).toBeCloseTo(a.cost.total_usd, 6);
    expect(a.answer_time.answers).toBe(3);
    expect(a.answer_time.p50_ms).toBeGreaterThanOrEqual(0);
    expect(a.answer_time.p95_ms).toBeGreaterThanOrEqual(a.answer_time.p50_ms);
    expect(day.answer_p95_ms).toBeCloseTo(a.answer_time.p95_ms, 6);
  });
});
