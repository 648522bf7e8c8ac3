import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import errorsPlugin from '../plugins/errors.js';
import securityPlugin from '../plugins/security.js';
import webRoutes, { embedFrameAncestors, withFrameAncestors } from './web.js';

// The pages and headers of the web app, against a small stand-in build (the real build and the
// browser are exercised in web/e2e/web.browser.test.ts).

let dist: string;

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'sb-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>chat</title>');
  writeFileSync(join(dist, 'console.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'widget.js'), '(function(){})();');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, 'assets', 'chat-abc123.js'), 'export {};');
});

afterAll(() => rmSync(dist, { recursive: true, force: true }));

async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
  const config = loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: dist, ...env });
  const app = Fastify({ logger: false });
  await app.register(errorsPlugin);
  await app.register(securityPlugin, { config });
  await app.register(webRoutes, { config });
  await app.ready();
  return app;
}

describe('web app routes', () => {
  it('serves the chat at / under a same-origin CSP that forbids framing by other sites', async () => {
    const app = await appWith({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<title>chat</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    await app.close();
  });

  it('serves the staff console at /console and its deep links', async () => {
    const app = await appWith({});
    for (const url of ['/console', '/console/tickets?x=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>console</title>');
    }
    await app.close();
  });

  it('lets exactly the WIDGET_ALLOWED_ORIGINS frame /embed, keeping the rest of the CSP', async () => {
    const app = await appWith({ WIDGET_ALLOWED_ORIGINS: 'https://shop.example.com, https://www.example.org/' });
    const res = await app.inject({ url: '/embed?title=Help' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>chat</title>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/shop\.example\.com https:\/\/www\.example\.org$/);
    expect(csp.match(/frame-ancestors/g)).toHaveLength(1);
    expect(csp).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBeUndefined();
    await app.close();
  });

  it('keeps /embed to its own site in production unless origins are listed, and open to all in development', async () => {
    const prod = await appWith({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) });
    expect(String((await prod.inject({ url: '/embed' })).headers['content-security-policy'])).toMatch(/frame-ancestors 'self'$/);
    await prod.close();
    const dev = await appWith({ NODE_ENV: 'development' });
    expect(String((await dev.inject({ url: '/embed' })).headers['content-security-policy'])).toMatch(/frame-ancestors \*$/);
    await dev.close();
  });

  it('serves /widget.js as a script other sites may load', async () => {
    const app = await appWith({});
    const res = await app.inject({ url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    await app.close();
  });

  it('caches hashed assets for good and answers a missing one with the error envelope', async () => {
    const app = await appWith({});
    const hit = await app.inject({ url: '/assets/chat-abc123.js' });
    expect(hit.statusCode).toBe(200);
    expect(hit.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const miss = await app.inject({ url: '/assets/nope.js' });
    expect(miss.statusCode).toBe(404);
    expect(miss.json()).toMatchObject({ error: { code: 'route_not_found' }, correlation_id: expect.any(String) });
    const traversal = await app.inject({ url: '/assets/..%2findex.html' });
    expect(traversal.statusCode).toBeGreaterThanOrEqual(400);
    expect(traversal.body).not.toContain('<title>chat</title>');
    await app.close();
  });

  it('says how to build the web app when it is not built, in the error envelope', async () => {
    const app = await appWith({ WEB_DIST_DIR: join(dist, 'missing') });
    for (const url of ['/', '/console', '/widget.js']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'web_not_built', message: expect.stringContaining('npm run build:web') } });
    }
    await app.close();
  });

  it('refuses a WIDGET_ALLOWED_ORIGINS entry that is not an origin', () => {
    expect(() => loadConfig({ WIDGET_ALLOWED_ORIGINS: 'shop.example.com' })).toThrow(/WIDGET_ALLOWED_ORIGINS/);
    expect(() => loadConfig({ WIDGET_ALLOWED_ORIGINS: 'https://shop.example.com/path' })).toThrow(/WIDGET_ALLOWED_ORIGINS/);
    expect(loadConfig({ WIDGET_ALLOWED_ORIGINS: '*' }).WIDGET_ALLOWED_ORIGINS).toEqual(['*']);
  });
});

describe('frame-ancestors', () => {
  it('lists self and the origins, or * when any site may frame', () => {
    expect(embedFrameAncestors(['https://a.example'], true)).toBe("'self' https://a.example");
    expect(embedFrameAncestors(['*'], true)).toBe('*');
    expect(embedFrameAncestors([], true)).toBe("'self'");
    expect(embedFrameAncestors([], false)).toBe('*');
  });

  it('replaces only the frame-ancestors directive of a policy', () => {
    expect(withFrameAncestors("default-src 'self';frame-ancestors 'self';img-src data:", '*')).toBe("default-src 'self';img-src data:;frame-ancestors *");
  });
});
