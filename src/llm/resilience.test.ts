import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../test/fake-openai/server.js';
import { loadConfig } from '../config.js';
import { callOptions, outcomeOf } from './call-tags.js';
import { createEmbedder } from './embeddings.js';
import { createOfflineModel } from './offline/offline-model.js';
import type { LlmCallEvent } from './observer.js';
import { createLlm, type LlmRegistry } from './registry.js';
import type { UsageRow } from './usage-recorder.js';

// The real provider code (@ai-sdk/openai-compatible) against the fake server over real HTTP,
// behind the middleware: retries, Retry-After, timeouts, malformed replies, the breaker, usage.

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const offline = createOfflineModel({ faq: () => ({ text: 'Offline answer.' }) });

function setup(env: Record<string, string> = {}) {
  let clock = 1_000_000;
  const rows: UsageRow[] = [];
  const sleeps: number[] = [];
  const calls: LlmCallEvent[] = [];
  const config = loadConfig({
    LLM_PROVIDER: 'openai-compatible',
    LLM_BASE_URL: fake.url,
    LLM_MODEL: 'gpt-4o-mini',
    // Long enough that a loaded machine never turns a scripted answer into a timeout; the two timeout
    // tests set their own 300 ms.
    LLM_TIMEOUT_MS: '10000',
    LLM_RETRY_BASE_DELAY_MS: '400',
    LLM_BREAKER_FAILURES: '2',
    LLM_BREAKER_COOLDOWN_MS: '60000',
    ...env,
  });
  const llm: LlmRegistry = createLlm(config, {
    offline,
    record: async (row) => {
      rows.push(row);
      return `usage-${rows.length}`;
    },
    // Backoff waits are recorded, not slept: the test asserts the policy, not the wall clock.
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    now: () => clock,
  });
  llm.addObserver({ onCall: (e) => calls.push(e) });
  return { llm, rows, sleeps, calls, advance: (ms: number) => (clock += ms) };
}

async function ask(llm: LlmRegistry, stream = false) {
  const options = { model: llm.agentModel, prompt: 'How long does shipping take?', maxRetries: 0, providerOptions: callOptions({ agent: 'faq', conversationId: undefined }) };
  if (!stream) {
    const r = await generateText(options);
    return { text: r.text, outcome: outcomeOf(r.providerMetadata) };
  }
  const r = streamText(options);
  let text = '';
  for await (const p of r.fullStream) if (p.type === 'text-delta') text += p.text;
  return { text, outcome: outcomeOf((await r.steps).at(-1)?.providerMetadata) };
}

describe('LLM middleware over real HTTP', () => {
  it('retries a 429 after the Retry-After the server asked for, then answers', async () => {
    const { llm, sleeps } = setup();
    fake.script({ status: 429, retryAfter: 2 }, { reply: 'Three to five business days.' });
    const { text, outcome } = await ask(llm);
    expect(text).toBe('Three to five business days.');
    expect(outcome?.engine).toBe('llm');
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('retries 500s with exponential backoff and jitter, at most 3 tries, then answers offline', async () => {
    const { llm, sleeps, rows } = setup({ LLM_BREAKER_FAILURES: '5' });
    fake.script({ status: 500 }, { status: 502 }, { status: 503 }, { reply: 'never sent' });
    const { text, outcome } = await ask(llm, true);
    expect(fake.requests).toHaveLength(3);
    // base 400 ms doubling; jitter between half and all of it (random() = 0.5 → three quarters).
    expect(sleeps).toEqual([300, 600]);
    expect(text).toBe('Offline answer.');
    expect(outcome).toMatchObject({ engine: 'offline', fallback: 'server_error' });
    expect(rows.map((r) => r.status)).toEqual(['server_error', 'fallback_server_error']);
  });

  it('does not retry a request the server rejects (400) or a reply that is not JSON', async () => {
    const { llm } = setup({ LLM_BREAKER_FAILURES: '5' });
    fake.script({ status: 400 });
    expect((await ask(llm)).outcome).toMatchObject({ engine: 'offline', fallback: 'client_error' });
    fake.script({ malformed: true });
    expect((await ask(llm)).outcome).toMatchObject({ engine: 'offline', fallback: 'invalid_response' });
    fake.script({ malformed: true });
    expect((await ask(llm, true)).outcome).toMatchObject({ engine: 'offline', fallback: 'invalid_response' });
    expect(fake.requests).toHaveLength(3);
  });

  it('times out a hanging server on every try and answers offline', async () => {
    const { llm, rows, sleeps } = setup({ LLM_BREAKER_FAILURES: '5', LLM_TIMEOUT_MS: '300' });
    fake.script({ hang: true }, { hang: true }, { hang: true });
    const { text, outcome } = await ask(llm, true);
    expect(text).toBe('Offline answer.');
    expect(outcome).toMatchObject({ engine: 'offline', fallback: 'timeout' });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(rows[0]).toMatchObject({ status: 'timeout', provider: 'openai-compatible' });
  });

  it('times out a stream that stops sending mid-answer', async () => {
    const { llm } = setup({ LLM_TIMEOUT_MS: '300' });
    fake.script({ reply: 'one two three four', stallAfterChunks: 2 }); // then silence; the timeout is 300 ms
    const r = streamText({ model: llm.agentModel, prompt: 'hi', maxRetries: 0, onError: () => {}, providerOptions: callOptions({ agent: 'faq' }) });
    const errors: string[] = [];
    let text = '';
    for await (const p of r.fullStream) {
      if (p.type === 'error') errors.push((p.error as Error).name);
      if (p.type === 'text-delta') text += p.text;
    }
    expect(text).toBe('one two ');
    expect(errors).toEqual(['LlmTimeoutError']);
  });

  it('opens the breaker after repeated failures, answers offline without calling, then recovers', async () => {
    const { llm, advance } = setup({ LLM_MAX_RETRIES: '0' });
    fake.script({ status: 500 }, { status: 500 });
    await ask(llm);
    await ask(llm);
    expect(llm.breakers()['gpt-4o-mini']).toBe('open');
    const during = await ask(llm);
    expect(during.outcome).toMatchObject({ engine: 'offline', fallback: 'circuit_open' });
    expect(fake.requests).toHaveLength(2); // the open circuit did not call the server
    advance(60_000);
    expect(llm.breakers()['gpt-4o-mini']).toBe('half_open');
    fake.script({ reply: 'Back again.' });
    const after = await ask(llm);
    expect(after).toMatchObject({ text: 'Back again.', outcome: { engine: 'llm' } });
    expect(llm.breakers()['gpt-4o-mini']).toBe('closed');
  });

  it('a failed trial call re-opens the breaker for another cool-down', async () => {
    const { llm, advance } = setup({ LLM_MAX_RETRIES: '0' });
    fake.script({ status: 500 }, { status: 500 }, { status: 500 });
    await ask(llm);
    await ask(llm);
    advance(60_000);
    expect((await ask(llm)).outcome?.fallback).toBe('server_error'); // the trial
    expect(llm.breakers()['gpt-4o-mini']).toBe('open');
    expect((await ask(llm)).outcome?.fallback).toBe('circuit_open');
    expect(fake.requests).toHaveLength(3);
  });

  it('records tokens, cached tokens and cost from the price table for every call', async () => {
    const { llm, rows, calls } = setup();
    fake.script({ reply: 'Hi.', usage: { prompt_tokens: 1000, completion_tokens: 200, cached_tokens: 400 } });
    const { outcome } = await ask(llm, true);
    // gpt-4o-mini: $0.15 / 1M input, $0.075 / 1M cached input, $0.60 / 1M output.
    const cost = (600 * 0.15 + 400 * 0.075 + 200 * 0.6) / 1e6;
    expect(rows).toEqual([expect.objectContaining({ agent: 'faq', model: 'gpt-4o-mini', status: 'ok', inputTokens: 1000, outputTokens: 200, cachedTokens: 400, costUsd: cost })]);
    expect(outcome).toMatchObject({ engine: 'llm', usageId: 'usage-1', costUsd: cost });
    expect(calls).toEqual([expect.objectContaining({ status: 'ok', streamed: true, costUsd: cost })]);
  });

  it('embeds through an OpenAI-compatible /embeddings endpoint at the configured dimensions', async () => {
    const config = loadConfig({ EMBEDDING_PROVIDER: 'openai-compatible', EMBEDDING_MODEL: 'nomic-embed-text', LLM_BASE_URL: fake.url, EMBEDDING_DIMENSIONS: '64' });
    const embedder = createEmbedder(config);
    const [a, b] = await embedder.embed(['shipping times to Canada', 'shipping times to Canada']);
    expect(a).toHaveLength(64);
    expect(a).toEqual(b);
    expect(fake.requests[0]!.body).toMatchObject({ model: 'nomic-embed-text', dimensions: 64 });
  });
});
