import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueSnapshot, ServerEvent } from '../src/contract/events.js';
import { TEST_REDIS_URL } from './app.js';
import { createEmptyDatabase, type EmptyDatabase, freeRange, type RunningProcess, startProcess, waitForHttp } from './processes.js';
import { createRedis } from '../src/infra/redis.js';
import { deleteRedisKeys } from './redis.js';
import { WsClient } from './ws-client.js';

// `npm run cluster` as a set of real processes: 3 APIs and 2 workers started together on a fresh
// PostgreSQL database and a Redis key space of their own. Chats go through all three APIs, a staff
// member on one API answers a customer on another, the staff queue crosses processes, 50 ingestion
// jobs run exactly once between the two workers, and the migrations ran once under the advisory lock.

const ROOT = join(import.meta.dirname, '..');
const APIS = 3;
const WORKERS = 2;
const DOCUMENTS = 50;
const MIGRATIONS = readdirSync(join(ROOT, 'src/db/migrations')).filter((f) => f.endsWith('.sql')).length;

/** The knowledge-ingestion jobs_total of one status in a worker's /metrics text (another process: its registry is not ours to read). */
function ingestionJobs(exposition: string, status: 'completed' | 'failed'): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith('jobs_total{') && line.includes('queue="knowledge-ingestion"') && line.includes(`status="${status}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('npm run cluster: 3 API processes and 2 workers', () => {
  let db: EmptyDatabase;
  let cluster: RunningProcess;
  let prefix: string;
  let apiBase: number;
  let metricsBase: number;
  const api = (i: number) => `http://127.0.0.1:${apiBase + i}`;
  const clients: WsClient[] = [];

  async function post(base: string, path: string, token: string | null, body: unknown) {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
    return { status: res.status, body: (await res.json()) as any };
  }
  async function login(base: string, email: string): Promise<string> {
    const res = await post(base, '/api/v1/auth/login', null, { email, password: 'switchboard-demo' });
    expect(res.status).toBe(200);
    return res.body.access_token;
  }
  async function connect(base: string, token: string): Promise<WsClient> {
    const c = await WsClient.connect(base, token);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    db = await createEmptyDatabase();
    prefix = `sbtest:cluster:${randomUUID()}:`;
    // One range for both: two ranges chosen apart could overlap (the first is not bound yet).
    apiBase = await freeRange(APIS + APIS + WORKERS);
    metricsBase = apiBase + APIS;
    cluster = startProcess(process.execPath, ['--import', 'tsx', 'src/cluster.ts', '--api', String(APIS), '--workers', String(WORKERS)], {
      cwd: ROOT,
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        PORT: String(apiBase),
        HOST: '127.0.0.1',
        METRICS_PORT: String(metricsBase),
        LOG_LEVEL: 'info',
        SEED_DEMO: 'false',
        RATE_LIMIT_ANONYMOUS: '100000',
        RATE_LIMIT_USER: '100000',
        RATE_LIMIT_CHAT: '100000',
        CHAT_DEBOUNCE_MS: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
      },
    });
    for (let i = 0; i < APIS; i++) await waitForHttp(`${api(i)}/ready`, cluster, 180_000);
    for (let i = 0; i < WORKERS; i++) await waitForHttp(`http://127.0.0.1:${metricsBase + APIS + i}/metrics`, cluster, 180_000);
    // The demo company (staff and customers) once everything runs: it is loaded by one command, not by every process.
    const seed = spawnSync(process.execPath, ['--import', 'tsx', 'src/demo/cli.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, encoding: 'utf8' });
    expect(seed.status, seed.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    const code = await cluster?.stop(60_000);
    expect(code, cluster?.output().slice(-3000)).toBe(0);
    await db?.drop();
    const redis = createRedis(TEST_REDIS_URL);
    await deleteRedisKeys(prefix, redis);
    await redis.quit();
  }, 120_000);

  it('ran the migrations once, under the advisory lock, though all five processes started together', async () => {
    const out = cluster.output();
    const applied = [...out.matchAll(/(\d+) migration\(s\) applied/g)].map((m) => Number(m[1]));
    expect(applied).toEqual([MIGRATIONS]); // one process applied them all; the other four found nothing to do
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT hash, count(*)::int AS n FROM drizzle.__drizzle_migrations GROUP BY hash');
    await c.end();
    expect(rows).toHaveLength(MIGRATIONS);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(out.match(/worker started/g)).toHaveLength(WORKERS);
  });

  it('answers chats through every API process, and a conversation moves between them', async () => {
    for (let i = 0; i < APIS; i++) {
      const res = await post(api(i), '/api/v1/chat', null, { message: 'How long does shipping take?' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.assistant_message).toMatchObject({ agent: 'faq' });
    }
    const first = await post(api(0), '/api/v1/chat', null, { message: 'What plans do you offer?' });
    const { conversation_id: id, conversation_token: token } = first.body;
    const second = await post(api(1), '/api/v1/chat', token, { message: 'And how do returns work?', conversation_id: id });
    expect(second.status).toBe(200);
    const history = await fetch(`${api(2)}/api/v1/conversations/${id}/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await history.json()) as { items: unknown[] }).items).toHaveLength(4);
  });

  it('puts a handoff on one process into the staff queue on another, and delivers the staff reply on a third', async () => {
    const [agent, alice] = [await login(api(2), 'agent@example.com'), await login(api(0), 'alice@example.com')];
    const staff = await connect(api(2), agent);
    staff.send({ type: 'queue.subscribe' });
    await staff.waitFor((e) => e.type === 'queue');
    const conv = await post(api(1), '/api/v1/conversations', alice, {});
    expect(conv.status).toBe(201);
    const id = conv.body.id as string;
    const customer = await connect(api(0), alice);
    await customer.join(id);

    const from = staff.events.length;
    const asked = await post(api(1), `/api/v1/conversations/${id}/messages`, alice, { content: 'I want to speak to a person' });
    expect(asked.body.assistant_message.agent).toBe('escalation');
    const queued = await staff.waitFor<QueueSnapshot & { type: 'queue' }>((e) => e.type === 'queue' && e.items.some((i) => i.conversation_id === id), { from, timeoutMs: 20_000 });
    expect(queued.items.find((i) => i.conversation_id === id)).toMatchObject({ reason: 'customer_request' });

    expect((await post(api(2), `/api/v1/conversations/${id}/takeover`, agent, {})).status).toBe(200);
    await customer.waitFor((e) => e.type === 'handoff' && e.status === 'human', { timeoutMs: 20_000 });
    const reply = await post(api(2), `/api/v1/conversations/${id}/staff-messages`, agent, { content: 'Hi Alice, a person here.' });
    expect(reply.status).toBe(201);
    const delivered = await customer.waitFor<Extract<ServerEvent, { type: 'message.created' }>>((e) => e.type === 'message.created' && e.message.content === 'Hi Alice, a person here.', {
      timeoutMs: 20_000,
    });
    expect(delivered.message.role).toBe('staff');
  });

  it(`processes ${DOCUMENTS} ingestion jobs queued through all three APIs exactly once between the two workers`, async () => {
    const admin = await login(api(0), 'admin@example.com');
    const ids: string[] = [];
    for (let i = 0; i < DOCUMENTS; i++) {
      const res = await post(api(i % APIS), '/api/v1/knowledge', admin, {
        title: `Cluster article ${i}`,
        category: 'cluster',
        content: `Cluster article number ${i}. It explains one thing about the cluster test in a few words.`,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    const deadline = Date.now() + 120_000;
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      for (;;) {
        const { rows } = await c.query("SELECT count(*)::int AS n FROM knowledge_documents WHERE id = ANY($1) AND ingest_status = 'ready' AND ingested_at IS NOT NULL", [ids]);
        if (rows[0].n === DOCUMENTS) break;
        if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${DOCUMENTS} documents ingested`);
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await c.end();
    }
    // Each document's job logged once, and the workers' counters add up to exactly one run per job.
    for (const id of ids) expect(cluster.output().split(id).length - 1, id).toBe(1);
    let completed = 0;
    const perWorker: number[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const text = await (await fetch(`http://127.0.0.1:${metricsBase + APIS + i}/metrics`)).text();
      const n = ingestionJobs(text, 'completed');
      perWorker.push(n);
      completed += n;
      expect(ingestionJobs(text, 'failed')).toBe(0);
    }
    expect(completed).toBe(DOCUMENTS);
    console.log(`[cluster test] ingestion jobs per worker: ${perWorker.join(', ')}`);
  });
});
