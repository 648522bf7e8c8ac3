import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../db/schema.js';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

describe.each(DRIVERS)('conversation routes (%s)', (driver) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let agent: string;
  beforeAll(async () => {
    t = await createTestApp(driver);
    [alice, bob, agent] = await Promise.all([t.login('alice@example.com'), t.login('bob@example.com'), t.login('agent@example.com')]);
  });
  afterAll(async () => {
    await t?.close();
  });
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('creates a conversation for a signed-in customer without a conversation token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth(alice), payload: { subject: 'Billing' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'active', subject: 'Billing', channel: 'api' });
    expect(res.json().conversation_token).toBeUndefined();
    expect(res.json().customer_id).toEqual(expect.any(String));
  });

  it('posts a message and returns both stored messages', async () => {
    const conv = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth(alice) })).json();
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conv.id}/messages`, headers: auth(alice), payload: { content: 'What plan am I on?' } });
    expect(res.statusCode).toBe(201);
    const { user_message, assistant_message } = res.json();
    expect(user_message).toMatchObject({ role: 'user', content: 'What plan am I on?', conversation_id: conv.id });
    expect(assistant_message).toMatchObject({ role: 'assistant', agent: 'account', route: 'account' });
    expect(assistant_message.content).toMatch(/pro plan/i);
    const rows = await t.deps.db.select().from(messages).where(eq(messages.conversationId, conv.id));
    expect(rows).toHaveLength(2);
  });

  it('lists only your own conversations, newest first, by cursor', async () => {
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth(bob) });
    const page1 = (await t.app.inject({ method: 'GET', url: '/api/v1/conversations?limit=2', headers: auth(bob) })).json();
    expect(page1.items).toHaveLength(2);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = (await t.app.inject({ method: 'GET', url: `/api/v1/conversations?limit=2&cursor=${page1.next_cursor}`, headers: auth(bob) })).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.next_cursor).toBeNull();
    const ids = [...page1.items, ...page2.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(3);
    const aliceList = (await t.app.inject({ method: 'GET', url: '/api/v1/conversations?limit=100', headers: auth(alice) })).json();
    expect(aliceList.items.some((c: { id: string }) => ids.includes(c.id))).toBe(false);
  });

  it("hides another customer's conversation as not found, but shows it to staff", async () => {
    const conv = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth(alice) })).json();
    for (const url of [`/api/v1/conversations/${conv.id}`, `/api/v1/conversations/${conv.id}/messages`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: auth(bob) });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('conversation_not_found');
      expect((await t.app.inject({ method: 'GET', url, headers: auth(agent) })).statusCode).toBe(200);
    }
    const post = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conv.id}/messages`, headers: auth(bob), payload: { content: 'hi' } });
    expect(post.statusCode).toBe(404);
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${conv.id}` });
    expect(anon.statusCode).toBe(404);
  });

  it('returns a conversation with its messages', async () => {
    const conv = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth(alice) })).json();
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conv.id}/messages`, headers: auth(alice), payload: { content: 'thanks!' } });
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${conv.id}`, headers: auth(alice) });
    expect(res.statusCode).toBe(200);
    expect(res.json().messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
  });

  it('lets a visitor who signs in keep their conversation, and nobody else claim it', async () => {
    const visitor = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
    const other = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
    const claim = (id: string, token: string, conversation_token: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/claim`, headers: auth(token), payload: { conversation_token } });
    // Another conversation's token, a forged token, no sign-in, a staff account: refused, nothing linked.
    expect((await claim(visitor.id, alice, other.conversation_token)).statusCode).toBe(404);
    expect((await claim(visitor.id, alice, 'not-a-token')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${visitor.id}/claim`, payload: { conversation_token: visitor.conversation_token } })).statusCode).toBe(401);
    expect((await claim(visitor.id, agent, visitor.conversation_token)).statusCode).toBe(403);

    const res = await claim(visitor.id, alice, visitor.conversation_token);
    expect(res.statusCode).toBe(200);
    expect(res.json().customer_id).toEqual(expect.any(String));
    expect((await claim(visitor.id, alice, visitor.conversation_token)).statusCode).toBe(200); // again: still hers
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/conversations?limit=100', headers: auth(alice) })).json();
    expect(list.items.map((c: { id: string }) => c.id)).toContain(visitor.id);
    // Bob holding the same token gets nothing: it is Alice's now, and the token no longer opens it.
    expect((await claim(visitor.id, bob, visitor.conversation_token)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${visitor.id}`, headers: auth(bob) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${visitor.id}`, headers: auth(visitor.conversation_token) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${visitor.id}`, headers: auth(alice) })).statusCode).toBe(200);
    // A signed-in customer's own conversation has no token to present: Bob cannot claim it with his.
    const hers = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth(alice) })).json();
    expect((await claim(hers.id, bob, other.conversation_token)).statusCode).toBe(404);
  });

  it('requires sign-in to list conversations', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/conversations' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });
});
