import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../test/db.js';
import { loadConfig } from '../config.js';
import { createConversation } from '../db/queries/conversations.js';
import { insertMessage } from '../db/queries/messages.js';
import { conversations, llmUsage, llmUsageDaily } from '../db/schema.js';
import { localEmbedder } from '../llm/embeddings.js';
import { createMetrics } from '../observability/metrics.js';
import { conversationSummaries } from './conversation-summaries.js';
import { InlineJobRunner } from './inline-runner.js';
import { defineJob, UnrecoverableError, type JobDeps } from './job.js';
import { signBody, SIGNATURE_HEADER, ticketNotifications } from './ticket-notifications.js';
import { usageRollups } from './usage-rollups.js';

const silent = { info() {}, warn() {}, error() {} };

function depsFor(db: JobDeps['db'] | null, env: Record<string, string> = {}): JobDeps {
  return { db: db as JobDeps['db'], embedder: localEmbedder(64), config: loadConfig({ NODE_ENV: 'test', ...env }), metrics: createMetrics({ defaultMetrics: false }), log: silent };
}

describe('in-process job runner', () => {
  it('retries a failing job with backoff until it succeeds, and counts each try', async () => {
    let tries = 0;
    const flaky = defineJob({
      queue: 'flaky',
      payload: z.object({ n: z.number() }),
      retry: { attempts: 3, backoffMs: 1 },
      async process() {
        tries++;
        if (tries < 3) throw new Error('transient');
        return 'done';
      },
    });
    const deps = depsFor(null);
    const runner = new InlineJobRunner(deps, { concurrency: 2, definitions: [flaky] as never });
    await runner.startWorkers();
    await runner.enqueue(flaky, { n: 1 });
    await runner.idle();
    expect(tries).toBe(3);
    const text = await deps.metrics!.render();
    expect(text).toMatch(/^jobs_total\{queue="flaky",status="retried"\} 2$/m);
    expect(text).toMatch(/^jobs_total\{queue="flaky",status="completed"\} 1$/m);
    await runner.close();
  });

  it('does not retry an unrecoverable error or a payload that fails its schema', async () => {
    let tries = 0;
    const strict = defineJob({
      queue: 'strict',
      payload: z.object({ ok: z.boolean() }),
      retry: { attempts: 5, backoffMs: 1 },
      async process() {
        tries++;
        throw new UnrecoverableError('never');
      },
    });
    const deps = depsFor(null);
    const runner = new InlineJobRunner(deps, { concurrency: 1, definitions: [strict] as never });
    await runner.startWorkers();
    await runner.enqueue(strict, { ok: true });
    await expect(runner.enqueue(strict, { ok: 'yes' } as never)).rejects.toThrow(); // the producer validates too
    await runner.idle();
    expect(tries).toBe(1);
    expect(await deps.metrics!.render()).toMatch(/^jobs_total\{queue="strict",status="failed"\} 1$/m);
    expect((await runner.depths()).find((d) => d.queue === 'strict' && d.state === 'failed')?.count).toBe(1);
    await runner.close();
  });
});

describe('ticket notifications', () => {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let failFirst = 0;
  let status = 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (failFirst > 0) {
        failFirst--;
        res.writeHead(503).end();
      } else res.writeHead(status).end('{}');
    });
  });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const event = { event: 'ticket.created', ticket_number: 'TCK-200001', conversation_id: null, priority: 'high', reason: 'billing_dispute', subject: 'Charged twice' } as const;

  it('POSTs a signed event to the webhook, retrying a 503 until it is accepted', async () => {
    received.length = 0;
    failFirst = 2;
    status = 200;
    const deps = depsFor(null, { TICKET_WEBHOOK_URL: url, TICKET_WEBHOOK_SECRET: 'shh-its-a-secret' });
    const runner = new InlineJobRunner(deps, { concurrency: 1, definitions: [ticketNotifications] as never, backoffMs: 1 });
    await runner.startWorkers();
    const id = await runner.enqueue(ticketNotifications, event);
    await runner.idle();
    expect(received).toHaveLength(3);
    const last = received[2]!;
    expect(JSON.parse(last.body)).toEqual(event);
    expect(last.headers[SIGNATURE_HEADER]).toBe(signBody(last.body, 'shh-its-a-secret'));
    expect(last.headers['x-switchboard-delivery']).toBe(id);
    await runner.close();
  });

  it('gives up at once when the receiver rejects the event with a 4xx', async () => {
    received.length = 0;
    failFirst = 0;
    status = 410;
    const deps = depsFor(null, { TICKET_WEBHOOK_URL: url });
    const runner = new InlineJobRunner(deps, { concurrency: 1, definitions: [ticketNotifications] as never, backoffMs: 1 });
    await runner.startWorkers();
    await runner.enqueue(ticketNotifications, event);
    await runner.idle();
    expect(received).toHaveLength(1);
    expect(await deps.metrics!.render()).toMatch(/^jobs_total\{queue="ticket-notifications",status="failed"\} 1$/m);
    await runner.close();
  });
});

describe.each(DRIVERS)('database jobs (%s)', (driver) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('rolls llm_usage up by day, model and agent, idempotently', async () => {
    const db = tdb.database.db;
    const conv = await createConversation(db, {});
    const at = (iso: string) => new Date(iso);
    await db.insert(llmUsage).values([
      { conversationId: conv.id, provider: 'openai', model: 'gpt-4o-mini', agent: 'faq', inputTokens: 100, outputTokens: 20, costUsd: 0.001, createdAt: at('2030-01-02T10:00:00Z') },
      { conversationId: conv.id, provider: 'openai', model: 'gpt-4o-mini', agent: 'faq', inputTokens: 50, outputTokens: 10, costUsd: 0.0005, createdAt: at('2030-01-02T23:59:59Z') },
      { conversationId: conv.id, provider: 'openai', model: 'gpt-4o-mini', agent: 'router', inputTokens: 30, outputTokens: 5, costUsd: 0.0002, createdAt: at('2030-01-02T11:00:00Z') },
      { provider: 'openai', model: 'gpt-4o-mini', agent: 'faq', inputTokens: 999, outputTokens: 999, costUsd: 1, createdAt: at('2030-01-03T00:00:00Z') },
    ]);
    const deps = depsFor(db);
    const ctx = { deps, attempt: 1, maxAttempts: 3, jobId: 'test' };
    await usageRollups.process({ days: ['2030-01-02'] }, ctx);
    await usageRollups.process({ days: ['2030-01-02'] }, ctx); // a second run rewrites, never doubles
    const rows = await db.select().from(llmUsageDaily).where(sql`day = '2030-01-02'`).orderBy(llmUsageDaily.agent);
    expect(rows.map((r) => [r.agent, r.requests, r.inputTokens, r.outputTokens, r.conversations])).toEqual([
      ['faq', 2, 150, 30, 1],
      ['router', 1, 30, 5, 1],
    ]);
    expect(rows[0]!.costUsd).toBeCloseTo(0.0015, 6);
  });

  it('closes idle conversations as resolved or abandoned, leaves fresh and unused ones, and counts the outcomes', async () => {
    const db = tdb.database.db;
    const answered = await createConversation(db, {});
    await insertMessage(db, { conversationId: answered.id, role: 'user', content: 'How long does shipping take?' });
    await insertMessage(db, { conversationId: answered.id, role: 'assistant', content: '3-5 business days.', agent: 'faq', route: 'faq' });
    const unanswered = await createConversation(db, {});
    await insertMessage(db, { conversationId: unanswered.id, role: 'user', content: 'hmm' });
    await insertMessage(db, { conversationId: unanswered.id, role: 'assistant', content: 'Could you tell me more?', agent: 'router', route: 'clarify' });
    const fresh = await createConversation(db, {});
    await insertMessage(db, { conversationId: fresh.id, role: 'user', content: 'hello' });
    const unused = await createConversation(db, {});
    const old = new Date(Date.now() - 3 * 3600 * 1000);
    await db.update(conversations).set({ updatedAt: old }).where(sql`id IN (${answered.id}, ${unanswered.id}, ${unused.id})`);

    const deps = depsFor(db, { CONVERSATION_IDLE_MINUTES: '30' });
    const result = await conversationSummaries.process({ kind: 'sweep', limit: 100 }, { deps, attempt: 1, maxAttempts: 3, jobId: 'sweep' });
    expect(result).toEqual({ swept: 2, outcomes: { resolved: 1, abandoned: 1 } });
    const byId = Object.fromEntries((await db.select().from(conversations)).map((c) => [c.id, c]));
    expect(byId[answered.id]).toMatchObject({ outcome: 'resolved', status: 'resolved' });
    expect(byId[answered.id]!.summary).toContain('How long does shipping take?');
    expect(byId[unanswered.id]).toMatchObject({ outcome: 'abandoned' });
    expect(byId[fresh.id]!.outcome).toBeNull();
    expect(byId[unused.id]!.outcome).toBeNull();
    const text = await deps.metrics!.render();
    expect(text).toMatch(/^conversations_total\{outcome="resolved"\} 1$/m);
    expect(text).toMatch(/^conversations_total\{outcome="abandoned"\} 1$/m);
  });
});
