// What a client sees during an outage (issue 13 item 12): with PostgreSQL down, every request of a
// cross-section of the API (reads, chat turns as JSON and SSE, sign-in, register, refresh, staff lists,
// knowledge search, feedback) fails as a 503 `dependency_unavailable` with Retry-After in the envelope
// with its correlation id, never a 500; so does /ready (with Retry-After too), and a message sent over
// the WebSocket gets an `error` event `dependency_unavailable` with `retry_after_seconds` (it was
// `internal_error`). After the restart every one of them succeeds again within 2 s. With Redis down
// nothing fails at all. Runs on a PostgreSQL cluster and a redis-server of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../src/contract/events.js';
import { createTestApp, type TestApp } from '../app.js';
import { WsClient } from '../ws-client.js';
import { ThrowawayPostgres, ThrowawayRedis } from './services.js';

interface Probe {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  token?: 'alice' | 'agent';
  body?: () => unknown;
  accept?: string;
}

interface Answer {
  probe: string;
  status: number;
  retryAfter: string | null;
  code?: string;
  correlationId?: string;
}

describe('errors during an outage', () => {
  let pgServer: ThrowawayPostgres;
  let redis: ThrowawayRedis;
  let t: TestApp;
  let base: string;
  const tokens: Record<string, string> = {};
  let conversationId: string;
  let ws: WsClient;
  let probes: Probe[];
  let n = 0;

  beforeAll(async () => {
    pgServer = await ThrowawayPostgres.start();
    redis = await ThrowawayRedis.start();
    t = await createTestApp(
      'postgres',
      { REDIS_URL: redis.url, NODE_ENV: 'production', JWT_SECRET: 'outage-errors-test-secret-of-32-chars+', CHAT_DEBOUNCE_MS: '0' },
      { databaseServerUrl: pgServer.url() },
    );
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    tokens.alice = await t.login('alice@example.com');
    tokens.agent = await t.login('agent@example.com');
    conversationId = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${tokens.alice}` } })).json().id;
    ws = await WsClient.connect(base, tokens.alice);
    await ws.join(conversationId, 0);
    const unique = () => `${Date.now()}-${n++}`;
    probes = [
      { name: 'me', method: 'GET', path: '/api/v1/me', token: 'alice' },
      { name: 'conversation', method: 'GET', path: `/api/v1/conversations/${conversationId}`, token: 'alice' },
      { name: 'messages', method: 'GET', path: `/api/v1/conversations/${conversationId}/messages`, token: 'alice' },
      { name: 'conversations', method: 'GET', path: '/api/v1/conversations', token: 'alice' },
      { name: 'turn', method: 'POST', path: `/api/v1/conversations/${conversationId}/messages`, token: 'alice', body: () => ({ content: `How long does shipping take? (${unique()})` }) },
      {
        name: 'sse turn',
        method: 'POST',
        path: `/api/v1/conversations/${conversationId}/messages`,
        token: 'alice',
        accept: 'text/event-stream',
        body: () => ({ content: `Which plans do you offer? (${unique()})` }),
      },
      { name: 'chat', method: 'POST', path: '/api/v1/chat', body: () => ({ message: 'What is your return policy?' }) },
      { name: 'new conversation', method: 'POST', path: '/api/v1/conversations', body: () => ({}) },
      { name: 'login', method: 'POST', path: '/api/v1/auth/login', body: () => ({ email: 'alice@example.com', password: 'switchboard-demo' }) },
      { name: 'register', method: 'POST', path: '/api/v1/auth/register', body: () => ({ email: `outage-${unique()}@example.org`, password: 'a long password', name: 'Outage' }) },
      { name: 'tickets', method: 'GET', path: '/api/v1/tickets', token: 'agent' },
      { name: 'knowledge search', method: 'GET', path: '/api/v1/knowledge/search?q=shipping', token: 'agent' },
      { name: 'analytics', method: 'GET', path: '/api/v1/analytics', token: 'agent' },
      { name: 'feedback', method: 'POST', path: `/api/v1/conversations/${conversationId}/feedback`, token: 'alice', body: () => ({ rating: 5 }) },
    ];
  }, 120_000);
  afterAll(async () => {
    await ws?.close();
    await t?.close().catch(() => {});
    pgServer?.destroy();
    await redis?.destroy();
  });

  async function call(p: Probe): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(p.token ? { authorization: `Bearer ${tokens[p.token]}` } : {}), ...(p.accept ? { accept: p.accept } : {}) };
    const res = await fetch(base + p.path, { method: p.method, headers, body: p.body ? JSON.stringify(p.body()) : undefined, signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    const answer: Answer = { probe: p.name, status: res.status, retryAfter: res.headers.get('retry-after') };
    if (res.status >= 400) {
      const body = JSON.parse(text) as { error?: { code?: string }; correlation_id?: string };
      answer.code = body.error?.code;
      answer.correlationId = body.correlation_id;
    }
    return answer;
  }

  const all = () => Promise.all(probes.map(call));

  /** Sends a message over the socket and returns the error event it got, or the ack. */
  async function sendOverSocket(): Promise<ServerEvent> {
    const from = ws.events.length;
    ws.send({ type: 'message.send', conversation_id: conversationId, content: 'Do you support single sign-on?', client_id: `ws-${n++}` });
    return ws.waitFor((e) => e.type === 'ack' || (e.type === 'error' && e.ref === 'message.send'), { from });
  }

  it('with everything up, every probe succeeds', async () => {
    for (const a of await all()) expect(a.status, JSON.stringify(a)).toBeLessThan(300);
  });

  it('with PostgreSQL down, every request is a 503 dependency_unavailable with Retry-After in the envelope; the WebSocket says the same; then all succeed within 2 s of the restart', async () => {
    pgServer.stop();
    try {
      for (const a of await all()) {
        expect(a, JSON.stringify(a)).toMatchObject({ status: 503, code: 'dependency_unavailable', correlationId: expect.any(String) });
        expect(Number(a.retryAfter), JSON.stringify(a)).toBeGreaterThan(0);
      }
      const ready = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(2000) });
      expect(ready.status).toBe(503);
      expect(Number(ready.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await sendOverSocket()).toMatchObject({ type: 'error', code: 'dependency_unavailable', retry_after_seconds: expect.any(Number) });
    } finally {
      await pgServer.restart();
    }
    // Recovered when a round of probes sent then all succeed: counted from when the round was sent,
    // not when its last answer came, so a loaded machine's slow round is not taken for a slow recovery.
    const up = Date.now();
    let failing: Answer[] = [];
    let sent = up;
    for (;;) {
      sent = Date.now();
      failing = (await all()).filter((a) => a.status >= 500);
      if (failing.length === 0 || Date.now() - up > 10_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const recoveredMs = sent - up;
    console.log(`PostgreSQL: every probe answered again ${recoveredMs} ms after the restart (when the first round that all succeeded was sent)`);
    expect(failing).toEqual([]);
    expect(recoveredMs).toBeLessThanOrEqual(2000);
    expect(await sendOverSocket()).toMatchObject({ type: 'ack' });
  });

  it('with Redis down, nothing fails', async () => {
    await redis.stop();
    try {
      for (const a of await all()) expect(a.status, JSON.stringify(a)).toBeLessThan(300);
      expect(await sendOverSocket()).toMatchObject({ type: 'ack' });
    } finally {
      await redis.restart();
    }
  });
});
