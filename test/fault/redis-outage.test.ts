// Redis down (issue 13, items 7, 8, 12): Redis is a cache and a bus, so with it gone the service keeps
// answering: /ready says so within a load balancer's probe, /metrics does not wait for it, chat turns (anonymous and
// signed in) still get their answer, a revoked session stays revoked (PostgreSQL holds the record, also
// across a Redis restart without persistence), and what truly needs Redis (queueing a job) is a prompt
// 503 with Retry-After in the envelope. Runs against a redis-server of its own, never the shared one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_PROBE_MS } from '../../src/http/routes/health.js';
import { createTestApp, type TestApp } from '../app.js';
import { ThrowawayRedis } from './services.js';

/** The parts of the response bodies these checks read. */
interface Reply {
  status: string;
  checks: Record<string, string>;
  assistant_message: { content: string };
  error: { code: string };
  correlation_id: string;
}

/** GET/POST on the listening app with a client-side deadline, as a load balancer's probe has. */
async function call(base: string, path: string, init: RequestInit & { deadlineMs?: number } = {}): Promise<Response> {
  return fetch(base + path, { ...init, signal: AbortSignal.timeout(init.deadlineMs ?? 5000) });
}

describe('with Redis down', () => {
  let redis: ThrowawayRedis;
  let t: TestApp;
  let base: string;
  let alice: string;
  let admin: string;
  let revoked: string;
  let signsOutDuring: string;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    t = await createTestApp('postgres', { REDIS_URL: redis.url });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    [alice, admin, revoked, signsOutDuring] = await Promise.all([t.login('alice@example.com'), t.login('admin@example.com'), t.login('bob@example.com'), t.login('bob@example.com')]);
    expect((await call(base, '/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${revoked}` } })).status).toBe(204);
    expect((await call(base, '/ready')).status).toBe(200);
    await redis.stop();
  });
  afterAll(async () => {
    await redis?.restart().catch(() => {});
    await t?.close();
    await redis?.destroy();
  });

  // The probes' own deadline (READY_PROBE_MS, 800 ms) is what answers /ready while a dependency is
  // silent, so a client deadline of 1 s left 200 ms for a loaded machine; the load balancer's probe is
  // 2 s, and what the answer says shows that the wait was the probe's (a hang never answers at all).
  it("/ready answers 503 within a load balancer's 2 s probe, naming redis; the silent queue connection is cut at READY_PROBE_MS", async () => {
    const res = await call(base, '/ready', { deadlineMs: 2000 });
    expect(res.status).toBe(503);
    const body = (await res.json()) as Reply;
    expect(body.status).toBe('not_ready');
    expect(body.checks.redis).toMatch(/^unavailable/);
    expect(body.checks.database).toBe('ok');
    // BullMQ's connection waits for Redis forever: only the probe's deadline ends that wait.
    expect(body.checks.queues).toBe(`unavailable: queues did not answer within ${READY_PROBE_MS} ms`);
  });

  it('/metrics answers within 2 s (it does not wait for Redis) and reports redis down', async () => {
    const res = await call(base, '/metrics', { deadlineMs: 2000 });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/dependency_up\{dependency="redis"\} 0/);
  });

  it('an anonymous chat turn still gets its answer', async () => {
    const res = await call(base, '/api/v1/chat', { method: 'POST', headers: json, body: JSON.stringify({ message: 'How long does shipping take?' }), deadlineMs: 10_000 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    expect(body.assistant_message.content.length).toBeGreaterThan(0);
  });

  it('a signed-in customer is served: /me and a chat turn', async () => {
    const headers = { ...json, authorization: `Bearer ${alice}` };
    expect((await call(base, '/api/v1/me', { headers })).status).toBe(200);
    const res = await call(base, '/api/v1/chat', { method: 'POST', headers, body: JSON.stringify({ message: 'What plan am I on?' }), deadlineMs: 10_000 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Reply).assistant_message).not.toBeNull();
  });

  it('a signed-out session stays refused (the revocation lives in PostgreSQL)', async () => {
    const res = await call(base, '/api/v1/me', { headers: { authorization: `Bearer ${revoked}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Reply).error.code).toBe('session_revoked');
  });

  it('a sign-out during the outage answers 204 at once and the session is refused from then on', async () => {
    const started = Date.now();
    const out = await call(base, '/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${signsOutDuring}` }, deadlineMs: 2000 });
    expect(out.status).toBe(204);
    expect(Date.now() - started).toBeLessThan(1000);
    const res = await call(base, '/api/v1/me', { headers: { authorization: `Bearer ${signsOutDuring}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Reply).error.code).toBe('session_revoked');
  });

  it('what needs Redis (queueing a job) is a 503 with Retry-After in the envelope', async () => {
    const res = await call(base, '/api/v1/knowledge/reembed', { method: 'POST', headers: { authorization: `Bearer ${admin}` }, deadlineMs: 5000 });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as Reply;
    expect(body.error.code).toBe('dependency_unavailable');
    expect(body.correlation_id).toEqual(expect.any(String));
  });

  it('after Redis comes back empty (no persistence), the signed-out session is still refused and /ready recovers', async () => {
    await redis.restart();
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      ready = (await call(base, '/ready')).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    const res = await call(base, '/api/v1/me', { headers: { authorization: `Bearer ${revoked}` } });
    expect(res.status).toBe(401);
    expect((await call(base, '/api/v1/me', { headers: { authorization: `Bearer ${alice}` } })).status).toBe(200);
  });
});
