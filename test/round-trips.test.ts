import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandLog, countSent, instrumentClients, redisRoundTrips, type Sent } from '../bench/lib/command-log.js';
import { createTestApp, TEST_REDIS_URL, type TestApp } from './app.js';
import { autopilot } from './fake-openai/autopilot.js';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai/server.js';

// Issue 15's targets for a chat turn on PostgreSQL + Redis, counted as `npm run bench -- round-trips`
// counts them (the pg and ioredis clients wrapped): at most two PostgreSQL statements before the first
// model call, and the Redis commands the request waits for before its turn starts (session check, both
// rate limits) written together, one round trip.
describe('round trips before the first model call (postgres + redis)', () => {
  const log = new CommandLog();
  let firstCall: Sent[] | undefined;
  let fake: FakeOpenAI;
  let t: TestApp;
  let restore: () => void;
  let auth: { authorization: string };
  let turn = 0;

  beforeAll(async () => {
    fake = await startFakeOpenAI({
      defaultStep: (req) => {
        firstCall ??= log.snapshot();
        return autopilot(req);
      },
    });
    restore = instrumentClients(log);
    t = await createTestApp('postgres', {
      LLM_PROVIDER: 'openai-compatible',
      LLM_MODEL: 'gpt-4o-mini',
      LLM_BASE_URL: fake.url,
      LLM_API_KEY: 'test-key',
      LLM_MAX_RETRIES: '0',
      REDIS_URL: TEST_REDIS_URL,
    });
    auth = { authorization: `Bearer ${await t.login('alice@example.com')}` };
  });
  afterAll(async () => {
    restore?.();
    await t?.close();
    await fake?.close();
  });

  const newConversation = async () => (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth, payload: {} })).json<{ id: string }>().id;
  async function measure(conversationId: string, idempotent: boolean): Promise<Sent[]> {
    firstCall = undefined;
    log.start();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: { ...auth, ...(idempotent ? { 'idempotency-key': `rt-${turn++}-${conversationId}` } : {}) },
      payload: { content: 'How long does shipping take to Canada?' },
    });
    log.stop();
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().assistant_message.engine).toBe('llm');
    expect(firstCall).toBeDefined();
    return firstCall!;
  }

  it('sends at most two PostgreSQL statements before the first model call: first turn, follow-up, and without an Idempotency-Key', async () => {
    const warm = await newConversation();
    await measure(warm, true);
    const id = await newConversation();
    const first = await measure(id, true);
    const followUp = await measure(id, true);
    const plain = await measure(id, false);
    expect(countSent(first).pg).toBeLessThanOrEqual(2);
    expect(countSent(followUp).pg).toBeLessThanOrEqual(2);
    expect(countSent(plain).pg).toBeLessThanOrEqual(1);
    // The session check, both rate limits: one script call to Redis before the customer's message is stored.
    const beforeStore = first.slice(
      0,
      first.findIndex((s) => s.kind === 'pg'),
    );
    expect(beforeStore.map((s) => s.what)).toEqual(['EVALSHA (script sbBatch)']);
    expect(redisRoundTrips(beforeStore)).toBe(1);
  });

  it("reads a follow-up turn's cached memory in the gate's one call, and announces the message and typing in one publish", async () => {
    const id = await newConversation();
    await measure(id, true);
    for (const idempotent of [true, false]) {
      const followUp = await measure(id, idempotent);
      const redis = followUp.filter((s) => s.kind === 'redis').map((s) => s.what);
      // Before the message is stored: the gate (session, both rate limits, the memory read); after
      // it, message.created and the assistant's typing-on in one publish; nothing else.
      expect(redis).toEqual(['EVALSHA (script sbBatch)', 'EVALSHA (script sbRealtimePublish)']);
      expect(followUp.findIndex((s) => s.kind === 'pg')).toBe(1);
      // The turn did use the cached memory (no PostgreSQL read of the messages).
      expect(countSent(followUp).pg).toBe(idempotent ? 2 : 1);
    }
  });
});
