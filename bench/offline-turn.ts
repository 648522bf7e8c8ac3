/**
 * Offline turn against the minimal route: the service on PostgreSQL + Redis answering
 * `POST /api/v1/conversations/:id/messages` with the offline engine (no model server), against a
 * minimal Fastify route in the same process doing what any implementation of a turn must (verify
 * the JWT, count a rate limit in Redis, insert the message, publish one event), both at 10
 * connections in the same run. Also the service CPU time per request of each.
 */
import { randomUUID } from 'node:crypto';
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { runLoad, type LoadResult } from './lib/load.js';
import type { Figure, FigureTable } from './lib/report.js';
import { spawnService } from './lib/spawn.js';
import { quantile } from './lib/stats.js';
import { faqMessage } from './lib/workload.js';

const CONNECTIONS = 10;
const MINIMAL_SECONDS = 5;
const TURN_SECONDS = 10;
const WARMUP_SECONDS = 3;
const CUSTOMER = 'alice@example.com';

/** Answers the offline engine gave (every one should be `offline`). */
class EngineCount {
  offline = 0;
  other = 0;
  inspect = (status: number, body: string) => {
    if (status !== 201) return;
    const a = (JSON.parse(body) as { assistant_message?: { engine?: string } | null }).assistant_message;
    if (a?.engine === 'offline') this.offline++;
    else this.other++;
  };
}

const failuresOf = (r: LoadResult) => {
  const f = [...r.failures].map(([s, n]) => `${n}× HTTP ${s}`);
  if (r.errors) f.push(`${r.errors} connection errors`);
  if (r.timeouts) f.push(`${r.timeouts} timeouts`);
  return f.length ? f.join(', ') : 'no failures';
};

/** Issue 15: the offline turn's cost as a ratio to the minimal route's, in one run. */
export const offlineTurnBenchmark: Benchmark = {
  name: 'offline-turn',
  title: 'Offline turn against the minimal route',
  async run(log): Promise<BenchResult> {
    const svc = await spawnService({ env: { LLM_PROVIDER: 'offline' }, minimal: true });
    const engines = new EngineCount();
    let minimal: LoadResult;
    let turn: LoadResult;
    let cpuMinimal: number;
    let cpuTurn: number;
    try {
      const { token } = await svc.request<{ token: string }>({ cmd: 'login', email: CUSTOMER });
      // Round-robin over many conversations: a few turns each, never two at once, none past the memory window.
      const { ids } = await svc.request<{ ids: string[] }>({ cmd: 'conversations', email: CUSTOMER, count: 1500 });
      const { ids: minimalIds } = await svc.request<{ ids: string[] }>({ cmd: 'conversations', email: CUSTOMER, count: 200 });
      const run = randomUUID().slice(0, 8);
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const turnRequest = (n: number) => ({
        path: `/api/v1/conversations/${ids[n % ids.length]}/messages`,
        headers: { ...headers, 'idempotency-key': `offline-${run}-${n}` },
        body: JSON.stringify({ content: faqMessage(n) }),
      });
      const minimalRequest = (n: number) => ({ path: `/minimal/${minimalIds[n % minimalIds.length]}`, headers, body: JSON.stringify({ content: faqMessage(n) }) });
      const base = `http://127.0.0.1:${svc.ready.port}`;
      const minimalBase = `http://127.0.0.1:${svc.ready.minimalPort}`;
      const cpu = async () => (await svc.request<{ ms: number }>({ cmd: 'cpu' })).ms;

      log(`warming up (${WARMUP_SECONDS} s of offline turns, 2 s of the minimal route, at ${CONNECTIONS} connections)`);
      const next = (await runLoad({ baseUrl: base, connections: CONNECTIONS, seconds: WARMUP_SECONDS, build: turnRequest })).nextTurn;
      await runLoad({ baseUrl: minimalBase, connections: CONNECTIONS, seconds: 2, build: minimalRequest });
      log(`minimal route: ${CONNECTIONS} connections for ${MINIMAL_SECONDS} s`);
      const c0 = await cpu();
      minimal = await runLoad({ baseUrl: minimalBase, connections: CONNECTIONS, seconds: MINIMAL_SECONDS, build: minimalRequest });
      const c1 = await cpu();
      log(`offline turns: ${CONNECTIONS} connections for ${TURN_SECONDS} s`);
      await svc.request({ cmd: 'profile', on: true });
      turn = await runLoad({ baseUrl: base, connections: CONNECTIONS, seconds: TURN_SECONDS, build: turnRequest, firstTurn: next, inspect: engines.inspect });
      const c2 = await cpu();
      const { file } = await svc.request<{ file: string | null }>({ cmd: 'profile', on: false, name: 'offline-turn' });
      if (file) log(`  CPU profile of the offline turns: ${file}`);
      cpuMinimal = (c1 - c0) / Math.max(1, minimal.latencies.size);
      cpuTurn = (c2 - c1) / Math.max(1, turn.latencies.size);
      log(`  minimal ${minimal.throughput.toFixed(0)} req/s, offline turn ${turn.throughput.toFixed(1)} turns/s`);
    } finally {
      await svc.stop();
    }

    const p = (r: LoadResult, q: number) => quantile([...r.latencies.values()], q);
    const c = `${CONNECTIONS} connections`;
    const figures: Figure[] = [
      {
        name: `throughput, ${c}`,
        value: turn.throughput,
        unit: 'req/s',
        baseline: { name: 'minimal route', value: minimal.throughput },
        target: { on: 'ratio', op: '>=', value: 0.25 },
        note: 'see the notes below',
      },
      { name: `latency p50, ${c}`, value: p(turn, 0.5), unit: 'ms', baseline: { name: 'minimal route p50', value: p(minimal, 0.5) } },
      {
        name: `latency p99, ${c}`,
        value: p(turn, 0.99),
        unit: 'ms',
        baseline: { name: 'minimal route p99', value: p(minimal, 0.99) },
        target: { on: 'ratio', op: '<=', value: 3 },
        note: 'see the notes below',
      },
      { name: `service CPU time per request, ${c}`, value: cpuTurn, unit: 'ms', baseline: { name: 'minimal route', value: cpuMinimal } },
    ];
    const tables: FigureTable[] = [{ caption: `Offline-engine turn (POST /messages, JSON reply) against the minimal route, ${c}`, figures }];
    return {
      setup: [
        'The service as `npm start` builds it (createDeps → buildApp) with `LLM_PROVIDER=offline`, on a scratch PostgreSQL database and Redis (rate limits, cache, event bus), in a child process of its own (autocannon runs in another); rate limits raised to 10⁸ per window, so they still run on every request without refusing any.',
        `Offline turn: an FAQ question (8 different ones) signed in as a customer with an \`Idempotency-Key\`: router (the offline intent classifier), the FAQ agent's hybrid search in PostgreSQL, the extractive answer, the reply stored. Conversations used round-robin (a few turns each, never two at once).`,
        "Baseline, the minimal route (`POST /minimal/:id`, a Fastify instance of its own in the same process): verify the JWT (the service's TokenService), count one rate limit in Redis (INCR + PEXPIRE in one script), insert the customer's message (the service's own query on its pool), publish one event to Redis; what any implementation of a turn must do.",
        `Load: autocannon, closed loop, ${CONNECTIONS} connections; warm-up ${WARMUP_SECONDS} s of turns and 2 s of the minimal route, then the minimal route for ${MINIMAL_SECONDS} s and the offline turns for ${TURN_SECONDS} s. CPU: the service process's \`process.cpuUsage()\` (user + system) before and after each run, divided by the requests answered.`,
      ],
      tables,
      notes: [
        `Minimal route: ${minimal.latencies.size} requests, ${failuresOf(minimal)}. Offline turns: ${turn.latencies.size} turns, ${failuresOf(turn)}; answered by the offline engine: ${engines.offline}, otherwise: ${engines.other}.`,
      ],
    };
  },
};
