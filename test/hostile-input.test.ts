// Hostile input an independent probe found answering 500 (issue 13, items 1, 2, 3, 11): NUL characters
// and lone surrogates in any text field, cursors and dates that decode but hold nonsense, messages of
// only zero-width characters. Each must be a 400 in the error envelope naming what is wrong, on both
// drivers, and nothing may be stored.
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import { DRIVERS } from './db.js';
import { WsClient } from './ws-client.js';
import { messages, users } from '../src/db/schema.js';

const NUL = 'hi\u0000there';
const LONE_HIGH = 'hi \ud83d there';
const LONE_LOW = '\udc00 alone';

function expect400(res: { statusCode: number; body: string }, code: string, field?: string) {
  expect(res.statusCode, res.body).toBe(400);
  const json = JSON.parse(res.body);
  expect(json.error.code).toBe(code);
  expect(json.correlation_id).toEqual(expect.any(String));
  if (field) {
    expect(json.error.details.issues?.[0]?.field ?? json.error.details.field).toBe(field);
    expect(json.error.message).toContain(field);
  }
  return json;
}

describe.each(DRIVERS)('hostile input (%s)', (driver) => {
  let t: TestApp;
  let alice: string;
  let agent: string;
  let admin: string;
  let conversationId: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp(driver);
    [alice, agent, admin] = await Promise.all([t.login('alice@example.com'), t.login('agent@example.com'), t.login('admin@example.com')]);
    conversationId = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: bearer(alice) })).json().id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const storedMessages = async () => Number((await t.deps.db.select({ n: count() }).from(messages))[0]!.n);

  interface Case {
    name: string;
    method: 'GET' | 'POST';
    url: string | (() => string);
    token?: () => string;
    payload?: Record<string, unknown>;
    field: string;
  }
  // Every text field the probe found, each with the field the 400 must name.
  const cases = (bad: string): Case[] => [
    { name: 'anonymous chat message', method: 'POST', url: '/api/v1/chat', payload: { message: bad }, field: 'message' },
    { name: 'login email', method: 'POST', url: '/api/v1/auth/login', payload: { email: `a${bad}@example.com`, password: 'whatever1' }, field: 'email' },
    { name: 'login password', method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alice@example.com', password: `pw${bad}xxxxxx` }, field: 'password' },
    { name: 'register name', method: 'POST', url: '/api/v1/auth/register', payload: { email: 'nul-register@example.org', password: 'a long password', name: bad }, field: 'name' },
    { name: 'conversation subject', method: 'POST', url: '/api/v1/conversations', payload: { subject: bad }, field: 'subject' },
    { name: 'message content', method: 'POST', url: () => `/api/v1/conversations/${conversationId}/messages`, token: () => alice, payload: { content: bad }, field: 'content' },
    { name: 'feedback comment', method: 'POST', url: () => `/api/v1/conversations/${conversationId}/feedback`, token: () => alice, payload: { rating: 4, comment: bad }, field: 'comment' },
    { name: 'staff message', method: 'POST', url: () => `/api/v1/conversations/${conversationId}/staff-messages`, token: () => agent, payload: { content: bad }, field: 'content' },
    { name: 'ticket summary', method: 'POST', url: '/api/v1/tickets', token: () => agent, payload: { subject: 'Broken', summary: bad }, field: 'summary' },
    { name: 'knowledge content', method: 'POST', url: '/api/v1/knowledge', token: () => admin, payload: { title: 'Hostile', category: 'tests', content: `long enough ${bad}` }, field: 'content' },
    // A URL carries bytes: a lone surrogate cannot be percent-encoded, a NUL can.
    ...(bad.includes('\u0000') ? [{ name: 'list query', method: 'GET' as const, url: `/api/v1/knowledge?category=${encodeURIComponent(bad)}`, token: () => admin, field: 'category' }] : []),
    { name: 'an object key', method: 'POST', url: '/api/v1/chat', payload: { message: 'ok', [`k${bad}`]: 1 }, field: `k${bad}` },
  ];

  for (const [label, bad] of [
    ['a NUL character', NUL],
    ['a lone high surrogate', LONE_HIGH],
    ['a lone low surrogate', LONE_LOW],
  ] as const) {
    it(`${label} in any text field is a 400 naming the field, and nothing is stored`, async () => {
      const before = await storedMessages();
      const usersBefore = Number((await t.deps.db.select({ n: count() }).from(users))[0]!.n);
      for (const c of cases(bad)) {
        const url = typeof c.url === 'function' ? c.url() : c.url;
        const headers = c.token ? bearer(c.token()) : {};
        const res = await t.app.inject({ method: c.method, url, headers, ...(c.payload ? { payload: c.payload } : {}) });
        expect(res.statusCode, `${c.name}: ${res.body}`).toBe(400);
        const json = res.json();
        expect(json.error.code, c.name).toBe('validation_failed');
        expect(json.error.details.issues[0].field, c.name).toBe(c.field);
      }
      expect(await storedMessages()).toBe(before);
      expect(Number((await t.deps.db.select({ n: count() }).from(users))[0]!.n)).toBe(usersBefore);
    });
  }

  it('a well-formed astral character (an emoji) is stored exactly as sent', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'hello \ud83d\ude00 there' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user_message.content).toBe('hello \ud83d\ude00 there');
  });

  // Found by the OpenAPI fuzzer (test/fuzz): a body of 5,000 nested arrays overflowed the text guard's stack → 500.
  it('a JSON body nested thousands of levels deep is a 400 saying so, on any route', async () => {
    const deep = ['['.repeat(5000) + ']'.repeat(5000), `{"message":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`];
    for (const payload of deep) {
      for (const url of ['/api/v1/chat', '/api/v1/auth/refresh', '/api/v1/auth/login']) {
        const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
        expect(expect400(res, 'validation_failed').error.message, url).toContain('must not nest deeper than 32 levels');
      }
    }
  });

  it('a message of only zero-width or invisible characters is empty: 400, no turn runs', async () => {
    const before = await storedMessages();
    for (const blank of ['\u200b', '\u200b\u200c\u200d\ufeff', ' \u2060 \u00ad ', '\u180e\u200e']) {
      expect400(await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: blank } }), 'validation_failed', 'message');
      expect400(await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: bearer(alice), payload: { content: blank } }), 'validation_failed', 'content');
    }
    expect(await storedMessages()).toBe(before);
  });

  it('over the WebSocket, a NUL or a lone surrogate is an invalid_event and nothing is stored', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const c = await WsClient.connect(base, alice);
    try {
      const before = await storedMessages();
      for (const bad of [NUL, LONE_HIGH]) {
        const from = c.events.length;
        c.send({ type: 'message.send', conversation_id: conversationId, content: bad, client_id: `ws-${from}` });
        const err = await c.waitFor((e) => e.type === 'error', { from });
        expect(err).toMatchObject({ type: 'error', code: 'invalid_event' });
        expect((err as { message: string }).message).toContain('content');
      }
      expect(await storedMessages()).toBe(before);
    } finally {
      await c.close();
    }
  });

  describe('cursors that decode but do not hold a position', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const bad = [
      b64(`2024-01-01T00:00:00.000Z|${'-'.repeat(36)}`),
      b64('0000-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      b64('+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      b64('2024-02-31T00:00:00.000Z|00000000-0000-4000-8000-000000000000'),
      b64('2024-01-01|00000000-0000-4000-8000-000000000000'),
      b64('garbage'),
      'not base64 !',
    ];
    const lists = [
      { url: () => '/api/v1/conversations', token: () => alice },
      { url: () => `/api/v1/conversations/${conversationId}/messages`, token: () => alice },
      { url: () => '/api/v1/tickets', token: () => agent },
      { url: () => '/api/v1/knowledge', token: () => admin },
    ];
    it('every list answers 400 invalid_cursor', async () => {
      for (const l of lists) {
        for (const cursor of bad) {
          const res = await t.app.inject({ method: 'GET', url: `${l.url()}?cursor=${encodeURIComponent(cursor)}`, headers: bearer(l.token()) });
          expect(res.statusCode, `${l.url()} ${cursor}: ${res.body}`).toBe(400);
          expect(res.json().error.code).toBe('invalid_cursor');
        }
      }
    });

    it('a cursor the service issued still pages', async () => {
      const first = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=1', headers: bearer(agent) });
      const next = first.json().next_cursor as string;
      expect(next).toEqual(expect.any(String));
      const second = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?limit=1&cursor=${next}`, headers: bearer(agent) });
      expect(second.statusCode).toBe(200);
      expect(second.json().items[0].id).not.toBe(first.json().items[0].id);
    });
  });

  it('report dates outside the calendar or 1970-9999 are a 400 naming the field', async () => {
    for (const url of ['/api/v1/usage', '/api/v1/analytics']) {
      for (const q of ['to=0000-01-01', 'from=0000-01-01&to=0000-01-02', 'to=1969-12-31', 'from=2024-02-30', 'to=2024-13-01']) {
        const res = await t.app.inject({ method: 'GET', url: `${url}?${q}`, headers: bearer(admin) });
        expect(res.statusCode, `${url}?${q}: ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
        expect(['from', 'to']).toContain(res.json().error.details.issues[0].field);
      }
      expect((await t.app.inject({ method: 'GET', url: `${url}?from=2024-01-01&to=2024-01-31`, headers: bearer(admin) })).statusCode).toBe(200);
    }
  });
});
