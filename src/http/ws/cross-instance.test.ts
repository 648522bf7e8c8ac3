import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSiblingApp, createTestApp, TEST_REDIS_URL, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { expectResumed, WsClient } from '../../../test/ws-client.js';
import type { NumberedEvent, ServerEvent } from '../../contract/events.js';

// Two API processes (two apps on their own ports, each with its own Redis connections and bus)
// over one database and one Redis.
describe.each(DRIVERS)('realtime across two API instances (%s)', (driver) => {
  let a: TestApp;
  let b: TestApp;
  let bClosed = false;
  let urlA: string;
  let urlB: string;
  let alice: string;
  let agent: string;
  const redis = new Redis(TEST_REDIS_URL);
  const clients: WsClient[] = [];
  const connect = async (url: string, token: string) => {
    const c = await WsClient.connect(url, token);
    clients.push(c);
    return c;
  };
  const newConversation = async () => (await a.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${alice}` } })).json().id as string;

  beforeAll(async () => {
    a = await createTestApp(driver, { REDIS_URL: TEST_REDIS_URL, CHAT_DEBOUNCE_MS: '20', WS_MAX_CONNECTIONS_PER_USER: '3' });
    b = await createSiblingApp(a);
    urlA = await a.app.listen({ port: 0, host: '127.0.0.1' });
    urlB = await b.app.listen({ port: 0, host: '127.0.0.1' });
    [alice, agent] = await Promise.all([a.login('alice@example.com'), a.login('agent@example.com')]);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    if (!bClosed) await b?.close();
    await a?.close();
    await redis.quit();
  });

  it('delivers a message sent on instance A to a socket on instance B, and the reply back', async () => {
    const id = await newConversation();
    const customer = await connect(urlA, alice);
    const staff = await connect(urlB, agent);
    await customer.join(id);
    await staff.join(id);
    customer.send({ type: 'message.send', conversation_id: id, content: 'How long does shipping take?', client_id: 'x-1' });
    const seen = await staff.waitFor<Extract<ServerEvent, { type: 'message.created' }>>((e) => e.type === 'message.created');
    expect(seen.message).toMatchObject({ role: 'user', content: 'How long does shipping take?' });
    await staff.waitFor((e) => e.type === 'message.completed');
    expect(staff.conversationEvents(id).some((e) => e.type === 'token')).toBe(true);

    staff.send({ type: 'message.send', conversation_id: id, content: 'A person here: anything else?', client_id: 'y-1' });
    const reply = await customer.waitFor<Extract<ServerEvent, { type: 'message.created' }>>((e) => e.type === 'message.created' && e.message.role === 'staff');
    expect(reply.message.content).toBe('A person here: anything else?');
    // One numbering for the conversation whichever instance published.
    const ids = customer.conversationEvents(id).map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('resumes on another instance with last_event_id', async () => {
    const id = await newConversation();
    const observer = await connect(urlB, alice);
    await observer.join(id, 0);
    const first = await connect(urlA, alice);
    await first.join(id, 0);
    first.send({ type: 'message.send', conversation_id: id, content: 'What plan am I on?', client_id: 'z-1' });
    const token = await first.waitFor<NumberedEvent>((e) => e.type === 'token');
    await first.close();
    const seen = first.conversationEvents(id).filter((e) => e.id <= token.id);
    const second = await connect(urlB, alice);
    await second.join(id, token.id);
    await second.waitFor((e) => e.type === 'typing' && e.who === 'assistant' && !e.on);
    await observer.waitFor((e) => e.type === 'typing' && e.who === 'assistant' && !e.on);
    expect(seen).toEqual(observer.conversationEvents(id).filter((e) => e.id <= token.id));
    expectResumed(second.conversationEvents(id), observer.conversationEvents(id), token.id);
  });

  it("counts a user's connections across instances", async () => {
    await connect(urlA, agent);
    await connect(urlB, agent);
    await connect(urlA, agent);
    const extra = await WsClient.open(urlB);
    clients.push(extra);
    extra.send({ type: 'auth', token: agent });
    expect(await extra.waitFor((e) => e.type === 'error')).toMatchObject({ code: 'too_many_connections' });
  });

  // Issue 13 item 8: a sign-out closes the session's sockets on every API process, not only its own.
  it("a sign-out or a refresh-token reuse on instance A closes the session's socket on instance B with 4401", async () => {
    const signIn = async () =>
      (await a.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bob@example.com', password: 'switchboard-demo' } })).json() as {
        access_token: string;
        refresh_token: string;
      };
    const closedWithin = (c: WsClient, ms: number) => Promise.race([c.closed, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);
    const out = await signIn();
    const onB = await connect(urlB, out.access_token);
    const bystander = await connect(urlB, agent);
    expect((await a.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${out.access_token}` } })).statusCode).toBe(204);
    expect(await closedWithin(onB, 10_000)).toMatchObject({ code: 4401 });
    expect(onB.events.at(-1)).toMatchObject({ type: 'error', code: 'session_revoked' });

    const stolen = await signIn();
    const refresh = (token: string) => a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: token } });
    const owner = (await refresh(stolen.refresh_token)).json() as { access_token: string };
    const ownerOnB = await connect(urlB, owner.access_token);
    const config = a.deps.config as { REFRESH_REUSE_GRACE_SECONDS: number };
    config.REFRESH_REUSE_GRACE_SECONDS = 0;
    try {
      expect((await refresh(stolen.refresh_token)).json().error.code).toBe('refresh_token_reused');
    } finally {
      config.REFRESH_REUSE_GRACE_SECONDS = 10;
    }
    expect(await closedWithin(ownerOnB, 10_000)).toMatchObject({ code: 4401 });
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
  });

  // Last: it shuts instance B down.
  it('on shutdown closes sockets with 1001 "reconnect" and stops its subscribers; the client resumes on A', async () => {
    const id = await newConversation();
    const channel = `${a.deps.config.REDIS_KEY_PREFIX}rt:c:${id}`;
    const onA = await connect(urlA, alice);
    const onB = await connect(urlB, alice);
    await onA.join(id, 0);
    const joined = await onB.join(id, 0);
    expect(joined.type).toBe('joined');
    expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 2]);

    bClosed = true;
    await b.close();
    const closed = await onB.closed;
    expect(closed.code).toBe(1001);
    expect(closed.reason).toMatch(/reconnect/);
    expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 1]);

    onA.send({ type: 'message.send', conversation_id: id, content: 'Still there?', client_id: 'after-shutdown' });
    await onA.waitFor((e) => e.type === 'message.completed');
    const back = await connect(urlA, alice);
    await back.join(id, 0);
    await back.waitFor((e) => e.type === 'message.completed');
    expectResumed(back.conversationEvents(id), onA.conversationEvents(id), 0);
  });
});
