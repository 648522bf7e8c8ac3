// Realtime event ids across a Redis restart (issue 13 item 9): a customer's socket stays connected
// while the redis-server behind the event bus is killed and started again, once empty (no
// persistence) and once from an older snapshot (a crash between two RDB saves). Before the fix the
// per-conversation counter started again at 1 (or went back to the snapshot's value), and the socket,
// which had seen higher ids, dropped every event of the next answer. Now the ids go on increasing, the
// socket is told of the gap (`joined` with `gap: true`), and the next answer arrives live.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NumberedEvent, ServerEvent } from '../../src/contract/events.js';
import { createTestApp, type TestApp } from '../app.js';
import { WsClient } from '../ws-client.js';
import { ThrowawayRedis } from './services.js';

type Joined = Extract<ServerEvent, { type: 'joined' }>;
type Completed = Extract<ServerEvent, { type: 'message.completed' }>;

describe('realtime event ids across a Redis restart', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  let base: string;
  let alice: string;
  let customer: WsClient;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start({ snapshots: true });
    t = await createTestApp('postgres', { REDIS_URL: redis.url, CHAT_DEBOUNCE_MS: '0' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    alice = await t.login('alice@example.com');
    customer = await WsClient.connect(base, alice);
  });
  afterAll(async () => {
    await customer?.close();
    await redis?.restart().catch(() => {});
    await t?.close();
    await redis?.destroy();
  });

  /** A new conversation of Alice's, followed by her socket from its first event on. */
  async function newConversation(): Promise<string> {
    const id = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${alice}` } })).json().id as string;
    expect((await customer.join(id, 0)).type).toBe('joined');
    return id;
  }

  /**
   * Sends a question over the socket and waits for its answer to arrive over the same socket: all of
   * the turn, from the question's own message.created to the answer's message.completed, no event left out.
   */
  async function ask(conversationId: string, content: string): Promise<{ answer: Completed; ids: number[] }> {
    const from = customer.events.length;
    customer.send({ type: 'message.send', conversation_id: conversationId, content, client_id: randomUUID() });
    const answer = await customer.waitFor<Completed>((e) => e.type === 'message.completed' && e.message.role === 'assistant', { from, timeoutMs: 15_000 });
    const events = customer.events.slice(from).filter((e): e is NumberedEvent => typeof (e as { id?: unknown }).id === 'number' && (e as NumberedEvent).conversation_id === conversationId);
    const question = events.findIndex((e) => e.type === 'message.created' && e.message.role === 'user' && e.message.content === content);
    expect(question, `the question's own message.created; got ${JSON.stringify(events.map((e) => [e.id, e.type]))}`).toBeGreaterThanOrEqual(0);
    const ids = events.slice(question).map((e) => e.id);
    expect(ids.map((id) => id - ids[0]!)).toEqual(ids.map((_, i) => i));
    return { answer, ids };
  }

  /** Kills Redis, starts it again and waits until the app is ready on it. */
  async function restartRedis(): Promise<void> {
    await redis.stop();
    await redis.restart();
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${base}/ready`)).status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the app did not become ready after the Redis restart');
  }

  it('after a restart without persistence the ids go on increasing, the socket is told of the gap, and the next answer arrives live', async () => {
    const conversationId = await newConversation();
    const before = await ask(conversationId, 'How long does shipping take?');
    const highest = Math.max(...before.ids);
    const from = customer.events.length;
    await restartRedis();

    const after = await ask(conversationId, 'What is your return policy?');
    expect(after.answer.message.content.length).toBeGreaterThan(0);
    expect(Math.min(...after.ids)).toBeGreaterThan(highest);
    expect(after.ids).toEqual([...after.ids].sort((a, b) => a - b));
    const gap = await customer.waitFor<Joined>((e) => e.type === 'joined' && e.gap, { from });
    expect(gap).toMatchObject({ conversation_id: conversationId, status: 'active', gap: true });
  });

  it('after a restart from an older snapshot (the counter goes back) the ids still go on increasing', async () => {
    const conversationId = await newConversation();
    await ask(conversationId, 'How long does shipping take?');
    await redis.save();
    // Events after the snapshot: the restart loses them and brings back a counter below their ids.
    const lost = await ask(conversationId, 'Which plans do you offer?');
    const highest = Math.max(...lost.ids);
    await restartRedis();

    const after = await ask(conversationId, 'How do I reset my password?');
    expect(after.answer.message.content.length).toBeGreaterThan(0);
    expect(Math.min(...after.ids)).toBeGreaterThan(highest);
  });

  it('a socket that reconnects after the restart with its last event id resumes without losing the answer', async () => {
    const conversationId = await newConversation();
    await ask(conversationId, 'How long does shipping take?');
    const last = customer.conversationEvents(conversationId).at(-1)!.id;
    await customer.close();
    await restartRedis();
    customer = await WsClient.connect(base, alice);
    const joined = await customer.join(conversationId, last);
    // Nothing is kept from before the restart: the client is told to reload.
    expect(joined).toMatchObject({ type: 'joined', gap: true });
    const after = await ask(conversationId, 'Do you support single sign-on?');
    expect(Math.min(...after.ids)).toBeGreaterThan(last);
  });
});
