import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createMetrics } from '../../observability/metrics.js';
import { buildMetricsServer, METRICS_TOKEN_HEADER, publicMetricsEnabled } from './metrics.js';

const TOKEN = 'metrics-token-0123456789';

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers Prometheus text only with the metrics token', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('metrics_unauthorized');
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { [METRICS_TOKEN_HEADER]: `${TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({ method: 'GET', url: '/metrics', headers: { [METRICS_TOKEN_HEADER]: TOKEN } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.body).toMatch(/^# TYPE http_requests_total counter$/m);
    // The rejected scrapes were counted under the route template.
    expect(ok.body).toMatch(/^http_requests_total\{method="GET",endpoint="\/metrics",status="401"\} 2$/m);
  });

  it('is not public in production without a token, nor when an internal port serves it', () => {
    expect(publicMetricsEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(publicMetricsEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(publicMetricsEnabled({ NODE_ENV: 'production', METRICS_TOKEN: TOKEN })).toBe(true);
    expect(publicMetricsEnabled({ NODE_ENV: 'development', METRICS_PORT: 9464 })).toBe(false);
  });

  it('is served alone by the internal metrics server', async () => {
    const server = buildMetricsServer(createMetrics({ defaultMetrics: false }));
    const res = await server.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('# TYPE agent_requests_total counter');
    expect((await server.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(404);
    await server.close();
  });
});
