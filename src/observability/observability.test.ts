import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { DRIVERS } from '../../test/db.js';
import type { FakeOpenAI } from '../../test/fake-openai/server.js';
import { llmEnv, startScriptedLlm } from '../../test/scripted-llm.js';
import { queryRows } from '../db/client.js';
import { llmUsage } from '../db/schema.js';
import { samplesOf, sumOf, type Sample } from '../../test/metrics.js';

// "Done when" of issue 7: after a scripted set of conversations, /metrics shows every metric with
// plausible values, the usage report's totals equal the sum of llm_usage rows, and a conversation
// over its budget is answered by the offline engine and says so in the metrics.

const MODEL = 'gpt-4o-mini';

describe.each(DRIVERS)('observability after scripted conversations (%s)', (driver) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let samples: Sample[];
  let declared: Set<string>;
  const conversations: { id: string; token: string }[] = [];

  beforeAll(async () => {
    fake = await startScriptedLlm();
    t = await createTestApp(driver, { ...llmEnv(fake, MODEL), LLM_BUDGET_CONVERSATION_USD: '0.05' });
    const alice = await t.login('alice@example.com');
    const chat = async (message: string, auth?: string, conversationId?: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/chat',
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
        payload: { message, ...(conversationId ? { conversation_id: conversationId } : {}) },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const shipping = await chat('How long does shipping take?');
    conversations.push({ id: shipping.conversation_id, token: shipping.conversation_token });
    const invoice = await chat('What was my last invoice?', alice);
    conversations.push({ id: invoice.conversation_id, token: alice });
    await chat('I want to speak to a person please', alice, invoice.conversation_id);
    const garbled = await chat('garble: where is the returns policy?');
    conversations.push({ id: garbled.conversation_id, token: garbled.conversation_token });
    for (const [i, rating] of [
      [0, 4],
      [1, 5],
    ] as const) {
      const c = conversations[i]!;
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${c.id}/feedback`, headers: { authorization: `Bearer ${c.token}` }, payload: { rating, comment: 'thanks' } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    // What /metrics renders: the app's registry, read through prom-client's JSON view.
    samples = await samplesOf(t.deps.metrics.registry);
    declared = new Set((await t.deps.metrics.registry.getMetricsAsJSON()).map((m) => m.name));
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('shows every metric of the issue with plausible values', () => {
    const v = (name: string, labels: Record<string, string> = {}) => sumOf(samples, name, labels);
    expect(v('http_requests_total', { method: 'POST', endpoint: '/api/v1/chat', status: '200' })).toBe(4);
    expect(v('http_request_duration_seconds_count', { method: 'POST', endpoint: '/api/v1/chat' })).toBe(4);
    // The endpoint label is the route template, never the raw path.
    expect(samples.some((s) => s.name === 'http_requests_total' && s.labels.endpoint === '/api/v1/conversations/:id/feedback')).toBe(true);
    expect(samples.some((s) => s.labels.endpoint?.includes(conversations[0]!.id))).toBe(false);

    expect(v('agent_requests_total', { agent_type: 'faq', status: 'success' })).toBe(2);
    expect(v('agent_requests_total', { agent_type: 'account', status: 'success' })).toBe(1);
    expect(v('agent_requests_total', { agent_type: 'escalation', status: 'success' })).toBe(1);
    expect(v('agent_processing_duration_seconds_count', { agent_type: 'faq' })).toBe(2);
    expect(v('agent_tool_calls_total', { agent_type: 'faq', tool_name: 'search_knowledge', status: 'ok' })).toBe(2);
    expect(v('agent_tool_calls_total', { agent_type: 'account', tool_name: 'list_invoices' })).toBe(1);
    expect(v('agent_tool_calls_total', { agent_type: 'escalation', tool_name: 'create_ticket', status: 'ok' })).toBe(1);
    expect(v('vector_search_duration_seconds_count')).toBe(2);

    // 3 router calls (one answered garbage; the ask for a person goes to escalation without one) + 2 calls per agent run (tool call, then the answer).
    expect(v('llm_requests_total', { model: MODEL, status: 'ok' })).toBe(11);
    expect(v('llm_tokens_total', { model: MODEL, type: 'input' })).toBe(3 * 400 + 8 * 900);
    expect(v('llm_tokens_total', { model: MODEL, type: 'cached' })).toBe(8 * 200);
    expect(v('llm_tokens_total', { model: MODEL, type: 'output' })).toBeGreaterThan(8 * 60);
    expect(v('llm_request_duration_seconds_count', { model: MODEL })).toBe(11);
    expect(v('llm_time_to_first_token_seconds_count', { model: MODEL })).toBe(8);
    expect(v('llm_cost_usd_total', { model: MODEL, agent_type: 'faq' })).toBeGreaterThan(0);
    expect(v('llm_cost_usd_total', { model: MODEL, agent_type: 'router' })).toBeGreaterThan(0);
    expect(v('router_fallbacks_total', { reason: 'parse_error' })).toBe(1);

    expect(v('handoffs_total', { reason: 'customer_request' })).toBe(1);
    expect(v('conversations_total', { outcome: 'handed_off' })).toBe(1);
    expect(v('csat_rating_count')).toBe(2);
    expect(v('csat_rating_sum')).toBe(9);
    expect(v('active_conversations')).toBe(3);
    expect(v('queue_depth', { queue: 'ticket-notifications', state: 'waiting' })).toBeGreaterThanOrEqual(0);
    expect(samples.some((s) => s.name === 'queue_depth' && s.labels.queue === 'knowledge-ingestion')).toBe(true);
    expect(v('dependency_up', { dependency: 'database' })).toBe(1);
    expect(v('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('totals of the usage report equal the sum of llm_usage rows, and cost per conversation adds up', async () => {
    const [sums] = await queryRows<{ n: number; input: number; output: number; cached: number; cost: number; convs: number }>(
      t.deps.db,
      sql`SELECT count(*)::int AS n, sum(input_tokens)::int AS input, sum(output_tokens)::int AS output, sum(cached_tokens)::int AS cached,
                 sum(cost_usd)::float8 AS cost, count(DISTINCT conversation_id)::int AS convs FROM ${llmUsage}`,
    );
    const admin = await t.login('admin@example.com');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/usage', headers: { authorization: `Bearer ${admin}` } });
    expect(res.statusCode, res.body).toBe(200);
    const u = res.json();
    expect(u.totals).toMatchObject({ requests: sums!.n, input_tokens: sums!.input, output_tokens: sums!.output, cached_tokens: sums!.cached, conversations: sums!.convs });
    expect(u.totals.cost_usd).toBeCloseTo(sums!.cost, 9);
    expect(u.totals.cost_per_conversation_usd).toBeCloseTo(sums!.cost / sums!.convs, 9);
    const sum = (rows: { cost_usd: number; requests: number }[]) => [rows.reduce((a, r) => a + r.requests, 0), rows.reduce((a, r) => a + r.cost_usd, 0)];
    for (const breakdown of [u.by_day, u.by_model, u.by_agent]) {
      const [requests, cost] = sum(breakdown);
      expect(requests).toBe(sums!.n);
      expect(cost).toBeCloseTo(sums!.cost, 9);
    }
    expect(u.by_agent.map((a: { agent: string }) => a.agent).sort()).toEqual(['account', 'escalation', 'faq', 'router']);
    expect(u.by_conversation).toHaveLength(3);
    // Admins only.
    const agent = await t.login('agent@example.com');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/usage', headers: { authorization: `Bearer ${agent}` } })).statusCode).toBe(403);
  });

  it('reports containment, handoff rate and reasons, CSAT and cost per conversation to staff', async () => {
    const agent = await t.login('agent@example.com');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/analytics', headers: { authorization: `Bearer ${agent}` } });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a.conversations).toBe(3);
    expect(a.outcomes).toEqual({ resolved: 0, handed_off: 1, abandoned: 0, open: 2 });
    expect(a.handoff_rate).toBeCloseTo(1 / 3, 9);
    expect(a.containment_rate).toBeCloseTo(2 / 3, 9);
    expect(a.handoff_reasons).toEqual([{ reason: 'customer_request', count: 1 }]);
    expect(a.csat).toEqual({ responses: 2, average: 4.5, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 } });
    expect(a.cost.total_usd).toBeGreaterThan(0);
    expect(a.cost.per_conversation_usd).toBeCloseTo(a.cost.total_usd / 3, 9);
    const alice = await t.login('alice@example.com');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/analytics', headers: { authorization: `Bearer ${alice}` } })).statusCode).toBe(403);
  });

  it('lets only the owner rate a conversation, 1 to 5', async () => {
    const [shipping, invoice] = conversations;
    const bob = await t.login('bob@example.com');
    const stranger = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${invoice!.id}/feedback`, headers: { authorization: `Bearer ${bob}` }, payload: { rating: 1 } });
    expect(stranger.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${shipping!.id}/feedback`, headers: { authorization: `Bearer ${shipping!.token}` }, payload: { rating: 6 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].field).toBe('rating');
  });

  it('answers a conversation over its budget with the offline engine, and says so in the metrics', async () => {
    const c = conversations[0]!;
    await t.deps.db.insert(llmUsage).values({ conversationId: c.id, provider: 'openai-compatible', model: MODEL, agent: 'faq', costUsd: 0.06 });
    const before = fake.requests.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: { authorization: `Bearer ${c.token}` },
      payload: { message: 'And how long do returns take?', conversation_id: c.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const reply = res.json().assistant_message;
    expect(reply.engine).toBe('offline');
    expect(reply.usage.cost_usd).toBe(0);
    expect(fake.requests.length).toBe(before); // the LLM was never called
    const after = await samplesOf(t.deps.metrics.registry);
    expect(sumOf(after, 'llm_budget_exceeded_total', { scope: 'conversation' })).toBeGreaterThanOrEqual(2);
    expect(sumOf(after, 'llm_budget_degraded_calls_total', { mode: 'offline' })).toBeGreaterThanOrEqual(2);
    expect(sumOf(after, 'llm_fallbacks_total', { reason: 'budget' })).toBeGreaterThanOrEqual(2);
  });

  it('exposes every metric the Grafana dashboard and the alert rules query', () => {
    const rules = readFileSync(new URL('../../deploy/prometheus/alerts.yml', import.meta.url), 'utf8');
    const exprs = [...rules.matchAll(/^\s*expr:\s*(.+)$/gm)].map((m) => m[1]!);
    const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/switchboard-dashboard.json', import.meta.url), 'utf8')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    exprs.push(...dashboard.panels.flatMap((p) => (p.targets ?? []).map((x) => x.expr)));
    expect(exprs.length).toBeGreaterThan(30);
    const used = new Set(exprs.flatMap(metricsInPromql));
    used.delete('up'); // Prometheus's own scrape health series
    const missing = [...used].filter((name) => !declared.has(name));
    expect(missing).toEqual([]);
    expect(used).toContain('llm_cost_usd_total');
  });
});

// Reading PromQL: the metric names the deploy/ dashboards and alerts query, each of which the registry must declare.

const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'histogram_quantile',
  'topk',
  'bottomk',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'clamp_min',
  'clamp_max',
  'abs',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'le',
  'inf',
  'nan',
  'vector',
  'scalar',
  'time',
]);

/**
 * The metric names a PromQL expression reads: label matchers, grouping clauses, range selectors,
 * strings, numbers and function names removed; histogram series reduced to their family name.
 */
function metricsInPromql(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(?<![a-zA-Z0-9_:])\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const after = stripped.slice((m.index ?? 0) + word.length).trimStart();
    if (after.startsWith('(') || PROMQL_WORDS.has(word.toLowerCase()) || /^\$/.test(word)) continue;
    names.add(word.replace(/_(bucket|sum|count)$/, ''));
  }
  return [...names];
}
