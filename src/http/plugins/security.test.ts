import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { users } from '../../db/schema.js';
import { loggerOptions } from '../../observability/logger.js';
import { createTestApp, type TestApp } from '../../../test/app.js';

const SHOP = 'https://shop.example.com';

describe('security in production mode', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await createTestApp(
      'pglite',
      { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(48), CORS_ORIGINS: `${SHOP}, https://admin.example.com` },
      { logger: loggerOptions('info', { stream: { write: (l: string) => void lines.push(l) } }) },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends helmet headers with HSTS and no server or framework banner', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers.server).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Errors carry them too.
    const err = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(err.headers['strict-transport-security']).toBeDefined();
  });

  it('allows cross-origin calls from the listed origins only, without credentials', async () => {
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/chat',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
      });
    const ok = await preflight(SHOP);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(SHOP);
    expect(ok.headers['access-control-allow-headers']).toContain('idempotency-key');
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await preflight('https://evil.example.net')).headers['access-control-allow-origin']).toBeUndefined();
    const get = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: SHOP } });
    expect(get.headers['access-control-allow-origin']).toBe(SHOP);
    expect(get.headers['access-control-expose-headers']).toContain('x-request-id');
  });

  it('refuses an oversized body with 413 before doing any work', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'big@example.com', password: 'long enough', name: 'x'.repeat(100_000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    expect(await t.deps.db.select().from(users).where(eq(users.email, 'big@example.com'))).toHaveLength(0);
  });

  it("refuses CORS_ORIGINS='*' in production", () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(48) };
    expect(() => loadConfig({ ...env, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ ...env, CORS_ORIGINS: SHOP }).CORS_ORIGINS).toEqual([SHOP]);
    expect(loadConfig({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('echoes a valid X-Request-Id on every response, error envelopes and log lines included', async () => {
    const cases = [
      { method: 'GET' as const, url: '/health', status: 200 },
      { method: 'GET' as const, url: '/api/v1/me', status: 401 },
      { method: 'GET' as const, url: '/api/v1/conversations/00000000-0000-4000-8000-000000000000', status: 404 },
      { method: 'POST' as const, url: '/api/v1/chat', status: 400, payload: { message: 42 } },
    ];
    for (const [i, c] of cases.entries()) {
      const id = `corr-test-${i}-abcdef`;
      const before = lines.length;
      const res = await t.app.inject({ method: c.method, url: c.url, payload: c.payload, headers: { 'x-request-id': id } });
      expect(res.statusCode).toBe(c.status);
      expect(res.headers['x-request-id']).toBe(id);
      if (c.status >= 400) expect(res.json().correlation_id).toBe(id);
      const logged = lines.slice(before);
      expect(logged.length).toBeGreaterThan(0);
      for (const l of logged) expect(l).toContain(id);
    }
  });

  it('replaces a malformed X-Request-Id with a generated one', async () => {
    for (const bad of ['short', 'has spaces in the id', 'x'.repeat(200), 'semi;colon;header']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json().correlation_id).toBe(res.headers['x-request-id']);
    }
  });
});
