import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../../../test/app.js';

const LIMITS = { RATE_LIMIT_ANONYMOUS: '3', RATE_LIMIT_USER: '5', RATE_LIMIT_CHAT: '2' };
const unknownConversation = '/api/v1/conversations/00000000-0000-4000-8000-000000000000';

function expect429(res: Awaited<ReturnType<FastifyInstance['inject']>>, limit: number) {
  expect(res.statusCode).toBe(429);
  expect(res.json()).toMatchObject({ error: { code: 'rate_limited', details: { limit } }, correlation_id: res.headers['x-request-id'] });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.headers['ratelimit-limit']).toBe(String(limit));
  expect(res.headers['ratelimit-remaining']).toBe('0');
  expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
}

describe('rate limits (in-process store)', () => {
  let t: TestApp;
  let alice: string;
  beforeAll(async () => {
    t = await createTestApp('pglite', LIMITS);
    alice = await t.login('alice@example.com'); // login itself is anonymous traffic from 127.0.0.1
  });
  afterAll(async () => {
    await t?.close();
  });
  const from = (remoteAddress: string, opts: InjectOptions) => t.app.inject({ ...opts, remoteAddress });

  it('lets an anonymous client make 3 requests a window, then answers 429 in the envelope', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await from('10.0.0.1', { method: 'GET', url: unknownConversation });
      expect(res.statusCode).toBe(404);
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    expect429(await from('10.0.0.1', { method: 'GET', url: unknownConversation }), 3);
    // Another address has its own budget; infrastructure routes are never limited.
    expect((await from('10.0.0.2', { method: 'GET', url: unknownConversation })).statusCode).toBe(404);
    expect((await from('10.0.0.1', { method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('counts requests with a bad token as anonymous ones (429 before 401)', async () => {
    const bad = { authorization: 'Bearer not-a-token' };
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.3', { method: 'GET', url: '/api/v1/me', headers: bad })).statusCode).toBe(401);
    expect429(await from('10.0.0.3', { method: 'GET', url: '/api/v1/me', headers: bad }), 3);
  });

  it('gives a signed-in user their own, larger budget wherever they connect from', async () => {
    const headers = { authorization: `Bearer ${alice}` };
    for (let i = 0; i < 5; i++) expect((await from(`10.0.1.${i}`, { method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    expect429(await from('10.0.1.9', { method: 'GET', url: '/api/v1/me', headers }), 5);
  });

  it('limits chat turns on their own budget', async () => {
    const bob = await from('10.0.2.1', { method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bob@example.com', password: 'switchboard-demo' } });
    const headers = { authorization: `Bearer ${bob.json().access_token}` };
    const chat = () => from('10.0.2.1', { method: 'POST', url: '/api/v1/chat', headers, payload: { message: 'hello' } });
    expect((await chat()).statusCode).toBe(200);
    expect((await chat()).statusCode).toBe(200);
    expect429(await chat(), 2);
    // The general budget is not spent yet.
    expect((await from('10.0.2.1', { method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const spoof = (ip: string) => ({ method: 'GET' as const, url: unknownConversation, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 3; i++) await from('10.0.3.1', spoof(`192.0.2.${i}`));
    expect((await from('10.0.3.1', spoof('192.0.2.77'))).statusCode).toBe(429);
  });
});

describe('rate limits (Redis store)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Two API processes: separate apps, databases and Redis connections; one Redis and one key prefix.
    // The second sits behind a trusted proxy (TRUST_PROXY=1).
    const shared = { ...LIMITS, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `sbtest:${randomUUID()}:` };
    [a, b] = await Promise.all([createTestApp('postgres', shared), createTestApp('pglite', { ...shared, TRUST_PROXY: '1' })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('shares one budget between two app instances on one Redis', async () => {
    const get = (app: FastifyInstance) => app.inject({ method: 'GET', url: unknownConversation, remoteAddress: '10.1.0.1' });
    expect((await get(a.app)).headers['ratelimit-remaining']).toBe('2');
    expect((await get(b.app)).headers['ratelimit-remaining']).toBe('1');
    expect((await get(a.app)).statusCode).toBe(404);
    expect429(await get(b.app), 3);
    expect429(await get(a.app), 3);
    expect((await a.deps.redis!.keys(`${a.deps.config.REDIS_KEY_PREFIX}rl:*`)).length).toBeGreaterThan(0);
  });

  it('counts the client address from X-Forwarded-For behind a trusted proxy', async () => {
    const get = (client: string) => b.app.inject({ method: 'GET', url: unknownConversation, remoteAddress: '10.1.0.2', headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) expect((await get('198.51.100.1')).statusCode).toBe(404);
    expect((await get('198.51.100.1')).statusCode).toBe(429);
    expect((await get('198.51.100.2')).statusCode).toBe(404);
  });
});
