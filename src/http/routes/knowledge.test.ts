import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

const ARTICLE = {
  title: 'Lunar shipping',
  category: 'shipping',
  content: [
    'Switchboard ships to the Moon base through our partner LunaFreight.',
    '',
    '## Delivery time',
    'Lunar deliveries take 9 to 12 business days and leave every Tuesday from Cape Canaveral.',
  ].join('\n'),
};

async function exercise(t: TestApp) {
  const admin = await t.login('admin@example.com');
  const agent = await t.login('agent@example.com');
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  const created = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: auth(admin), payload: ARTICLE });
  expect(created.statusCode).toBe(201);
  const doc = created.json();
  expect(doc).toMatchObject({ slug: 'lunar-shipping', ingest_status: 'pending' });

  await t.deps.jobs.idle();
  const ready = (await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/${doc.id}`, headers: auth(agent) })).json();
  expect(ready.ingest_status).toBe('ready');
  expect(ready.chunks).toBe(2);
  expect(ready.ingested_at).toEqual(expect.any(String));

  // The new passages are searchable by the FAQ agent.
  const answer = (await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'How long does lunar delivery to the Moon take?' } })).json();
  expect(answer.assistant_message.citations.map((c: { slug: string }) => c.slug)).toContain('lunar-shipping');

  // A replacement re-ingests: the old passages are gone.
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/knowledge/${doc.id}`,
    headers: auth(admin),
    payload: { ...ARTICLE, content: 'Lunar deliveries are suspended until further notice because of a solar storm.' },
  });
  expect(put.statusCode).toBe(200);
  expect(put.json().ingest_status).toBe('pending');
  await t.deps.jobs.idle();
  const after = (await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/${doc.id}`, headers: auth(agent) })).json();
  expect(after).toMatchObject({ ingest_status: 'ready', chunks: 1 });

  const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/knowledge/${doc.id}`, headers: auth(admin) });
  expect(del.statusCode).toBe(204);
  expect((await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/${doc.id}`, headers: auth(agent) })).statusCode).toBe(404);

  // The ingestion jobs were counted.
  const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  expect(metrics).toMatch(/^jobs_total\{queue="knowledge-ingestion",status="completed"\} 2$/m);
  expect(metrics).toMatch(/^queue_depth\{queue="knowledge-ingestion",state="waiting"\} 0$/m);
}

describe.each(DRIVERS)('knowledge API with in-process jobs (%s)', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('queues chunking + embedding on every write; the document becomes searchable, is replaced, is deleted', async () => {
    expect(t.deps.jobs.mode).toBe('inline');
    await exercise(t);
  });

  it('lets staff read and only admins write', async () => {
    const agent = await t.login('agent@example.com');
    const customer = await t.login('alice@example.com');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/knowledge?limit=5', headers: { authorization: `Bearer ${agent}` } });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(5);
    expect(list.json().next_cursor).toEqual(expect.any(String));
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/knowledge', headers: { authorization: `Bearer ${customer}` } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/knowledge' })).statusCode).toBe(401);
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: { authorization: `Bearer ${agent}` }, payload: ARTICLE });
    expect(write.statusCode).toBe(403);
  });

  it('refuses a slug another document has with 409', async () => {
    const admin = await t.login('admin@example.com');
    const first = (await t.app.inject({ method: 'GET', url: '/api/v1/knowledge?limit=1', headers: { authorization: `Bearer ${admin}` } })).json().items[0];
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: { authorization: `Bearer ${admin}` }, payload: { ...ARTICLE, slug: first.slug } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('knowledge_slug_taken');
  });
});

describe('knowledge API with BullMQ jobs on Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { REDIS_URL: TEST_REDIS_URL, JOBS_WORKER_IN_API: 'true' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the same ingestion through a BullMQ worker, and /ready checks the queues', async () => {
    expect(t.deps.jobs.mode).toBe('bullmq');
    await exercise(t);
    const ready = (await t.app.inject({ method: 'GET', url: '/ready' })).json();
    expect(ready.checks).toMatchObject({ database: 'ok', redis: 'ok', queues: 'ok' });
  });
});
