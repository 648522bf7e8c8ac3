import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { LEGACY_DEPRECATED_AT } from './versioning.js';

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

describe('API versioning and the OpenAPI document', () => {
  let t: TestApp;
  let alice: string;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    alice = await t.login('alice@example.com');
  });
  afterAll(async () => {
    await t?.close();
  });
  const auth = () => ({ authorization: `Bearer ${alice}` });

  it('answers the same routes under /api with Deprecation and Link headers', async () => {
    const current = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: auth() });
    const legacy = await t.app.inject({ method: 'GET', url: '/api/me', headers: auth() });
    expect(legacy.statusCode).toBe(200);
    expect(legacy.json()).toEqual(current.json());
    expect(legacy.headers.deprecation).toBe(`@${LEGACY_DEPRECATED_AT.getTime() / 1000}`);
    expect(legacy.headers.link).toContain('</api/v1/me>; rel="successor-version"');
    expect(current.headers.deprecation).toBeUndefined();
    expect(current.headers.link).toBeUndefined();

    const created = await t.app.inject({ method: 'POST', url: '/api/conversations?x=1', headers: auth(), payload: {} });
    expect(created.statusCode).toBe(201);
    expect(created.headers.link).toContain('</api/v1/conversations?x=1>');
    const missing = await t.app.inject({ method: 'GET', url: '/api/conversations/00000000-0000-4000-8000-000000000000', headers: auth() });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.deprecation).toBeDefined();
  });

  it('documents /api/v1 only, every operation with its parameters and response schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => p.startsWith('/api/') && !p.startsWith('/api/v1/'))).toEqual([]);
    expect(paths).toContain('/api/v1/tickets/{id}');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
        expect(success.length, where).toBeGreaterThan(0);
        for (const [status, r] of success) if (status !== '204') expect(Object.values(r.content ?? {})[0]?.schema, `${where} ${status}`).toBeDefined();
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          expect(
            op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name),
            `${where} ${name}`,
          ).toBe(true);
        }
        if (path.startsWith('/api/v1/')) expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['400', '401', '404', '429', '500']));
      }
    }
    const post = doc.paths['/api/v1/conversations/{id}/messages']!.post!;
    expect(post.requestBody).toBeDefined();
    expect(post.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key')).toBe(true);
    const ui = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('outside production, sends no HSTS and no CORS headers unless CORS_ORIGINS lists origins', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://shop.example.com' } });
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
