// Answers that never reach a route (issue 13, items 4 and 5): Node's HTTP parser refusing a request,
// Fastify's router refusing a URL, a body that never completes, the 503 while draining. Every one must
// be the error envelope with a correlation id, over a real socket.
import http from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import { RawConnection, rawRequest, type RawResponse } from './raw-http.js';

function expectEnvelope(res: RawResponse, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  const json = JSON.parse(res.body);
  expect(json.error.code).toBe(code);
  expect(json.error.message).toEqual(expect.any(String));
  expect(json.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers['x-request-id']).toBe(json.correlation_id);
  return json;
}

describe('errors outside the routes are in the envelope', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp('pglite', { REQUEST_TIMEOUT_MS: '1500' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a URL with bad percent-encoding is a 400 bad_url', async () => {
    expectEnvelope(await rawRequest(base, 'GET /api/v1/conversations/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'bad_url');
  });

  it('an over-long path parameter is a 414 uri_too_long', async () => {
    expectEnvelope(await rawRequest(base, `GET /api/v1/conversations/${'a'.repeat(500)} HTTP/1.1\r\nHost: x\r\n\r\n`), 414, 'uri_too_long');
  });

  // Found by the OpenAPI fuzzer over HTTP: the router answered before reading the body, kept the
  // connection alive, and the body's bytes were parsed as the next request, which got no answer at all.
  it('after a bad URL or an over-long parameter with a body, the next request on that keep-alive client is answered', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, body?: string) =>
      new Promise<string>((resolve) => {
        const req = http.request(`${base}${path}`, { method: 'GET', agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
          res.resume();
          res.on('end', () => resolve(`${res.statusCode}`));
        });
        req.on('error', (e) => resolve(`no answer: ${e.message}`));
        req.end(body);
      });
    try {
      for (const bad of ['/api/v1/tickets/%', '/api/v1/conversations/%E0%A4%A/messages', `/api/v1/tickets/${'a'.repeat(150)}`]) {
        expect(['400', '414']).toContain(await send(bad, '{"content":"hello"}'));
        expect(await send('/health'), bad).toBe('200');
      }
    } finally {
      agent.destroy();
    }
  });

  it('headers over the size limit are a 431', async () => {
    expectEnvelope(await rawRequest(base, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431, 'headers_too_large');
  });

  it('a bad HTTP version is a 400', async () => {
    expectEnvelope(await rawRequest(base, 'GET /health HTTP/9.Z\r\nHost: x\r\n\r\n'), 400, 'bad_http_version');
  });

  it('two different Content-Length headers are a 400', async () => {
    const res = await rawRequest(base, 'POST /api/v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{"a":1}');
    expectEnvelope(res, 400, 'bad_framing');
  });

  it('Content-Length with chunked transfer encoding is a 400', async () => {
    const res = await rawRequest(base, 'POST /api/v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{"a":1}\r\n0\r\n\r\n');
    expectEnvelope(res, 400, 'bad_framing');
  });

  it('a body that never completes is answered 408 request_timeout and closed', async () => {
    const c = await RawConnection.open(base);
    c.write('POST /api/v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"message":');
    const res = await c.response(20_000);
    expectEnvelope(res, 408, 'request_timeout');
    await c.closed;
  });

  it('a request arriving while the server drains is a 503 shutting_down with Retry-After', async () => {
    // The connection has begun a request (headers half sent), so closing the server does not drop it.
    // The server must have read those bytes before it closes (else the connection is idle and closed),
    // and be draining before the request completes: wait for both instead of for a fixed time.
    const accepted = new Promise<Socket>((resolve) => t.app.server.once('connection', resolve));
    const c = await RawConnection.open(base);
    const serverSide = await accepted;
    const head = 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\n';
    c.write(head);
    await vi.waitFor(() => expect(serverSide.bytesRead).toBe(head.length), { timeout: 10_000 });
    const closing = t.app.close();
    await vi.waitFor(() => expect(t.app.server.listening).toBe(false), { timeout: 10_000 });
    c.write('Accept: application/json\r\n\r\n');
    const res = await c.response();
    expectEnvelope(res, 503, 'shutting_down');
    expect(res.headers['retry-after']).toBe('1');
    c.destroy();
    await closing;
  });
});
