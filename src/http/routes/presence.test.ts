import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiblingApp, createTestApp, TEST_REDIS_URL, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { PRESENCE_TTL_SECONDS } from '../../chat/presence.js';
import { createConversation } from '../../db/queries/conversations.js';
import { insertMessage } from '../../db/queries/messages.js';
import { getUserByEmail } from '../../db/queries/users.js';

type Member = { user_id: string; name: string; status: string; seen_at: string | null };

describe.each(DRIVERS)('staff presence and the typical reply time (%s)', (driver) => {
  let t: TestApp;
  let agent: string;
  let admin: string;
  let alice: string;
  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, token?: string, payload?: object, on = t) =>
    on.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload } : {}) });
  const team = async (token: string, on = t) => (await call('GET', '/api/v1/staff/presence', token, undefined, on)).json().items as Member[];
  const statusOf = (items: Member[], name: string) => items.find((m) => m.name === name)?.status;

  beforeAll(async () => {
    t = await createTestApp(driver, driver === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {});
    [agent, admin, alice] = await Promise.all([t.login('agent@example.com'), t.login('admin@example.com'), t.login('alice@example.com')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows who is online or away from their heartbeats, everyone else offline, online first', async () => {
    const before = await team(admin);
    expect(before.every((m) => m.status === 'offline' && m.seen_at === null)).toBe(true);
    const beat = await call('PUT', '/api/v1/staff/presence', agent, { status: 'online' });
    expect(beat.statusCode).toBe(200);
    expect(beat.json()).toMatchObject({ status: 'online', ttl_seconds: PRESENCE_TTL_SECONDS });
    await call('PUT', '/api/v1/staff/presence', admin, { status: 'away' });
    const items = await team(agent);
    expect(statusOf(items, 'Sam Agent')).toBe('online');
    expect(statusOf(items, 'Ada Admin')).toBe('away');
    expect(statusOf(items, 'Riley Park')).toBe('offline');
    expect(items[0]!.name).toBe('Sam Agent');
    expect(items.find((m) => m.name === 'Sam Agent')!.seen_at).toEqual(expect.any(String));
    // Signing out ends it at once.
    expect((await call('DELETE', '/api/v1/staff/presence', agent)).statusCode).toBe(204);
    expect(statusOf(await team(admin), 'Sam Agent')).toBe('offline');
  });

  it('is for staff only', async () => {
    expect((await call('GET', '/api/v1/staff/presence', alice)).statusCode).toBe(403);
    expect((await call('PUT', '/api/v1/staff/presence', alice, { status: 'online' })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/staff/presence')).statusCode).toBe(401);
    expect((await call('PUT', '/api/v1/staff/presence', agent, { status: 'busy' })).statusCode).toBe(400);
  });

  it('says a person typically replies in the median of real staff reply times, and nothing from too few', async () => {
    await t.deps.cache.del('support:response-time');
    const none = await call('GET', '/api/v1/support/response-time');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toMatchObject({ typical_reply_seconds: null, window_days: 30 });

    const sam = (await getUserByEmail(t.deps.db, 'agent@example.com'))!;
    const at = (minutesAgo: number, seconds = 0) => new Date(Date.now() - minutesAgo * 60_000 + seconds * 1000);
    const conversation = async () => (await createConversation(t.deps.db, { channel: 'web' })).id;
    // 1: the customer asks, the assistant hands off, a person replies 120 s after the handoff.
    const a = await conversation();
    await insertMessage(t.deps.db, { conversationId: a, role: 'user', content: 'A person please', createdAt: at(20) });
    await insertMessage(t.deps.db, { conversationId: a, role: 'assistant', content: 'A person will reply here.', createdAt: at(19) });
    await insertMessage(t.deps.db, { conversationId: a, role: 'staff', content: 'Hi, Sam here.', authorId: sam.id, createdAt: at(17) });
    // A second staff message with nothing from the customer in between ends no wait.
    await insertMessage(t.deps.db, { conversationId: a, role: 'staff', content: 'Anything else?', authorId: sam.id, createdAt: at(10) });
    // 2: the customer writes while a person holds it; the reply comes 60 s later.
    await insertMessage(t.deps.db, { conversationId: a, role: 'user', content: 'Yes, one more thing', createdAt: at(9) });
    await insertMessage(t.deps.db, { conversationId: a, role: 'staff', content: 'Sure.', authorId: sam.id, createdAt: at(8) });
    // 3: the wait counts from the customer's first unanswered message: 600 s.
    const b = await conversation();
    await insertMessage(t.deps.db, { conversationId: b, role: 'user', content: 'Hello?', createdAt: at(30) });
    await insertMessage(t.deps.db, { conversationId: b, role: 'user', content: 'Anyone there?', createdAt: at(25) });
    await insertMessage(t.deps.db, { conversationId: b, role: 'staff', content: 'Sorry for the wait.', authorId: sam.id, createdAt: at(20) });
    // Older than the window: left out.
    const c = await conversation();
    await insertMessage(t.deps.db, { conversationId: c, role: 'user', content: 'Old', createdAt: at(60 * 24 * 40) });
    await insertMessage(t.deps.db, { conversationId: c, role: 'staff', content: 'Old reply', authorId: sam.id, createdAt: at(60 * 24 * 40, 5000) });

    // Cached for a minute: the same answer until then.
    expect((await call('GET', '/api/v1/support/response-time')).json().typical_reply_seconds).toBeNull();
    await t.deps.cache.del('support:response-time');
    expect((await call('GET', '/api/v1/support/response-time')).json()).toEqual({ typical_reply_seconds: 120, replies: 3, window_days: 30 });
  });

  it.runIf(driver === 'postgres')('is the same in every API process, through Redis with a TTL', async () => {
    const other = await createSiblingApp(t);
    try {
      await call('PUT', '/api/v1/staff/presence', agent, { status: 'online' });
      expect(statusOf(await team(admin, other), 'Sam Agent')).toBe('online');
      await call('PUT', '/api/v1/staff/presence', agent, { status: 'away' }, other);
      expect(statusOf(await team(admin), 'Sam Agent')).toBe('away');
      const sam = (await getUserByEmail(t.deps.db, 'agent@example.com'))!;
      const ttl = await t.deps.redis!.ttl(`${t.deps.config.REDIS_KEY_PREFIX}presence:${sam.id}`);
      expect(ttl).toBeGreaterThan(PRESENCE_TTL_SECONDS - 5);
      expect(ttl).toBeLessThanOrEqual(PRESENCE_TTL_SECONDS);
    } finally {
      await other.close();
    }
  });
});
