import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { WsClient } from '../../../test/ws-client.js';
import { messages } from '../../db/schema.js';
import type { QueueSnapshot, ServerEvent } from '../../contract/events.js';

describe.each(DRIVERS)('human handoff (%s)', (driver) => {
  let t: TestApp;
  let base: string;
  let alice: string;
  let agent: string;
  let admin: string;
  let riley: string;
  const clients: WsClient[] = [];
  const connect = async (token: string) => {
    const c = await WsClient.connect(base, token);
    clients.push(c);
    return c;
  };
  const auth = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});
  const post = (url: string, token?: string, payload?: object) => t.app.inject({ method: 'POST', url, headers: auth(token), ...(payload ? { payload } : {}) });
  const newConversation = async () => (await post('/api/v1/conversations', alice)).json().id as string;

  beforeAll(async () => {
    t = await createTestApp(driver, { CHAT_DEBOUNCE_MS: '50' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    [alice, agent, admin, riley] = await Promise.all([t.login('alice@example.com'), t.login('agent@example.com'), t.login('admin@example.com'), t.login('riley@example.com')]);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives staff a live feed of conversations waiting for a human: count, age, reason', async () => {
    const staff = await connect(agent);
    staff.send({ type: 'queue.subscribe' });
    const before = await staff.waitFor<QueueSnapshot & { type: 'queue' }>((e) => e.type === 'queue');
    const id = await newConversation();
    const from = staff.events.length;
    const res = await post(`/api/v1/conversations/${id}/messages`, alice, { content: 'I want to speak to a person' });
    expect(res.json().assistant_message.agent).toBe('escalation');
    const after = await staff.waitFor<QueueSnapshot & { type: 'queue' }>((e) => e.type === 'queue' && e.items.some((i) => i.conversation_id === id), { from });
    expect(after.count).toBe(before.count + 1);
    const item = after.items.find((i) => i.conversation_id === id)!;
    expect(item).toMatchObject({ reason: 'customer_request', ticket_number: expect.stringMatching(/^TCK-/), priority: 'normal' });
    expect(item.age_seconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(item.waiting_since)).not.toBeNaN();

    const rest = await t.app.inject({ method: 'GET', url: '/api/v1/staff/queue', headers: auth(agent) });
    expect(rest.statusCode).toBe(200);
    expect(rest.json().items.map((i: { conversation_id: string }) => i.conversation_id)).toContain(id);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/staff/queue', headers: auth(alice) })).statusCode).toBe(403);

    // Taking it over removes it from the queue, live.
    const taken = staff.events.length;
    expect((await post(`/api/v1/conversations/${id}/takeover`, agent)).statusCode).toBe(200);
    const later = await staff.waitFor<QueueSnapshot & { type: 'queue' }>((e) => e.type === 'queue' && !e.items.some((i) => i.conversation_id === id), { from: taken });
    expect(later.count).toBe(before.count);
  });

  it('counts a takeover the customer did not ask for as a staff_takeover handoff, once', async () => {
    const count = async () => (await t.deps.metrics.handoffs.get()).values.find((v) => v.labels.reason === 'staff_takeover')?.value ?? 0;
    const before = await count();
    const id = await newConversation();
    expect((await post(`/api/v1/conversations/${id}/takeover`, agent)).statusCode).toBe(200);
    expect((await post(`/api/v1/conversations/${id}/takeover`, agent)).statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it("silences the AI on takeover and delivers the staff member's reply to the customer's socket", async () => {
    const id = await newConversation();
    const customer = await connect(alice);
    await customer.join(id);
    const res = await post(`/api/v1/conversations/${id}/takeover`, agent);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'human', assigned_to: expect.any(String) });
    const handoff = await customer.waitFor<Extract<ServerEvent, { type: 'handoff' }>>((e) => e.type === 'handoff');
    expect(handoff).toMatchObject({ status: 'human', by: { name: expect.any(String) } });

    customer.send({ type: 'message.send', conversation_id: id, content: 'Hello? Is anyone there?', client_id: 'h-1' });
    await customer.waitFor((e) => e.type === 'ack');
    await t.app.realtime.idle();
    const rest = await post(`/api/v1/conversations/${id}/messages`, alice, { content: 'What plan am I on?' });
    expect(rest.statusCode).toBe(201);
    expect(rest.json().assistant_message).toBeNull();

    const reply = await post(`/api/v1/conversations/${id}/staff-messages`, agent, { content: 'Hi Alice, Dana here. Looking into it now.' });
    expect(reply.statusCode).toBe(201);
    const live = await customer.waitFor<Extract<ServerEvent, { type: 'message.created' }>>((e) => e.type === 'message.created' && e.message.role === 'staff');
    expect(live.message.content).toBe('Hi Alice, Dana here. Looking into it now.');

    const assistantEvents = customer.events.filter((e) => e.type === 'message.completed' || e.type === 'token' || (e.type === 'typing' && e.who === 'assistant'));
    expect(assistantEvents).toEqual([]);
    const rows = await t.deps.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(rows.map((r) => r.role).sort()).toEqual(['staff', 'user', 'user']);
  });

  it('carries typing indicators both ways', async () => {
    const id = await newConversation();
    const customer = await connect(alice);
    const staff = await connect(agent);
    await customer.join(id);
    await staff.join(id);
    customer.send({ type: 'typing', conversation_id: id, on: true });
    expect(await staff.waitFor((e) => e.type === 'typing' && e.who === 'customer')).toMatchObject({ on: true, conversation_id: id });
    staff.send({ type: 'typing', conversation_id: id, on: true });
    expect(await customer.waitFor((e) => e.type === 'typing' && e.who === 'staff')).toMatchObject({ on: true, conversation_id: id });
  });

  it('hands the conversation back to the AI on release', async () => {
    const id = await newConversation();
    await post(`/api/v1/conversations/${id}/takeover`, agent);
    const customer = await connect(alice);
    await customer.join(id);
    const res = await post(`/api/v1/conversations/${id}/release`, agent);
    expect(res.json()).toMatchObject({ status: 'active', assigned_to: null });
    await customer.waitFor((e) => e.type === 'handoff' && e.status === 'active');
    customer.send({ type: 'message.send', conversation_id: id, content: 'What plan am I on?', client_id: 'after-release' });
    const done = await customer.waitFor<Extract<ServerEvent, { type: 'message.completed' }>>((e) => e.type === 'message.completed');
    expect(done.message.agent).toBe('account');
  });

  it('delivers a staff message sent over the socket, taking the conversation over, once per client_id', async () => {
    const id = await newConversation();
    const customer = await connect(alice);
    await customer.join(id);
    const staff = await connect(agent);
    staff.send({ type: 'message.send', conversation_id: id, content: 'Hello from support', client_id: 's-1' });
    staff.send({ type: 'message.send', conversation_id: id, content: 'Hello from support', client_id: 's-1' });
    await staff.waitFor((e) => e.type === 'ack' && e.duplicate);
    expect(staff.events.filter((e) => e.type === 'ack').map((e) => e.duplicate)).toEqual([false, true]);
    await customer.waitFor((e) => e.type === 'message.created' && e.message.role === 'staff');
    expect(customer.events.find((e) => e.type === 'handoff')).toMatchObject({ status: 'human' });
    const again = await post(`/api/v1/conversations/${id}/staff-messages`, agent, { content: 'Hello from support', client_id: 's-1' });
    expect(again.statusCode).toBe(200);
    const rows = await t.deps.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(rows.filter((r) => r.role === 'staff')).toHaveLength(1);
  });

  it('enforces who may take over and release', async () => {
    const id = await newConversation();
    expect((await post(`/api/v1/conversations/${id}/takeover`, alice)).statusCode).toBe(403);
    expect((await post(`/api/v1/conversations/${id}/takeover`)).statusCode).toBe(401);
    expect((await post(`/api/v1/conversations/${id}/release`, agent)).json().error.code).toBe('not_in_human_mode');
    expect((await post(`/api/v1/conversations/${id}/takeover`, agent)).statusCode).toBe(200);
    expect((await post(`/api/v1/conversations/${id}/takeover`, agent)).statusCode).toBe(200);
    const contested = await post(`/api/v1/conversations/${id}/takeover`, admin);
    expect(contested.statusCode).toBe(409);
    expect(contested.json().error.code).toBe('already_taken_over');
    const otherReply = await post(`/api/v1/conversations/${id}/staff-messages`, admin, { content: 'me too' });
    expect(otherReply.json().error.code).toBe('already_taken_over');
    // A colleague (agent) cannot release it; an admin can.
    const colleague = await post(`/api/v1/conversations/${id}/release`, riley);
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json()).toMatchObject({ error: { code: 'held_by_other', details: { assigned_to: expect.any(String) } }, correlation_id: expect.any(String) });
    expect((await post(`/api/v1/conversations/${id}/release`, admin)).statusCode).toBe(200);
    expect((await post(`/api/v1/conversations/${id}/takeover`, admin)).statusCode).toBe(200);
    expect((await post('/api/v1/conversations/00000000-0000-4000-8000-000000000000/takeover', agent)).statusCode).toBe(404);
  });

  it("lets an agent assign a free conversation to a colleague, hand on their own, but not take a colleague's (403); an admin can", async () => {
    const members = (await t.app.inject({ method: 'GET', url: '/api/v1/staff/members', headers: auth(agent) })).json().items as { id: string; name: string; role: string }[];
    const id = (name: string) => members.find((m) => m.name === name)!.id;
    expect(members.map((m) => m.name)).toEqual(expect.arrayContaining(['Sam Agent', 'Riley Park', 'Ada Admin']));
    expect(members.every((m) => m.role === 'agent' || m.role === 'admin')).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/staff/members', headers: auth(alice) })).statusCode).toBe(403);

    const conv = await newConversation();
    const customer = await connect(alice);
    await customer.join(conv);
    // Sam assigns a conversation nobody holds to Riley: Riley holds it, the customer is told who.
    const given = await post(`/api/v1/conversations/${conv}/assign`, agent, { assigned_to: id('Riley Park') });
    expect(given.statusCode).toBe(200);
    expect(given.json()).toMatchObject({ status: 'human', assigned_to: id('Riley Park') });
    const told = await customer.waitFor<Extract<ServerEvent, { type: 'handoff' }>>((e) => e.type === 'handoff' && e.status === 'human');
    expect(told.by).toEqual({ id: id('Riley Park'), name: 'Riley Park' });

    // Sam cannot take it from Riley, by assigning it to himself or to anyone else, nor release it.
    for (const to of [id('Sam Agent'), id('Ada Admin')]) {
      const res = await post(`/api/v1/conversations/${conv}/assign`, agent, { assigned_to: to });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('held_by_other');
    }
    expect((await post(`/api/v1/conversations/${conv}/release`, agent)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/staff/conversations/${conv}`, headers: auth(agent) })).json()).toMatchObject({
      assigned_to: id('Riley Park'),
      assignee_name: 'Riley Park',
    });

    // Riley hands it on to Sam (her own to give).
    expect((await post(`/api/v1/conversations/${conv}/assign`, riley, { assigned_to: id('Sam Agent') })).json().assigned_to).toBe(id('Sam Agent'));
    // An admin reassigns it from Sam to Riley, and can release it.
    const reassigned = await post(`/api/v1/conversations/${conv}/assign`, admin, { assigned_to: id('Riley Park') });
    expect(reassigned.statusCode).toBe(200);
    expect(reassigned.json().assigned_to).toBe(id('Riley Park'));
    expect((await post(`/api/v1/conversations/${conv}/release`, admin)).json()).toMatchObject({ status: 'active', assigned_to: null });

    // Only staff can be assignees; customers cannot assign at all.
    const toCustomer = await post(`/api/v1/conversations/${conv}/assign`, admin, { assigned_to: (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(alice) })).json().user.id });
    expect(toCustomer.statusCode).toBe(400);
    expect(toCustomer.json().error.details.field).toBe('assigned_to');
    expect((await post(`/api/v1/conversations/${conv}/assign`, alice, { assigned_to: id('Sam Agent') })).statusCode).toBe(403);
    expect((await post('/api/v1/conversations/00000000-0000-4000-8000-000000000000/assign', admin, { assigned_to: id('Sam Agent') })).statusCode).toBe(404);
  });

  it('filters the staff conversation list by status, route, assignee, customer, words and day, paged by keyset', async () => {
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(alice) })).json().user;
    const sam = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(agent) })).json().user.id as string;
    const billing = await newConversation();
    await post(`/api/v1/conversations/${billing}/messages`, alice, { content: 'What plan am I on?' });
    const held = await newConversation();
    await post(`/api/v1/conversations/${held}/takeover`, agent);
    const list = async (query: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/staff/conversations?limit=100&${query}`, headers: auth(agent) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as { id: string; status: string; assigned_to: string | null; customer_id: string | null; customer_name: string | null; created_at: string }[];
    };
    const account = await list('route=account');
    expect(account.map((c) => c.id)).toContain(billing);
    expect(account.map((c) => c.id)).not.toContain(held);
    const mine = await list(`assigned_to=${sam}&status=human`);
    expect(mine.map((c) => c.id)).toContain(held);
    expect(mine.every((c) => c.assigned_to === sam && c.status === 'human')).toBe(true);
    expect((await list('assigned_to=none')).every((c) => c.assigned_to === null)).toBe(true);
    const alices = await list(`customer_id=${me.customer_id}`);
    expect(alices.length).toBeGreaterThan(1);
    expect(alices.every((c) => c.customer_id === me.customer_id && c.customer_name === 'Alice Martin')).toBe(true);
    expect((await list('q=alice%40example')).map((c) => c.id)).toEqual(expect.arrayContaining([billing, held]));
    expect(await list('q=nobody-has-this-100%25')).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`from=${today}&to=${today}`)).map((c) => c.id)).toContain(billing);
    expect(await list('from=2001-01-01&to=2001-01-31')).toEqual([]);
    const backwards = await t.app.inject({ method: 'GET', url: `/api/v1/staff/conversations?from=${today}&to=2001-01-01`, headers: auth(agent) });
    expect(backwards.statusCode).toBe(400);

    // Pages by cursor without repeats, newest first.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; created_at: string }[]; next_cursor: string | null } = (
        await t.app.inject({ method: 'GET', url: `/api/v1/staff/conversations?limit=2&customer_id=${me.customer_id}${cursor ? `&cursor=${cursor}` : ''}`, headers: auth(agent) })
      ).json();
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(alices.length);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/staff/conversations', headers: auth(alice) })).statusCode).toBe(403);
  });
});
