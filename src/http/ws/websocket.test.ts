import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { expectResumed, WsClient } from '../../../test/ws-client.js';
import { TokenService } from '../../auth/tokens.js';
import { revokeRefreshFamily } from '../../db/queries/refresh-tokens.js';
import { messages, supportTickets } from '../../db/schema.js';
import type { NumberedEvent, ServerEvent } from '../../contract/events.js';

// PGlite runs with the in-process bus, PostgreSQL with the Redis one: both buses behind the real socket.
describe.each(DRIVERS)('WebSocket /ws (%s)', (driver) => {
  let t: TestApp;
  let base: string;
  let alice: string;
  let bob: string;
  let agent: string;
  const clients: WsClient[] = [];
  const connect = async (token: string) => {
    const c = await WsClient.connect(base, token);
    clients.push(c);
    return c;
  };
  const open = async (opts = {}) => {
    const c = await WsClient.open(base, opts);
    clients.push(c);
    return c;
  };
  const newConversation = async (token?: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: token ? { authorization: `Bearer ${token}` } : {} });
    return res.json() as { id: string; conversation_token?: string };
  };
  const completed = (c: WsClient, conversationId: string, from = 0) =>
    c.waitFor<Extract<ServerEvent, { type: 'message.completed' }>>((e) => e.type === 'message.completed' && e.conversation_id === conversationId, { from });
  const typingOff = (c: WsClient, conversationId: string, from = 0) => c.waitFor((e) => e.type === 'typing' && e.conversation_id === conversationId && e.who === 'assistant' && !e.on, { from });

  beforeAll(async () => {
    t = await createTestApp(driver, {
      ...(driver === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {}),
      WS_MAX_CONNECTIONS_PER_USER: '3',
      WS_RATE_PER_MINUTE: '600',
      WS_RATE_BURST: '40',
      WS_HEARTBEAT_MS: '500',
      WS_MAX_FRAME_BYTES: '16384',
      CHAT_DEBOUNCE_MS: '300',
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    [alice, bob, agent] = await Promise.all([t.login('alice@example.com'), t.login('bob@example.com'), t.login('agent@example.com')]);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams a turn: the stored message, typing, route, tokens before message.completed, typing off', async () => {
    const conv = await newConversation(alice);
    const c = await connect(alice);
    expect(await c.join(conv.id, 0)).toMatchObject({ type: 'joined', status: 'active', last_event_id: 0, gap: false });
    c.send({ type: 'message.send', conversation_id: conv.id, content: 'What plan am I on?', client_id: 'c-1' });
    const done = await completed(c, conv.id);
    await typingOff(c, conv.id);
    const ack = c.events.find((e) => e.type === 'ack');
    expect(ack).toMatchObject({ conversation_id: conv.id, client_id: 'c-1', duplicate: false });

    const events = c.conversationEvents(conv.id);
    // Consecutive ids (on Redis the first is the server clock in microseconds: see redis-bus.ts).
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => events[0]!.id + i));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('message.created');
    expect(types.slice(1, 3)).toEqual(['typing', 'route']);
    const firstToken = types.indexOf('token');
    const lastToken = types.lastIndexOf('token');
    expect(firstToken).toBeGreaterThan(0);
    expect(lastToken).toBeLessThan(types.indexOf('message.completed'));
    expect(types.at(-1)).toBe('typing');
    const tokens = events.filter((e): e is Extract<NumberedEvent, { type: 'token' }> => e.type === 'token');
    expect(tokens.map((e) => e.delta).join('')).toBe(done.message.content);
    // The offline engine streams the answer word by word without pause: the bus coalesces the words
    // (at most one token event per 50 ms), so there are far fewer events than words.
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    expect(tokens.length).toBeLessThan(done.message.content.split(/\s+/).length / 2);
    expect(tokens.every((e) => e.message_ref === done.message.id)).toBe(true);
    expect(done.message).toMatchObject({ role: 'assistant', agent: 'account' });
    expect(done.message.content).toMatch(/pro plan/i);

    // The same rows a REST turn stores: the user message (with its client_id) and the reply to it.
    const rows = await t.deps.db.select().from(messages).where(eq(messages.conversationId, conv.id));
    expect(rows.map((r) => r.role).sort()).toEqual(['assistant', 'user']);
    const user = rows.find((r) => r.role === 'user')!;
    expect(user).toMatchObject({ id: (ack as { message_id: string }).message_id, clientId: 'c-1', content: 'What plan am I on?' });
    expect(rows.find((r) => r.role === 'assistant')!.replyTo).toBe(user.id);
  });

  it('shows the customer what was done and staff the tool calls: no tool names, arguments, results or ticket summary on the customer socket', async () => {
    const conv = await newConversation(alice);
    const customer = await connect(alice);
    const staff = await connect(agent);
    await customer.join(conv.id, 0);
    await staff.join(conv.id, 0);
    customer.send({ type: 'message.send', conversation_id: conv.id, content: 'I want to talk to a person about my invoices', client_id: 'esc-1' });
    const mine = await completed(customer, conv.id);
    const theirs = await completed(staff, conv.id);
    await typingOff(customer, conv.id);
    await typingOff(staff, conv.id);
    const [ticket] = await t.deps.db.select().from(supportTickets).where(eq(supportTickets.conversationId, conv.id));
    expect(ticket).toBeDefined();
    const summary = JSON.stringify(ticket!.summary).slice(1, -1);
    // What the assistant wrote for staff (part of the ticket's summary, which also quotes the customer).
    const written = theirs.message.tool_calls?.find((c) => c.name === 'create_ticket')?.arguments.summary as string;
    expect(written.length).toBeGreaterThan(20);
    expect(ticket!.summary).toContain(written);

    expect(mine.message.tool_calls).toBeUndefined();
    expect(mine.message.actions).toEqual([{ type: 'opened_ticket', label: `Opened ticket ${ticket!.ticketNumber}`, status: 'ok', ticket_number: ticket!.ticketNumber }]);
    const customerTools = customer.conversationEvents(conv.id).filter((e) => e.type === 'tool');
    // A ticket is told once it is open (the server may refuse one the model tries to open).
    expect(customerTools.map((e) => [e.status, e.label])).toEqual([['ok', `Opened ticket ${ticket!.ticketNumber}`]]);
    for (const e of customerTools) expect(Object.keys(e).sort()).toEqual(['action', 'conversation_id', 'id', 'label', 'status', 'type']);
    const customerWire = JSON.stringify(customer.events);
    expect(customerWire).not.toContain(summary);
    expect(customerWire).not.toContain(JSON.stringify(written).slice(1, -1));
    expect(customerWire).not.toMatch(/"tool_calls"|"arguments"|create_ticket/);

    // Staff follow the same conversation in full.
    expect(theirs.message.actions).toEqual(mine.message.actions);
    expect(theirs.message.tool_calls?.map((c) => c.name)).toEqual(['create_ticket']);
    const staffTools = staff.conversationEvents(conv.id).filter((e) => e.type === 'tool');
    expect(staffTools.map((e) => [e.name, e.status])).toEqual([
      ['create_ticket', 'started'],
      ['create_ticket', 'ok'],
    ]);
    expect(JSON.stringify(staff.events)).toContain(JSON.stringify(written).slice(1, -1));
  });

  it('stores and answers a message once however often its client_id is sent', async () => {
    const conv = await newConversation(alice);
    const c = await connect(alice);
    await c.join(conv.id);
    for (let i = 0; i < 3; i++) c.send({ type: 'message.send', conversation_id: conv.id, content: 'How long does shipping take?', client_id: 'same' });
    const acks = await Promise.all([0, 1, 2].map((n) => c.waitFor((e) => e.type === 'ack' && c.events.filter((x) => x.type === 'ack').length > n)));
    await completed(c, conv.id);
    await t.app.realtime.idle();
    const all = c.events.filter((e) => e.type === 'ack');
    expect(all.map((a) => a.duplicate)).toEqual([false, true, true]);
    expect(new Set(all.map((a) => a.message_id)).size).toBe(1);
    expect(acks).toHaveLength(3);
    const rows = await t.deps.db.select().from(messages).where(eq(messages.conversationId, conv.id));
    expect(rows.filter((r) => r.role === 'user')).toHaveLength(1);
    expect(rows.filter((r) => r.role === 'assistant')).toHaveLength(1);
  });

  it('answers a burst of messages once, together', async () => {
    const conv = await newConversation(alice);
    const c = await connect(alice);
    await c.join(conv.id);
    const burst = ['hi', 'I was charged twice', 'on invoice INV-1001'];
    for (const [i, content] of burst.entries()) c.send({ type: 'message.send', conversation_id: conv.id, content, client_id: `b-${i}` });
    await completed(c, conv.id);
    await t.app.realtime.idle();
    expect(c.conversationEvents(conv.id).filter((e) => e.type === 'message.completed')).toHaveLength(1);
    const rows = await t.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conv.id)));
    const users = rows.filter((r) => r.role === 'user');
    const answers = rows.filter((r) => r.role === 'assistant');
    expect(users).toHaveLength(3);
    expect(answers).toHaveLength(1);
    // The one answer replies to the last message of the burst.
    expect(answers[0]!.replyTo).toBe(users.find((u) => u.clientId === 'b-2')!.id);
  });

  it('resumes after a reconnect with last_event_id: the rest of the stream, in order, exactly once', async () => {
    const conv = await newConversation(alice);
    const observer = await connect(alice);
    await observer.join(conv.id, 0);
    const first = await connect(alice);
    await first.join(conv.id, 0);
    first.send({ type: 'message.send', conversation_id: conv.id, content: 'How do I reset my password?', client_id: 'r-1' });
    const token = await first.waitFor<NumberedEvent>((e) => e.type === 'token');
    await first.close(); // mid-stream: the client has read up to the first token
    const seenBefore = first.conversationEvents(conv.id).filter((e) => e.id <= token.id);

    const second = await connect(alice);
    const joined = await second.join(conv.id, token.id);
    expect(joined).toMatchObject({ type: 'joined', gap: false });
    await completed(second, conv.id);
    await typingOff(second, conv.id);
    await typingOff(observer, conv.id);

    // What the observer got after the token, except the tokens of the reply if it was completed before
    // the resume (the replay keeps its message.completed instead).
    const everything = observer.conversationEvents(conv.id);
    expect(seenBefore).toEqual(everything.filter((e) => e.id <= token.id));
    expectResumed(second.conversationEvents(conv.id), everything, token.id);
  });

  it('resumes after the reply was completed with its message.completed, not the tokens it streamed in (the replay keeps what a resume needs)', async () => {
    const conv = await newConversation(alice);
    const live = await connect(alice);
    await live.join(conv.id, 0);
    live.send({ type: 'message.send', conversation_id: conv.id, content: 'What plan am I on?', client_id: 'k-1' });
    const done = await completed(live, conv.id);
    await typingOff(live, conv.id);
    const all = live.conversationEvents(conv.id);
    const streamed = all.filter((e): e is Extract<NumberedEvent, { type: 'token' }> => e.type === 'token');
    expect(streamed.map((e) => e.delta).join('')).toBe(done.message.content);

    const later = await connect(alice);
    const created = all.find((e) => e.type === 'message.created')!;
    expect(await later.join(conv.id, created.id)).toMatchObject({ gap: false, last_event_id: all.at(-1)!.id });
    await typingOff(later, conv.id);
    const resumed = later.conversationEvents(conv.id);
    expect(resumed.map((e) => e.id)).toEqual(all.filter((e) => e.id > created.id && e.type !== 'token').map((e) => e.id));
    expect(resumed.find((e) => e.type === 'message.completed')).toEqual(done);
    expect(expectResumed(resumed, all, created.id)).toEqual(streamed);
  });

  it('lets a connection see only the conversations its token may see', async () => {
    const mine = await newConversation(alice);
    const anon = await newConversation();
    const other = await newConversation();
    const b = await connect(bob);
    expect(await b.join(mine.id)).toMatchObject({ type: 'error', code: 'conversation_not_found' });
    const visitor = await connect(anon.conversation_token!);
    expect(visitor.events[0]).toMatchObject({ type: 'ready', user: { kind: 'conversation', id: anon.id }, max_message_chars: 8000 });
    expect(await visitor.join(other.id)).toMatchObject({ type: 'error', code: 'conversation_not_found' });
    expect(await visitor.join(anon.id)).toMatchObject({ type: 'joined' });
    visitor.send({ type: 'message.send', conversation_id: other.id, content: 'hello', client_id: 'x' });
    await visitor.waitFor((e) => e.type === 'error' && e.ref === 'message.send');
    const staff = await connect(agent);
    expect(await staff.join(mine.id)).toMatchObject({ type: 'joined' });
    expect(await staff.join(anon.id)).toMatchObject({ type: 'joined' });
    // A customer cannot follow the staff queue.
    b.send({ type: 'queue.subscribe' });
    expect(await b.waitFor((e) => e.type === 'error' && e.ref === 'queue.subscribe')).toMatchObject({ code: 'forbidden' });
  });

  it('answers invalid events with an error event and keeps the connection open', async () => {
    const c = await open();
    c.send('not json');
    c.send(JSON.stringify({ type: 'conversation.join', conversation_id: 'nope' }));
    c.send({ type: 'ping' });
    await c.waitFor((e) => e.type === 'pong');
    c.send({ type: 'conversation.join', conversation_id: '00000000-0000-4000-8000-000000000000' });
    c.send({ type: 'auth', token: 'not-a-token' });
    c.send({ type: 'auth', token: alice });
    await c.waitFor((e) => e.type === 'ready');
    c.send(JSON.stringify({ type: 'teleport' }));
    c.send({ type: 'message.send', conversation_id: (await newConversation(alice)).id, content: 'x'.repeat(9000), client_id: 'big' });
    c.send({ type: 'ping' });
    await c.waitFor((e) => e.type === 'pong' && c.events.filter((x) => x.type === 'pong').length === 2);
    const codes = c.events.filter((e) => e.type === 'error').map((e) => e.code);
    expect(codes).toEqual(['invalid_json', 'invalid_event', 'unauthenticated', 'invalid_token', 'invalid_event', 'message_too_long']);
    expect(c.socket.readyState).toBe(c.socket.OPEN);
  });

  it("refuses a signed-out session's token and closes a connection when its token expires", async () => {
    const session = await t.login('bob@example.com');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${session}` } });
    const c = await open();
    c.send({ type: 'auth', token: session });
    expect(await c.waitFor((e) => e.type === 'error')).toMatchObject({ code: 'session_revoked' });

    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${bob}` } })).json();
    const c2 = t.deps.config;
    const shortLived = new TokenService({ secret: c2.JWT_SECRET, issuer: c2.JWT_ISSUER, audience: c2.JWT_AUDIENCE, accessTtlSeconds: 1 });
    const { token } = await shortLived.signAccess({ id: me.user.id, role: 'customer', customerId: null }, randomUUID());
    const expiring = await connect(token);
    const closed = await expiring.closed;
    expect(closed).toMatchObject({ code: 1008, reason: expect.stringMatching(/expired/) });
  });

  // Issue 13 item 8: an open WebSocket kept sending after logout.
  describe('a session that ends closes its open sockets with 4401', () => {
    const signIn = async (email: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'switchboard-demo' } })).json() as { access_token: string; refresh_token: string };
    /** The close, or 'still open' if none comes within `ms`. */
    const closedWithin = (c: WsClient, ms: number) => Promise.race([c.closed, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);

    it('on sign-out: told session_revoked, closed 4401, nothing sent after; another session of the user stays open', async () => {
      const conv = await newConversation(alice);
      const s = await signIn('alice@example.com');
      const c = await connect(s.access_token);
      const other = await connect(alice);
      await c.join(conv.id, 0);
      await other.join(conv.id, 0);
      const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${s.access_token}` } });
      expect(out.statusCode).toBe(204);
      expect(await closedWithin(c, 3000)).toMatchObject({ code: 4401, reason: expect.stringMatching(/session ended/) });
      expect(c.events.at(-1)).toMatchObject({ type: 'error', code: 'session_revoked' });
      const seen = c.events.length;
      // A turn in the conversation it followed reaches the live session's socket only.
      other.send({ type: 'message.send', conversation_id: conv.id, content: 'How long does shipping take?', client_id: 'after-logout' });
      await completed(other, conv.id);
      expect(c.events.length).toBe(seen);
      expect(other.socket.readyState).toBe(other.socket.OPEN);
    });

    it('on refresh-token reuse (after the grace window): the whole family, so every socket of the session', async () => {
      const config = t.deps.config as { REFRESH_REUSE_GRACE_SECONDS: number };
      const s = await signIn('bob@example.com');
      const refresh = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: token } });
      const newer = (await refresh(s.refresh_token)).json() as { access_token: string };
      const withOld = await connect(s.access_token);
      const withNew = await connect(newer.access_token);
      config.REFRESH_REUSE_GRACE_SECONDS = 0;
      try {
        expect((await refresh(s.refresh_token)).json().error.code).toBe('refresh_token_reused');
      } finally {
        config.REFRESH_REUSE_GRACE_SECONDS = 10;
      }
      expect(await closedWithin(withOld, 3000)).toMatchObject({ code: 4401 });
      expect(await closedWithin(withNew, 3000)).toMatchObject({ code: 4401 });
    });

    it('when the signal never came (revoked in PostgreSQL alone, as with Redis down at sign-out), within a heartbeat', async () => {
      const s = await signIn('bob@example.com');
      const c = await connect(s.access_token);
      const sid = ((await t.deps.tokens.verify(s.access_token)) as { sessionId: string }).sessionId;
      expect(await revokeRefreshFamily(t.deps.db, sid)).toBe(1);
      // WS_HEARTBEAT_MS is 500 here.
      expect(await closedWithin(c, 3000)).toMatchObject({ code: 4401 });
    });
  });

  it('closes the connection with 1009 on an oversized frame', async () => {
    const c = await connect(alice);
    c.send(JSON.stringify({ type: 'ping', padding: 'x'.repeat(20_000) }));
    expect((await c.closed).code).toBe(1009);
  });

  it('limits the events per connection and keeps it open', async () => {
    const c = await connect(alice);
    for (let i = 0; i < 60; i++) c.send({ type: 'ping' });
    await c.waitFor((e) => e.type === 'error' && e.code === 'rate_limited');
    const pongs = () => c.events.filter((e) => e.type === 'pong').length;
    await c.waitFor(() => pongs() >= 38);
    expect(pongs()).toBeLessThan(60);
    expect(c.socket.readyState).toBe(c.socket.OPEN);
  });

  it('refuses a connection beyond the per-user maximum until one closes', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: `ws-${randomUUID()}@example.com`, password: 'a-long-enough-password', name: 'Many Tabs' },
    });
    const user = reg.json().access_token as string;
    const mine: WsClient[] = [];
    for (let i = 0; i < 3; i++) mine.push(await connect(user));
    const extra = await open();
    extra.send({ type: 'auth', token: user });
    expect(await extra.waitFor((e) => e.type === 'error')).toMatchObject({ code: 'too_many_connections' });
    expect((await extra.closed).code).toBe(1008);
    await mine[0]!.close();
    // The slot frees when the server sees the close; retry until it has.
    let again: WsClient | undefined;
    for (let i = 0; i < 50 && !again; i++) {
      const c = await open();
      c.send({ type: 'auth', token: user });
      const first = await c.waitFor((e) => e.type === 'ready' || e.type === 'error');
      if (first.type === 'ready') again = c;
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(again).toBeDefined();
  });

  it('closes a connection that stops answering pings and keeps the live ones', async () => {
    const dead = await WsClient.open(base, { autoPong: false });
    clients.push(dead);
    const live = await open();
    dead.send({ type: 'auth', token: agent });
    live.send({ type: 'auth', token: agent });
    const closed = await dead.closed;
    expect(closed.code).toBe(1006);
    live.send({ type: 'ping' });
    await live.waitFor((e) => e.type === 'pong');
    expect(live.socket.readyState).toBe(live.socket.OPEN);
  });
});
