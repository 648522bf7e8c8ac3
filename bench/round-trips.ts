/**
 * Round trips: the PostgreSQL queries and Redis commands a chat turn sends before its first model
 * call, counted by wrapping the `pg` and `ioredis` clients in this process (bench/lib/command-log.ts).
 * The service runs here, on PostgreSQL + Redis, answered by the fake model in this process too: its
 * first request of a turn marks "the first model call". Baseline: a bare Fastify route doing one
 * PostgreSQL insert, counted the same way.
 */
import Fastify from 'fastify';
import pg from 'pg';
import { autopilot } from '../test/fake-openai/autopilot.js';
import { startFakeOpenAI } from '../test/fake-openai/server.js';
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { CommandLog, countSent, instrumentClients, redisRoundTrips, type Sent } from './lib/command-log.js';
import { llmEnv } from './lib/fake-model.js';
import { markdownTable } from './lib/report.js';
import type { FigureTable } from './lib/report.js';
import { startService } from './lib/service.js';
import { faqMessage, modelSpeed } from './lib/workload.js';

const REPEATS = 3;
const CUSTOMER = 'alice@example.com';

/** What one measured request sent: before the first model call, and in all. */
interface Counted {
  before: Sent[];
  total: Sent[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The run whose counts are the median (so the list shown is a typical one). */
function typical(runs: Counted[]): Counted {
  const score = (c: Counted) => countSent(c.before).pg * 1000 + countSent(c.before).redis;
  const m = median(runs.map(score));
  return runs.find((r) => score(r) === m)!;
}

function listOf(sent: readonly Sent[], prefix: string): string {
  const what = (s: Sent) => `\`${s.what.split(prefix).join('<prefix>')}\``;
  // Pipelines numbered from 1 in this list: commands with the same number went out in one write.
  const numbers = new Map<number, number>();
  for (const x of sent) if (x.batch !== undefined && !numbers.has(x.batch)) numbers.set(x.batch, numbers.size + 1);
  const server = (s: Sent) => (s.kind === 'pg' ? 'PostgreSQL' : s.batch !== undefined ? `Redis (write ${numbers.get(s.batch)})` : 'Redis');
  return sent.length
    ? markdownTable(
        ['#', 'server', 'command'],
        sent.map((s, i) => [String(i + 1), server(s), what(s)]),
      )
    : '(none)';
}

/** Benchmark 3 of issue 8. */
export const roundTripsBenchmark: Benchmark = {
  name: 'round-trips',
  title: 'Round trips before the first model call',
  async run(log): Promise<BenchResult> {
    const commands = new CommandLog();
    let firstModelCall: Sent[] | undefined;
    // 0: the answer's chunks are sent at once; else at this rate (each then travels alone).
    let tokensPerSecond = 0;
    const fake = await startFakeOpenAI({
      defaultStep: (req) => {
        firstModelCall ??= commands.snapshot();
        return { ...autopilot(req), tokensPerSecond };
      },
    });
    const restore = instrumentClients(commands);
    const scenarios = new Map<string, Counted[]>();
    let bare: Counted | undefined;
    let prefix = '';
    let streamedName = '';
    try {
      const svc = await startService(llmEnv(fake.url));
      prefix = svc.deps.config.REDIS_KEY_PREFIX;
      try {
        const token = await svc.login(CUSTOMER);
        const auth = { authorization: `Bearer ${token}` };
        const newConversation = async () => (await svc.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth, payload: {} })).json<{ id: string }>().id;
        let turnNo = 0;
        const measure = async (name: string, conversationId: string, idempotent: boolean) => {
          const turn = turnNo++;
          firstModelCall = undefined;
          commands.start();
          const res = await svc.app.inject({
            method: 'POST',
            url: `/api/v1/conversations/${conversationId}/messages`,
            headers: { ...auth, ...(idempotent ? { 'idempotency-key': `round-trips-${turn}` } : {}) },
            payload: { content: faqMessage(turn) },
          });
          const total = commands.stop();
          if (res.statusCode !== 201) throw new Error(`turn answered ${res.statusCode}: ${res.body}`);
          const engine = res.json<{ assistant_message: { engine: string } }>().assistant_message.engine;
          if (engine !== 'llm' || !firstModelCall) throw new Error(`the turn was not answered by the fake model (engine ${engine})`);
          if (!scenarios.has(name)) scenarios.set(name, []);
          scenarios.get(name)!.push({ before: firstModelCall, total });
        };
        // A warm-up turn: connections opened, scripts loaded into Redis, statements planned.
        const warm = await newConversation();
        await measure('warm-up', warm, true);
        await measure('warm-up', warm, true);
        scenarios.delete('warm-up');
        log(`counting ${REPEATS}× each: a first turn, a follow-up turn, a follow-up without Idempotency-Key`);
        for (let i = 0; i < REPEATS; i++) {
          const id = await newConversation();
          await measure('first turn of a conversation', id, true);
          await measure('follow-up turn (memory cached)', id, true);
          await measure('follow-up turn without Idempotency-Key', id, false);
        }
        const speed = modelSpeed();
        tokensPerSecond = speed.tokensPerSecond;
        streamedName = `follow-up turn, answer streamed at ${tokensPerSecond} tokens/s`;
        for (let i = 0; i < REPEATS; i++) {
          const id = await newConversation();
          await measure('first turn of a conversation (not counted)', id, true);
          await measure(streamedName, id, true);
        }
        scenarios.delete('first turn of a conversation (not counted)');
        tokensPerSecond = 0;

        // The baseline, counted by the same wrappers.
        const pool = new pg.Pool({ connectionString: svc.databaseUrl, max: 2 });
        const bareApp = Fastify({ logger: false });
        try {
          await pool.query('CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body jsonb NOT NULL)');
          bareApp.post('/bare', async (request, reply) => reply.status(201).send((await pool.query('INSERT INTO bench_bare (body) VALUES ($1) RETURNING id', [request.body])).rows[0]));
          await bareApp.inject({ method: 'POST', url: '/bare', payload: { content: 'warm-up' } });
          commands.start();
          await bareApp.inject({ method: 'POST', url: '/bare', payload: { content: faqMessage(0) } });
          const sent = commands.stop();
          bare = { before: sent, total: sent };
        } finally {
          await bareApp.close();
          await pool.end();
        }
      } finally {
        await svc.close();
      }
    } finally {
      restore();
      await fake.close();
    }

    const base = countSent(bare!.before);
    const tables: FigureTable[] = [
      {
        caption: `Commands sent before the first model call (median of ${REPEATS}), against a bare route doing one INSERT`,
        figures: [...scenarios]
          .filter(([name]) => name !== streamedName)
          .flatMap(([name, runs]) => {
            const pgN = median(runs.map((r) => countSent(r.before).pg));
            const redisN = median(runs.map((r) => countSent(r.before).redis));
            return [
              {
                name: `PostgreSQL, ${name}`,
                value: pgN,
                unit: '',
                baseline: { name: 'bare route', value: base.pg },
                target: { on: 'value' as const, op: '<=' as const, value: 2 },
                note: 'the commands are listed below',
              },
              {
                name: `Redis, ${name}`,
                value: redisN,
                unit: '',
                baseline: { name: 'bare route', value: base.redis },
                target: { on: 'value' as const, op: '<=' as const, value: 1 },
                note: 'the commands are listed below',
              },
              {
                name: `Redis round trips (pipelined commands share one), ${name}`,
                value: median(runs.map((r) => redisRoundTrips(r.before))),
                unit: '',
                baseline: { name: 'bare route', value: redisRoundTrips(bare!.before) },
              },
            ];
          }),
      },
      {
        caption: 'Commands of the whole turn (request to response), for comparison',
        figures: [...scenarios].flatMap(([name, runs]) => [
          { name: `PostgreSQL, ${name}`, value: median(runs.map((r) => countSent(r.total).pg)), unit: '', baseline: { name: 'bare route', value: base.pg } },
          { name: `Redis, ${name}`, value: median(runs.map((r) => countSent(r.total).redis)), unit: '', baseline: { name: 'bare route', value: base.redis } },
        ]),
      },
    ];
    const lists = [...scenarios]
      .filter(([name]) => name !== streamedName)
      .map(([name, runs]) => `**Before the first model call — ${name}** (a typical run):\n\n${listOf(typical(runs).before, prefix)}`);
    return {
      setup: [
        'The service (createDeps → buildApp) in this process on a scratch PostgreSQL database and Redis, answered by the fake OpenAI-compatible model (autopilot) in this process; requests through `app.inject` (every hook runs: auth, rate limits in Redis, idempotency, validation).',
        '`pg` Client.query (pools use it) and ioredis `sendCommand` (pipelined and scripted commands go through it) are wrapped to log every command; the fake model snapshots the log when the first model request of the turn arrives.',
        `Turns: an FAQ question as a signed-in customer with an \`Idempotency-Key\` (as the design says a turn arrives), after two warm-up turns; each scenario ${REPEATS} times in new conversations.`,
      ],
      tables,
      notes: lists,
    };
  },
};
