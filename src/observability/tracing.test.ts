import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loggerOptions } from './logger.js';
import { startTracing } from './tracing.js';

// Tracing starts before the app's modules load, as src/instrumentation.ts does in production: the
// app, pg, ioredis and the fake model server are imported only after startTracing().
const exporter = new InMemorySpanExporter();
const sdk = startTracing({ serviceName: 'switchboard-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });

const { createTestApp, TEST_REDIS_URL } = await import('../../test/app.js');
const { llmEnv, startScriptedLlm } = await import('../../test/scripted-llm.js');
type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** The chain of span names from a span up to its root. */
function ancestry(span: ReadableSpan, all: ReadableSpan[]): string[] {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const chain: string[] = [];
  for (let s: ReadableSpan | undefined = span; s; s = parentOf(s) ? byId.get(parentOf(s)!) : undefined) chain.push(s.name);
  return chain;
}

describe('a trace of one chat turn', () => {
  let t: TestApp;
  let fake: Awaited<ReturnType<typeof startScriptedLlm>>;
  let base: string;
  const logs: string[] = [];

  beforeAll(async () => {
    fake = await startScriptedLlm();
    t = await createTestApp(
      'postgres',
      { ...llmEnv(fake), REDIS_URL: TEST_REDIS_URL, JOBS_WORKER_IN_API: 'true' },
      { logger: loggerOptions('info', { stream: { write: (l: string) => void logs.push(l) } }) },
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await sdk.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('has the router, agent, tool and LLM spans under one HTTP span, with GenAI attributes, and the request log line names the trace', async () => {
    exporter.reset();
    const res = await fetch(`${base}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'How long does shipping take?' }) });
    expect(res.status).toBe(200);
    // The HTTP span ends just after the response is sent: wait for it rather than for a set time.
    const isHttp = (s: ReadableSpan) => s.kind === SpanKind.SERVER && s.name === 'POST /api/v1/chat';
    await vi.waitFor(() => expect(exporter.getFinishedSpans().some(isHttp), 'the POST /api/v1/chat server span ended').toBe(true), { timeout: 10_000 });
    const spans = exporter.getFinishedSpans();
    // (The fake model server runs in this process too: its own SERVER spans are other traces.)
    const http = spans.find((s) => s.kind === SpanKind.SERVER && s.instrumentationScope.name === '@opentelemetry/instrumentation-http' && s.name === 'POST /api/v1/chat');
    expect(http, spans.map((s) => s.name).join(', ')).toBeDefined();
    const traceId = http!.spanContext().traceId;
    const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
    const named = (name: string) => inTrace.filter((s) => s.name === name);

    const turn = named('chat.turn');
    expect(turn).toHaveLength(1);
    expect(ancestry(turn[0]!, inTrace).at(-1)).toBe(http!.name); // the HTTP span is the root
    const request = named('request')[0]!; // @fastify/otel's span for the route, between HTTP and the turn
    expect(request.attributes['http.route']).toBe('/api/v1/chat');
    expect(ancestry(turn[0]!, inTrace)).toContain('request');

    const router = named('router.decide')[0]!;
    const agent = named('invoke_agent faq')[0]!;
    const tool = named('execute_tool search_knowledge')[0]!;
    expect(ancestry(router, inTrace)).toContain('chat.turn');
    expect(ancestry(agent, inTrace)).toContain('chat.turn');
    expect(ancestry(tool, inTrace)).toContain('invoke_agent faq');
    expect(tool.attributes['gen_ai.tool.name']).toBe('search_knowledge');
    expect(ancestry(named('knowledge.search')[0]!, inTrace)).toContain('execute_tool search_knowledge');

    const llm = named('chat gpt-4o-mini');
    expect(llm).toHaveLength(3); // the router's call and the agent's two steps
    for (const call of llm) {
      expect(call.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.provider.name': 'openai-compatible' });
      expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(call.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    }
    expect(llm.filter((s) => ancestry(s, inTrace).includes('router.decide'))).toHaveLength(1);
    expect(llm.filter((s) => ancestry(s, inTrace).includes('invoke_agent faq'))).toHaveLength(2);

    // The database and Redis calls of the turn are spans of the same trace (pg and ioredis instrumentations).
    expect(inTrace.some((s) => s.instrumentationScope.name === '@opentelemetry/instrumentation-pg')).toBe(true);
    expect(inTrace.some((s) => s.instrumentationScope.name === '@opentelemetry/instrumentation-ioredis')).toBe(true);

    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request completed' && l.route === '/api/v1/chat');
    expect(line?.trace_id).toBe(traceId);
  });

  it('carries the trace into background jobs', async () => {
    exporter.reset();
    const admin = await t.login('admin@example.com');
    const res = await fetch(`${base}/api/v1/knowledge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ title: 'Traced article', category: 'misc', content: 'A short article that a job will chunk and embed.' }),
    });
    expect(res.status).toBe(201);
    await t.deps.jobs.idle();
    const spans = exporter.getFinishedSpans();
    const publish = spans.find((s) => s.name === 'publish knowledge-ingestion');
    const processed = spans.find((s) => s.name === 'process knowledge-ingestion');
    expect(publish && processed).toBeTruthy();
    expect(processed!.spanContext().traceId).toBe(publish!.spanContext().traceId);
  });
});
