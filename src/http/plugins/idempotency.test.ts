import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredIdempotencyKeys } from '../../db/queries/idempotency.js';
import { idempotencyKeys, messages } from '../../db/schema.js';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

describe.each(DRIVERS)('idempotency (%s)', (driver) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = await createTestApp(driver);
    [alice, bob] = await Promise.all([t.login('alice@example.com'), t.login('bob@example.com')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (token: string, url: string, payload: object, key?: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) } });
  const newConversation = async (token: string) => (await send(token, '/api/v1/conversations', {})).json().id as string;
  const userMessages = async (conversationId: string) =>
    (
      await t.deps.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'user')))
    ).length;

  it('replays the stored response for the same key and body, without a second row', async () => {
    const id = await newConversation(alice);
    const url = `/api/v1/conversations/${id}/messages`;
    const first = await send(alice, url, { content: 'What plan am I on?' }, 'key-replay-1');
    const again = await send(alice, url, { content: 'What plan am I on?' }, 'key-replay-1');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json()).toEqual(first.json());
    expect(await userMessages(id)).toBe(1);
    // The legacy /api alias is the same API: the same key there is the same request.
    const legacy = await send(alice, `/api/conversations/${id}/messages`, { content: 'What plan am I on?' }, 'key-replay-1');
    expect(legacy.statusCode).toBe(201);
    expect(legacy.json().user_message.id).toBe(first.json().user_message.id);
    // Without a key, a retry is a new message.
    await send(alice, url, { content: 'What plan am I on?' });
    expect(await userMessages(id)).toBe(2);
  });

  it('answers 422 when a key is reused with a different body', async () => {
    const id = await newConversation(alice);
    const url = `/api/v1/conversations/${id}/messages`;
    expect((await send(alice, url, { content: 'first' }, 'key-422')).statusCode).toBe(201);
    const res = await send(alice, url, { content: 'second' }, 'key-422');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('idempotency_key_reused');
    expect(await userMessages(id)).toBe(1);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const id = await newConversation(alice);
    const url = `/api/v1/conversations/${id}/messages`;
    await send(alice, url, { content: 'hello' }, 'key-409');
    // Put the key back to where it is while its first request runs.
    await t.deps.db.update(idempotencyKeys).set({ status: 'in_progress' }).where(eq(idempotencyKeys.key, 'key-409'));
    const res = await send(alice, url, { content: 'hello' }, 'key-409');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('idempotency_conflict');
    // An in-progress key whose holder stopped renewing its lease is taken over, and the retry finds
    // the message stored under the key instead of storing it again.
    await t.deps.db.update(idempotencyKeys).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(idempotencyKeys.key, 'key-409'));
    const retry = await send(alice, url, { content: 'hello' }, 'key-409');
    expect(retry.statusCode).toBe(201);
    expect(await userMessages(id)).toBe(1);
  });

  it('scopes keys by caller: two users with the same key do not collide', async () => {
    const a = await send(alice, '/api/v1/conversations', { subject: 'mine' }, 'shared-key');
    const b = await send(bob, '/api/v1/conversations', { subject: 'mine' }, 'shared-key');
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().id).not.toBe(a.json().id);
  });

  it('forgets stored responses after their time to live; what the key created is still found by it', async () => {
    const first = await send(alice, '/api/v1/chat', { message: 'hi there' }, 'key-expiry');
    await t.deps.db.update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(idempotencyKeys.key, 'key-expiry'));
    const second = await send(alice, '/api/v1/chat', { message: 'hi there' }, 'key-expiry');
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.json().conversation_id).toBe(first.json().conversation_id);
    expect(second.json().user_message.id).toBe(first.json().user_message.id);
    expect(second.json().assistant_message.id).toBe(first.json().assistant_message.id);
    const [row] = await t.deps.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'key-expiry'));
    expect(row!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    await t.deps.db.update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(idempotencyKeys.key, 'key-expiry'));
    expect(await deleteExpiredIdempotencyKeys(t.deps.db)).toBeGreaterThanOrEqual(1);
    expect(await t.deps.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'key-expiry'))).toHaveLength(0);
  });

  it('rejects a malformed key', async () => {
    const res = await send(alice, '/api/v1/conversations', {}, 'x'.repeat(300));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].field).toBe('idempotency-key');
    const spaces = await send(alice, '/api/v1/conversations', {}, 'has spaces in it');
    expect(spaces.json().error.code).toBe('invalid_idempotency_key');
  });
});

describe('idempotency under load (postgres)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores exactly one message for 1,000 concurrent identical POSTs', async () => {
    const token = await t.login('alice@example.com');
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'thundering-herd' };
    const id = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: headers.authorization } })).json().id;
    const url = `/api/v1/conversations/${id}/messages`;
    const responses = await Promise.all(Array.from({ length: 1000 }, () => t.app.inject({ method: 'POST', url, headers, payload: { content: 'Where is my order?' } })));
    const byStatus = new Map<number, number>();
    for (const r of responses) byStatus.set(r.statusCode, (byStatus.get(r.statusCode) ?? 0) + 1);
    console.log('1,000 concurrent identical POSTs:', Object.fromEntries(byStatus));
    // Each answer is the turn (201), "still running" (409) or, when the pool's queue is longer than its
    // wait allows on a busy machine, a 503 with Retry-After: never a second message, whatever the timing.
    for (const r of responses) {
      expect([201, 409, 503]).toContain(r.statusCode);
      if (r.statusCode === 503) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    const created = responses.filter((r) => r.statusCode === 201).map((r) => r.json().user_message.id);
    expect(new Set(created).size).toBeLessThanOrEqual(1);
    const stored = (role: 'user' | 'assistant') =>
      t.deps.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, id), eq(messages.role, role)));
    // At most one message whatever happened; exactly one when a request was answered 201. When even the
    // request that claimed the key got a 503 (the pool's wait ran out on a loaded machine), the claim is
    // released and nothing is stored: the client was told to retry, and the retry below stores it once.
    const during = await stored('user');
    expect(during.length).toBeLessThanOrEqual(1);
    if (created.length) expect(during).toHaveLength(1);
    // Once the first has finished, every retry gets the one stored message and its one reply.
    const retry = await t.app.inject({ method: 'POST', url, headers, payload: { content: 'Where is my order?' } });
    expect(retry.statusCode).toBe(201);
    const rows = await stored('user');
    expect(rows).toHaveLength(1);
    const replies = await stored('assistant');
    expect(replies).toHaveLength(1);
    expect(retry.json().assistant_message.id).toBe(replies[0]!.id);
    if (created.length) expect(created[0]).toBe(rows[0]!.id);
    expect(retry.json().user_message.id).toBe(rows[0]!.id);
  });
});
