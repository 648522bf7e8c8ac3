import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

function expectEnvelope(body: string, code: string) {
  const json = JSON.parse(body);
  expect(json.error.code).toBe(code);
  expect(json.error.message).toEqual(expect.any(String));
  expect(json.correlation_id).toEqual(expect.any(String));
  expect(body).not.toMatch(/\bat .*\.(ts|js):\d+|stack|SELECT |INSERT |relation "/);
  return json;
}

describe.each(DRIVERS)('error envelope (%s)', (driver) => {
  let t: TestApp;
  let conversationUrl: string;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp(driver);
    const conv = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations' })).json();
    conversationUrl = `/api/v1/conversations/${conv.id}/messages`;
    token = conv.conversation_token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('malformed JSON is a 400 malformed_json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: { 'content-type': 'application/json' }, payload: '{"message": "hi"' });
    expect(res.statusCode).toBe(400);
    expectEnvelope(res.body, 'malformed_json');
  });

  it('a schema violation is a 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 42 } });
    expect(res.statusCode).toBe(400);
    const json = expectEnvelope(res.body, 'validation_failed');
    expect(json.error.details.issues[0].field).toBe('message');
    expect(json.error.message).toContain('message');
  });

  it('a missing required field is named', async () => {
    const res = await t.app.inject({ method: 'POST', url: conversationUrl, headers: { authorization: `Bearer ${token}` }, payload: {} });
    expect(res.statusCode).toBe(400);
    expect(expectEnvelope(res.body, 'validation_failed').error.details.issues[0].field).toBe('content');
  });

  it('an unknown conversation is a 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/conversations/00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(404);
    expectEnvelope(res.body, 'conversation_not_found');
  });

  it('a malformed id is a 400 naming the parameter', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/conversations/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(expectEnvelope(res.body, 'validation_failed').error.details.issues[0].field).toBe('id');
  });

  it('a message over 8,000 characters is a 413 and nothing is stored', async () => {
    const res = await t.app.inject({ method: 'POST', url: conversationUrl, headers: { authorization: `Bearer ${token}` }, payload: { content: 'x'.repeat(8001) } });
    expect(res.statusCode).toBe(413);
    expectEnvelope(res.body, 'message_too_long');
    const ok = await t.app.inject({ method: 'POST', url: conversationUrl, headers: { authorization: `Bearer ${token}` }, payload: { content: 'x'.repeat(8000) } });
    expect(ok.statusCode).toBe(201);
  });

  it('a body over the limit is a 413 before any work', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'y'.repeat(200_000) } });
    expect(res.statusCode).toBe(413);
    expectEnvelope(res.body, 'payload_too_large');
  });

  it('an unknown route is a 404 in the envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expectEnvelope(res.body, 'route_not_found');
  });

  it('a bad bearer token is a 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer not.a.jwt' } });
    expect(res.statusCode).toBe(401);
    expectEnvelope(res.body, 'invalid_token');
  });

  it('wrong credentials are a 401 with the same message whether or not the email exists', async () => {
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'alice@example.com', password: 'wrong' } });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.com', password: 'wrong' } });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(expectEnvelope(a.body, 'invalid_credentials').error.message).toBe(expectEnvelope(b.body, 'invalid_credentials').error.message);
  });

  it('echoes a valid X-Request-Id as the correlation id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'x-request-id': 'req-12345678' } });
    expect(res.headers['x-request-id']).toBe('req-12345678');
    expect(res.json().correlation_id).toBe('req-12345678');
  });
});

describe('a database failure', () => {
  it('is a 500 without SQL or a stack trace, and readiness reports the database', async () => {
    const t = await createTestApp('pglite');
    const conv = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations' })).json();
    await t.deps.database.close();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${conv.id}` });
    expect(res.statusCode).toBe(500);
    expectEnvelope(res.body, 'internal_error');
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database).toMatch(/unavailable/);
    await t.app.close();
  });
});
