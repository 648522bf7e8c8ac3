import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from './observability/tracing.js';

// The app assembled exactly as `npm start` assembles it: createDeps(config) with no overrides, then
// buildApp, on an embedded database, answered by the fake OpenAI-compatible server over real HTTP.
// Every model call must reach the metrics and the traces, and a spent budget must show in its metrics
// (the composition root once built the models without their observers, so production recorded none).
const exporter = new InMemorySpanExporter();
const sdk = startTracing({ serviceName: 'switchboard-deps-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });

const { createDeps } = await import('./deps.js');
const { buildApp } = await import('./app.js');
const { loadConfig } = await import('./config.js');
const { llmUsage } = await import('./db/schema.js');
const { samplesOf, sumOf } = await import('../test/metrics.js');
const { llmEnv, startScriptedLlm } = await import('../test/scripted-llm.js');

const MODEL = 'gpt-4o-mini';

describe('createDeps, as main.ts calls it', () => {
  let fake: Awaited<ReturnType<typeof startScriptedLlm>>;
  let deps: Awaited<ReturnType<typeof createDeps>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let conversation: { id: string; token: string };

  // What /metrics renders: the registry createDeps built.
  const scrape = () => samplesOf(deps.metrics.registry);

  beforeAll(async () => {
    fake = await startScriptedLlm();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://', SEED_DEMO: 'true', ...llmEnv(fake, MODEL), LLM_BUDGET_CONVERSATION_USD: '0.05' });
    deps = await createDeps(config);
    app = await buildApp(deps, { logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await deps?.jobs.close();
    await deps?.database.close();
    await fake?.close();
    await sdk.shutdown();
  });

  it('records every model call of a turn in the llm_* metrics and as a span', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'How long does shipping take?' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.assistant_message.engine).toBe('llm');
    conversation = { id: body.conversation_id, token: body.conversation_token };
    const calls = fake.requests.length; // the router's call and the agent's two steps
    expect(calls).toBe(3);
    const m = await scrape();
    expect(sumOf(m, 'llm_requests_total', { model: MODEL, status: 'ok' })).toBe(calls);
    expect(sumOf(m, 'llm_tokens_total', { model: MODEL, type: 'input' })).toBe(400 + 2 * 900);
    expect(sumOf(m, 'llm_tokens_total', { model: MODEL, type: 'output' })).toBeGreaterThan(0);
    expect(sumOf(m, 'llm_cost_usd_total', { model: MODEL })).toBeGreaterThan(0);
    expect(sumOf(m, 'llm_request_duration_seconds_count', { model: MODEL })).toBe(calls);
    const spans = exporter.getFinishedSpans().filter((s) => s.name === `chat ${MODEL}`);
    expect(spans).toHaveLength(calls);
    expect(spans[0]!.attributes['gen_ai.request.model']).toBe(MODEL);
  });

  it('moves the budget metrics when a conversation crosses its budget, and answers offline', async () => {
    const before = await scrape();
    await deps.db.insert(llmUsage).values({ conversationId: conversation.id, provider: 'openai-compatible', model: MODEL, agent: 'faq', costUsd: 0.06 });
    const calls = fake.requests.length;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: { authorization: `Bearer ${conversation.token}` },
      payload: { message: 'And returns?', conversation_id: conversation.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().assistant_message.engine).toBe('offline');
    expect(fake.requests.length).toBe(calls);
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(moved('llm_budget_exceeded_total', { scope: 'conversation' })).toBeGreaterThanOrEqual(1);
    expect(moved('llm_budget_degraded_calls_total', { mode: 'offline' })).toBeGreaterThanOrEqual(1);
    expect(moved('llm_fallbacks_total', { reason: 'budget' })).toBeGreaterThanOrEqual(1);
  });
});
