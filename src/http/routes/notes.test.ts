import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { WsClient } from '../../../test/ws-client.js';

describe.each(DRIVERS)('private notes on a conversation (%s)', (driver) => {
  let t: TestApp;
  let base: string;
  let alice: string;
  let agent: string;
  let admin: string;
  const clients: WsClient[] = [];
  const auth = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});
  const post = (url: string, token?: string, payload?: object) => t.app.inject({ method: 'POST', url, headers: auth(token), ...(payload ? { payload } : {}) });
  const get = (url: string, token?: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });

  beforeAll(async () => {
    t = await createTestApp(driver, { CHAT_DEBOUNCE_MS: '50' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    [alice, agent, admin] = await Promise.all([t.login('alice@example.com'), t.login('agent@example.com'), t.login('admin@example.com')]);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps notes for staff, oldest first with their authors, paged by cursor', async () => {
    const id = (await post('/api/v1/conversations', alice)).json().id;
    const first = await post(`/api/v1/conversations/${id}/notes`, agent, { body: 'Customer was double-charged in March; refund approved by finance.' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ conversation_id: id, author_name: 'Sam Agent', body: 'Customer was double-charged in March; refund approved by finance.' });
    await post(`/api/v1/conversations/${id}/notes`, admin, { body: 'Second note' });
    await post(`/api/v1/conversations/${id}/notes`, agent, { body: 'Third note' });
    const page1 = (await get(`/api/v1/conversations/${id}/notes?limit=2`, admin)).json();
    expect(page1.items.map((n: { body: string }) => n.body)).toEqual(['Customer was double-charged in March; refund approved by finance.', 'Second note']);
    expect(page1.items[1].author_name).toBe('Ada Admin');
    const page2 = (await get(`/api/v1/conversations/${id}/notes?limit=2&cursor=${page1.next_cursor}`, admin)).json();
    expect(page2).toMatchObject({ items: [{ body: 'Third note' }], next_cursor: null });
  });

  it('refuses notes to customers and anonymous callers, and 404s a conversation that does not exist', async () => {
    const id = (await post('/api/v1/conversations', alice)).json().id;
    expect((await post(`/api/v1/conversations/${id}/notes`, alice, { body: 'me too' })).statusCode).toBe(403);
    expect((await get(`/api/v1/conversations/${id}/notes`, alice)).statusCode).toBe(403);
    expect((await get(`/api/v1/conversations/${id}/notes`)).statusCode).toBe(401);
    const ghost = await post('/api/v1/conversations/00000000-0000-4000-8000-000000000000/notes', agent, { body: 'x' });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json().error.code).toBe('conversation_not_found');
    const empty = await post(`/api/v1/conversations/${id}/notes`, agent, { body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'validation_failed' }, correlation_id: expect.any(String) });
  });

  it("never shows a note to the customer: not in the customer's REST answers, WebSocket events or SSE stream", async () => {
    const secret = 'PRIVATE-NOTE-7f3a: customer seems upset, offer a goodwill credit';
    const created = (await post('/api/v1/conversations', alice)).json();
    const id = created.id as string;
    const customer = await WsClient.connect(base, alice);
    clients.push(customer);
    await customer.join(id);
    const visitor = (await post('/api/v1/conversations')).json();
    const visitorSocket = await WsClient.connect(base, visitor.conversation_token);
    clients.push(visitorSocket);
    await visitorSocket.join(visitor.id);

    expect((await post(`/api/v1/conversations/${id}/notes`, agent, { body: secret })).statusCode).toBe(201);
    expect((await post(`/api/v1/conversations/${visitor.id}/notes`, agent, { body: secret })).statusCode).toBe(201);
    // Something the customer does see, after the note: when it arrives, the note would have too.
    expect((await post(`/api/v1/conversations/${id}/staff-messages`, agent, { content: 'Hi Alice, I am on it.' })).statusCode).toBe(201);
    expect((await post(`/api/v1/conversations/${visitor.id}/staff-messages`, agent, { content: 'Hello there.' })).statusCode).toBe(201);
    await customer.waitFor((e) => e.type === 'message.created' && e.message.role === 'staff');
    await visitorSocket.waitFor((e) => e.type === 'message.created' && e.message.role === 'staff');

    const sse = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${visitor.id}/messages`,
      headers: { ...auth(visitor.conversation_token), accept: 'text/event-stream' },
      payload: { content: 'Any news?' },
    });
    expect(sse.statusCode).toBe(200);
    expect(sse.body).toContain('event: done');

    const seenByCustomer = [
      (await get(`/api/v1/conversations/${id}`, alice)).body,
      (await get(`/api/v1/conversations/${id}/messages?limit=100`, alice)).body,
      (await get('/api/v1/conversations?limit=100', alice)).body,
      (await get(`/api/v1/conversations/${visitor.id}`, visitor.conversation_token)).body,
      (await get(`/api/v1/conversations/${visitor.id}/messages`, visitor.conversation_token)).body,
      sse.body,
      JSON.stringify(customer.events),
      JSON.stringify(visitorSocket.events),
    ];
    for (const body of seenByCustomer) {
      expect(body).not.toContain('PRIVATE-NOTE-7f3a');
      expect(body).not.toContain('goodwill credit');
    }
    // The customer did receive the staff reply over both channels: the check above looked at live data.
    expect(JSON.stringify(customer.events)).toContain('Hi Alice, I am on it.');
    expect(seenByCustomer[0]).toContain('Hi Alice, I am on it.');
    // A rejoin replays what the socket retained: still no note.
    const again = await WsClient.connect(base, alice);
    clients.push(again);
    await again.join(id, 0);
    expect(JSON.stringify(again.events)).not.toContain('PRIVATE-NOTE-7f3a');
    // Staff still have it.
    expect((await get(`/api/v1/conversations/${id}/notes`, agent)).json().items[0].body).toBe(secret);
  });
});
