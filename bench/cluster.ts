/**
 * Throughput with 1 and 2 API processes through `npm run cluster` (issue 15): the same offline-engine
 * turn load against one process, then against two behind no balancer (the load generator spreads
 * its connections over their ports), on one scratch database and Redis key space. Each cluster is
 * stopped the way an operator stops it (SIGTERM to its process group) and awaited before the next.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createRedis } from '../src/infra/redis.js';
import { freeRange } from '../test/processes.js';
import { deleteRedisKeys } from '../test/redis.js';
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { postgresServerUrl } from './lib/postgres.js';
import type { Figure, FigureTable } from './lib/report.js';
import { BENCH_ENV, BENCH_REDIS_URL } from './lib/service.js';
import { quantile } from './lib/stats.js';
import { faqMessage } from './lib/workload.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 10;
const WARMUP_SECONDS = 3;
const SECONDS = 15;
const CUSTOMER = 'alice@example.com';
/** How long a stopping cluster may take before its processes are killed. */
const STOP_GRACE_MS = 60_000;
const USER_HZ = 100;

/** Pids of the live processes in a process group. */
function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // Field 5 is the process group; a zombie (state Z) has exited.
      if (Number(f[2]) === pgid && f[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** CPU time (ms, user + system) of the processes of a group that are alive now. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const pid of groupPids(pgid)) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1000) / USER_HZ;
}

/** `npm run cluster -- --api N --workers 1` in a process group of its own, with its output kept. */
interface RunningCluster {
  child: ChildProcess;
  ports: number[];
  output(): string;
  /** SIGTERM to every process of the group, then waits until none is left (SIGKILL after the grace). */
  stop(): Promise<{ code: number | string; killed: boolean; ms: number }>;
}

function startCluster(apis: number, base: number, env: Record<string, string>): RunningCluster {
  const child = spawn('npm', ['run', '--silent', 'cluster', '--', '--api', String(apis), '--workers', '1'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(base), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: npm, the shell, cluster.js and the processes it forks can be signalled and awaited together.
    detached: true,
  });
  const pgid = child.pid!;
  let out = '';
  const collect = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  // If the benchmark dies first, the cluster goes with it.
  const killGroup = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  return {
    child,
    ports: Array.from({ length: apis }, (_, i) => base + i),
    output: () => out,
    async stop() {
      const started = performance.now();
      try {
        process.kill(-pgid, 'SIGTERM');
      } catch {
        // already gone
      }
      let killed = false;
      const deadline = Date.now() + STOP_GRACE_MS;
      while (groupPids(pgid).length > 0) {
        if (!killed && Date.now() > deadline) {
          killGroup();
          killed = true;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const code = await exited;
      process.off('exit', killGroup);
      child.stdout?.destroy();
      child.stderr?.destroy();
      return { code, killed, ms: performance.now() - started };
    },
  };
}

/** Polls `url` until it answers 200, failing early if the cluster exited. */
async function waitForHttp(url: string, cluster: RunningCluster, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cluster.child.exitCode !== null || cluster.child.signalCode !== null) throw new Error(`the cluster exited before ${url} answered:\n${cluster.output()}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${cluster.output()}`);
}

interface Level {
  apis: number;
  load: LoadResult[];
  throughput: number;
  latencies: number[];
  offline: number;
  other: number;
  cpuMsPerTurn: number;
  stopped: { code: number | string; killed: boolean; ms: number };
}

export const clusterBenchmark: Benchmark = {
  name: 'cluster',
  title: 'Throughput with 1 and 2 API processes (npm run cluster)',
  async run(log): Promise<BenchResult> {
    const server = postgresServerUrl();
    const name = `sb_bench_${randomBytes(5).toString('hex')}`;
    const prefix = `sbbench:${name}:`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    const env: Record<string, string> = {
      ...BENCH_ENV,
      SEED_DEMO: 'false', // loaded once below, not by every process
      LLM_PROVIDER: 'offline',
      DATABASE_URL: databaseUrl,
      REDIS_URL: BENCH_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    };
    const db = new pg.Client({ connectionString: databaseUrl });
    const levels: Level[] = [];
    let seeded = false;
    try {
      for (const apis of [1, 2]) {
        const base = await freeRange(apis);
        log(`npm run cluster -- --api ${apis} --workers 1 (ports ${base}…${base + apis - 1})`);
        const cluster = startCluster(apis, base, env);
        let stopped: Level['stopped'] | undefined;
        try {
          for (const port of cluster.ports) await waitForHttp(`http://127.0.0.1:${port}/ready`, cluster);
          if (!seeded) {
            // The demo company (its customers and knowledge base), once the processes have migrated the database.
            const seed = spawnSync(process.execPath, ['dist/demo/cli.js'], { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, encoding: 'utf8' });
            if (seed.status !== 0) throw new Error(`seeding the demo data failed: ${seed.stderr}`);
            seeded = true;
            await db.connect();
          }
          const login = await fetch(`http://127.0.0.1:${base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: CUSTOMER, password: 'switchboard-demo' }),
          });
          if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
          const token = ((await login.json()) as { access_token: string }).access_token;
          // Conversations used round-robin (a few turns each, never two at once), each port its own.
          const { rows } = await db.query<{ id: string }>(
            `INSERT INTO conversations (user_id, customer_id, channel)
             SELECT u.id, u.customer_id, 'api' FROM users u, generate_series(1, 1500) WHERE u.email = $1 RETURNING id`,
            [CUSTOMER],
          );
          const ids = rows.map((r) => r.id);
          const run = randomUUID().slice(0, 8);
          const counts = { offline: 0, other: 0 };
          const inspect = (status: number, body: string) => {
            if (status !== 201) return;
            const a = (JSON.parse(body) as { assistant_message?: { engine?: string } | null }).assistant_message;
            if (a?.engine === 'offline') counts.offline++;
            else counts.other++;
          };
          const loadAll = (seconds: number, firstTurn: number[], count: boolean) =>
            Promise.all(
              cluster.ports.map((port, k) => {
                const mine = ids.filter((_, i) => i % apis === k);
                return runLoad({
                  baseUrl: `http://127.0.0.1:${port}`,
                  connections: CONNECTIONS / apis,
                  seconds,
                  firstTurn: firstTurn[k],
                  inspect: count ? inspect : undefined,
                  build: (n) => ({
                    path: `/api/v1/conversations/${mine[n % mine.length]}/messages`,
                    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `cluster-${run}-${k}-${n}` },
                    body: JSON.stringify({ content: faqMessage(n) }),
                  }),
                });
              }),
            );
          log(`  warming up (${WARMUP_SECONDS} s), then ${CONNECTIONS} connections for ${SECONDS} s`);
          const warm = await loadAll(
            WARMUP_SECONDS,
            cluster.ports.map(() => 0),
            false,
          );
          const pgid = cluster.child.pid!;
          const c0 = groupCpuMs(pgid);
          const load = await loadAll(
            SECONDS,
            warm.map((w) => w.nextTurn),
            true,
          );
          const c1 = groupCpuMs(pgid);
          const answered = load.reduce((n, l) => n + l.latencies.size, 0);
          const throughput = load.reduce((n, l) => n + l.throughput, 0);
          log(`  ${apis} process(es): ${throughput.toFixed(1)} turns/s`);
          stopped = await cluster.stop();
          log(`  stopped in ${(stopped.ms / 1000).toFixed(1)} s (exit ${stopped.code}${stopped.killed ? ', killed after the grace' : ''})`);
          levels.push({
            apis,
            load,
            throughput,
            latencies: load.flatMap((l) => [...l.latencies.values()]),
            offline: counts.offline,
            other: counts.other,
            cpuMsPerTurn: (c1 - c0) / Math.max(1, answered),
            stopped,
          });
        } finally {
          if (!stopped) await cluster.stop();
        }
      }
    } finally {
      await db.end().catch(() => {});
      const redis = createRedis(BENCH_REDIS_URL);
      await deleteRedisKeys(prefix, redis).catch(() => {});
      await redis.quit().catch(() => {});
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    }

    const [one, two] = levels as [Level, Level];
    const p = (l: Level, q: number) => quantile(l.latencies, q);
    const failures = (l: Level) => {
      const f = new Map<number, number>();
      let errors = 0;
      let timeouts = 0;
      for (const r of l.load) {
        for (const [s, n] of r.failures) f.set(s, (f.get(s) ?? 0) + n);
        errors += r.errors;
        timeouts += r.timeouts;
      }
      const parts = [...f].map(([s, n]) => `${n}× HTTP ${s}`);
      if (errors) parts.push(`${errors} connection errors`);
      if (timeouts) parts.push(`${timeouts} timeouts`);
      return parts.length ? parts.join(', ') : 'no failures';
    };
    const figures: Figure[] = [
      { name: `throughput, 2 API processes, ${CONNECTIONS} connections`, value: two.throughput, unit: 'turns/s', baseline: { name: '1 API process', value: one.throughput } },
      { name: 'latency p50, 2 API processes', value: p(two, 0.5), unit: 'ms', baseline: { name: '1 API process', value: p(one, 0.5) } },
      { name: 'latency p99, 2 API processes', value: p(two, 0.99), unit: 'ms', baseline: { name: '1 API process', value: p(one, 0.99) } },
      { name: 'CPU time per turn, all cluster processes, 2 API processes', value: two.cpuMsPerTurn, unit: 'ms', baseline: { name: '1 API process', value: one.cpuMsPerTurn } },
    ];
    const tables: FigureTable[] = [{ caption: `Offline-engine turns (POST /messages, JSON reply) through \`npm run cluster\`, ${CONNECTIONS} connections: 2 API processes against 1`, figures }];
    const levelNote = (l: Level) =>
      `${l.apis} API process(es): ${l.latencies.length} turns in ${SECONDS} s, ${failures(l)}; answered by the offline engine ${l.offline}, otherwise ${l.other}; stopped (SIGTERM to the process group) in ${(l.stopped.ms / 1000).toFixed(1)} s, npm exit ${l.stopped.code}${l.stopped.killed ? ', KILLED after the grace' : ', every process exited by itself'}.`;
    return {
      setup: [
        '`npm run cluster -- --api N --workers 1` (the built `dist/`, as `npm run cluster` runs it: N API processes on consecutive ports, one job worker), N = 1 then 2, each cluster started, loaded and stopped before the next, in a process group of its own; `LLM_PROVIDER=offline`, on one scratch PostgreSQL database (migrated by the first cluster, the demo company loaded once with `dist/demo/cli.js`) and a Redis key prefix of its own; rate limits raised to 10⁸ per window.',
        `Load: autocannon in the benchmark's process, closed loop, ${CONNECTIONS} connections in all, split evenly over the API ports (no balancer in front: each process gets ${CONNECTIONS} ÷ N connections); every request a fresh \`Idempotency-Key\`, an FAQ question as a signed-in customer on conversations used round-robin, each port its own. Warm-up ${WARMUP_SECONDS} s, then ${SECONDS} s measured.`,
        "CPU: user + system time of every process in the cluster's group (npm, cluster.js, the APIs, the worker) from /proc, before and after the measured load, divided by the turns answered. The machine has 2 cores, shared with PostgreSQL, Redis, the load generator and whatever else runs on it, so a second process can add at most what the first leaves idle.",
        'Stop: SIGTERM to the process group (each API drains as it would alone, cluster.js waits for its children), then the benchmark waits until no process of the group is left, killing them after 60 s.',
      ],
      tables,
      notes: [levelNote(one), levelNote(two)],
    };
  },
};
