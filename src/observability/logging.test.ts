import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { customers } from '../db/schema.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../demo/demo-data.js';
import { loggerOptions } from './logger.js';

// The logs of a run of requests (sign-ins, chats, errors, tokens in headers and URLs) must carry no
// demo customer's email and none of the tokens the run issued, and one line per request.

describe('request logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  const issued = new Set<string>();
  let requests = 0;

  beforeAll(async () => {
    t = await createTestApp('pglite', { LOG_LEVEL: 'debug' }, { logger: loggerOptions('debug', { stream: { write: (l: string) => void lines.push(l) } }) });
    const inject = async (opts: InjectOptions) => {
      requests++;
      const res = await t.app.inject(opts);
      const body = res.headers['content-type']?.toString().includes('json') ? res.json() : {};
      for (const key of ['access_token', 'refresh_token', 'conversation_token'] as const) if (typeof body[key] === 'string') issued.add(body[key]);
      return res;
    };
    for (const u of DEMO_USERS) {
      const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
    }
    const alice = [...issued][0]!;
    const aliceLogin = (await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alice@example.com', password: DEMO_PASSWORD } })).json();
    await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bob@example.com', password: 'wrong password' } });
    await inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: aliceLogin.refresh_token } });
    await inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${aliceLogin.access_token}` } });
    await inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer not.a.jwt' } });
    const chat = await inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: { authorization: `Bearer ${aliceLogin.access_token}` },
      payload: { message: 'My email is alice@example.com and my card is 4111 1111 1111 1111, what was my last invoice?' },
    });
    expect(chat.statusCode).toBe(200);
    const anon = await inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'I want to speak to a person, write to bob@example.com' } });
    // Secrets where they do not belong: a token and an email in the URL.
    await inject({ method: 'GET', url: `/api/v1/conversations?token=${anon.json().conversation_token}&email=alice@example.com` });
    await inject({ method: 'GET', url: `/api/v1/conversations/${anon.json().conversation_id}`, headers: { authorization: `Bearer ${alice}` } });
    await inject({ method: 'GET', url: '/api/v1/nope/alice@example.com' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("contains no demo customer's email and none of the tokens issued", async () => {
    const emails = (await t.deps.db.select({ email: customers.email }).from(customers)).map((c) => c.email);
    expect(emails.length).toBeGreaterThan(40);
    expect(issued.size).toBeGreaterThan(8);
    const all = lines.join('');
    for (const email of [...emails, ...DEMO_USERS.map((u) => u.email)]) expect(all).not.toContain(email);
    for (const token of issued) expect(all).not.toContain(token);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT-shaped string at all
    expect(all).not.toContain('4111 1111 1111 1111');
    expect(all).toContain('[email]'); // the URL's email was masked, not dropped
  });

  it('writes one JSON line per request with correlation id, route, status, duration and user id', () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const completed = parsed.filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(requests);
    expect(parsed.filter((l) => l.msg === 'incoming request')).toHaveLength(0);
    for (const l of completed) {
      expect(l.correlation_id).toEqual(expect.any(String));
      expect(l.status).toEqual(expect.any(Number));
      expect(l.duration_ms).toEqual(expect.any(Number));
      expect('user_id' in l && 'route' in l).toBe(true);
    }
    const me = completed.find((l) => l.route === '/api/v1/me' && l.status === 200);
    expect(me?.user_id).toEqual(expect.any(String));
    const unmatched = completed.find((l) => l.status === 404 && l.route === null);
    expect(unmatched).toBeDefined();
  });
});
