// Idempotent retries under outages (issue 13, item 6): a turn that fails after the customer's message
// was stored — here PostgreSQL stops while the model is still answering — leaves the message stored
// under its Idempotency-Key. A retry with the same key stores nothing twice and ends with exactly one
// reply: the key's lease (its holder lost the database and could not give it back) runs out within
// seconds, and the retry finds the stored message by its key and answers it. A request that runs longer
// than the lease keeps its key by renewing it. Runs on a PostgreSQL cluster of its own, never the shared one.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/db/schema.js';
import { createTestApp, type TestApp } from '../app.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.js';
import { ThrowawayPostgres } from './services.js';

const LEASE_SECONDS = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idempotent retries with PostgreSQL failing mid-turn', () => {
  let pgServer: ThrowawayPostgres;
  let fake: FakeOpenAI;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    pgServer = await ThrowawayPostgres.start();
    // The model answers slowly, so PostgreSQL can stop while the turn waits for it (5 s: finding the
    // stored message and stopping the cluster must fit in, on a loaded machine too).
    fake = await startFakeOpenAI({ defaultStep: { delayMs: 5000, reply: 'Your order ships in 3-5 business days.' } });
    t = await createTestApp(
      'postgres',
      {
        IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS),
        LLM_PROVIDER: 'openai-compatible',
        LLM_BASE_URL: fake.url,
        LLM_MODEL: 'gpt-4o-mini',
        LLM_API_KEY: 'test-key',
        LLM_MAX_RETRIES: '0',
        LLM_TIMEOUT_MS: '20000',
      },
      { databaseServerUrl: pgServer.url() },
    );
    token = await t.login('alice@example.com');
  }, 120_000);
  afterAll(async () => {
    await t?.close().catch(() => {});
    await fake?.close();
    pgServer?.destroy();
  });

  const post = (url: string, key: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}`, 'idempotency-key': key } });
  const rowsOf = (conversationId: string, role: 'user' | 'assistant') =>
    t.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.role, role)));

  it('a retry after the database went down mid-turn finds the stored message and answers it once', async () => {
    const conversationId = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${token}` } })).json().id as string;
    const url = `/api/v1/conversations/${conversationId}/messages`;
    const key = 'outage-retry-1';
    const first = post(url, key, { content: 'When will my order ship?' });
    // Wait until the customer's message is stored (the turn is now waiting for the model), then stop PostgreSQL.
    let stored: (typeof messages.$inferSelect)[] = [];
    for (const until = Date.now() + 15_000; stored.length === 0 && Date.now() < until; ) {
      stored = await rowsOf(conversationId, 'user');
      if (stored.length === 0) await sleep(20);
    }
    expect(stored).toHaveLength(1);
    expect(stored[0]!.clientId).toBe(key);
    pgServer.stop();
    const failed = await first;
    expect(failed.statusCode).toBe(503);
    expect(failed.json().error.code).toBe('dependency_unavailable');

    await pgServer.restart();
    const restarted = Date.now();
    // The key could not be given back while the database was down: retries wait out its lease, then one runs.
    // (The time is when the retry that ran was sent: it then waits for the model's answer.)
    const statuses: number[] = [];
    let sentAt = Date.now();
    let retry = await post(url, key, { content: 'When will my order ship?' });
    statuses.push(retry.statusCode);
    while ((retry.statusCode === 409 || retry.statusCode === 503) && Date.now() - restarted < 30_000) {
      await sleep(200);
      sentAt = Date.now();
      retry = await post(url, key, { content: 'When will my order ship?' });
      statuses.push(retry.statusCode);
    }
    const freedAfterMs = sentAt - restarted;
    console.log(`PostgreSQL down mid-turn: retries after restart ${JSON.stringify(statuses)}, key free after ${freedAfterMs} ms (lease ${LEASE_SECONDS} s)`);
    expect(retry.statusCode).toBe(201);
    expect(freedAfterMs).toBeLessThan((LEASE_SECONDS + 2) * 1000);
    const body = retry.json();
    expect(body.user_message.id).toBe(stored[0]!.id);
    expect(body.assistant_message).not.toBeNull();

    // Once answered, the same key replays; nothing was stored twice and there is exactly one reply.
    const again = await post(url, key, { content: 'When will my order ship?' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().assistant_message.id).toBe(body.assistant_message.id);
    const users = await rowsOf(conversationId, 'user');
    const replies = await rowsOf(conversationId, 'assistant');
    console.log(`after the outage: ${users.length} user message(s), ${replies.length} reply(ies)`);
    expect(users).toHaveLength(1);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.replyTo).toBe(stored[0]!.id);
  }, 60_000);

  it('a /chat retry without a conversation id reuses the conversation and message the first attempt stored', async () => {
    const key = 'outage-chat-1';
    const first = post('/api/v1/chat', key, { message: 'Do you ship abroad?' });
    let stored: (typeof messages.$inferSelect)[] = [];
    for (const until = Date.now() + 15_000; stored.length === 0 && Date.now() < until; ) {
      stored = await t.deps.db.select().from(messages).where(eq(messages.clientId, key));
      if (stored.length === 0) await sleep(20);
    }
    expect(stored).toHaveLength(1);
    pgServer.stop();
    expect((await first).statusCode).toBe(503);
    await pgServer.restart();
    let retry = await post('/api/v1/chat', key, { message: 'Do you ship abroad?' });
    for (let i = 0; i < 150 && (retry.statusCode === 409 || retry.statusCode === 503); i++) {
      await sleep(200);
      retry = await post('/api/v1/chat', key, { message: 'Do you ship abroad?' });
    }
    expect(retry.statusCode).toBe(200);
    expect(retry.json().conversation_id).toBe(stored[0]!.conversationId);
    expect(retry.json().user_message.id).toBe(stored[0]!.id);
    expect(await rowsOf(stored[0]!.conversationId, 'user')).toHaveLength(1);
    expect(await rowsOf(stored[0]!.conversationId, 'assistant')).toHaveLength(1);
  }, 60_000);

  it('a request running longer than the lease keeps its key: its heartbeat renews it', async () => {
    fake.setDefault({ delayMs: LEASE_SECONDS * 1000 * 2, reply: 'Returns are free within 30 days.' });
    const conversationId = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${token}` } })).json().id as string;
    const url = `/api/v1/conversations/${conversationId}/messages`;
    let done = false;
    const started = Date.now();
    const first = post(url, 'long-turn', { content: 'How do returns work?' }).finally(() => (done = true));
    await sleep(200);
    const during: number[] = [];
    const sentMs: number[] = [];
    while (!done) {
      sentMs.push(Date.now() - started);
      during.push((await post(url, 'long-turn', { content: 'How do returns work?' })).statusCode);
      await sleep(300);
    }
    const res = await first;
    console.log(`a ${LEASE_SECONDS * 2} s turn under a ${LEASE_SECONDS} s lease: ${during.length} concurrent retries, statuses ${[...new Set(during)].join(',')}`);
    expect(res.statusCode).toBe(201);
    // Every retry while it ran was told it is still running (some may have come after it finished: a replay).
    expect(during.slice(0, -1).every((s) => s === 409)).toBe(true);
    // …including one sent after an unrenewed lease would have run out (how many retries fit in depends
    // on the machine's speed; that one came that late does not: the loop runs until the turn ends).
    expect(
      during.some((s, i) => s === 409 && sentMs[i]! > LEASE_SECONDS * 1000 + 500),
      JSON.stringify(sentMs),
    ).toBe(true);
    expect(await rowsOf(conversationId, 'user')).toHaveLength(1);
    expect(await rowsOf(conversationId, 'assistant')).toHaveLength(1);
  }, 60_000);
});
