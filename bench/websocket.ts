/**
 * WebSocket: 15,000 concurrent idle connections on one service process (authenticated; 10,000 of
 * them following one conversation), the server's memory per connection, and the time to fan one
 * event out to the 10,000. Baseline: a bare `ws` server holding as many connections and
 * broadcasting to as many, measured in the same run. Server and clients are separate processes,
 * so the clients' memory is not counted.
 */
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import type { FigureTable } from './lib/report.js';
import { spawnChild, spawnService, type MemorySample } from './lib/spawn.js';
import { quantile } from './lib/stats.js';
import type { ConnectResult, FanoutRound } from './lib/ws-load.js';

const CONNECTIONS = 15_000;
const FANOUT = 10_000;
const ROUNDS = 5;
const KB = 1024;
/** How long one fan-out round may take before it is reported short instead of timed. */
const ROUND_DEADLINE_MS = 120_000;
/**
 * The service's time for a socket to authenticate, raised from its 10 s default: with 500
 * handshakes in flight on a loaded 2-core machine an `auth` can wait longer than that, and the socket
 * would be closed before it joined (the benchmark is about memory and fan-out, not that timeout).
 */
const AUTH_TIMEOUT_MS = 120_000;

interface Phase {
  before: MemorySample;
  after: MemorySample;
  connected: ConnectResult;
  rounds: FanoutRound[];
}

const perConnection = (p: Phase, pick: (m: MemorySample) => number) => (pick(p.after) - pick(p.before)) / Math.max(1, p.after.connections) / KB;
const heap = (m: MemorySample) => m.heapUsed + m.external;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Rounds in which every expected delivery arrived (the others are reported, not timed). */
const complete = (p: Phase) => p.rounds.filter((r) => !Number.isNaN(r.lastMs));
const medianOf = (xs: number[]) => (xs.length ? quantile(xs, 0.5) : Number.NaN);
const shortfall = (p: Phase) =>
  p.rounds
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => Number.isNaN(r.lastMs))
    .map(
      ({ r, i }) =>
        `round ${i + 1}: ${r.received.toLocaleString('en-US')} of ${r.expected.toLocaleString('en-US')} delivered within ${ROUND_DEADLINE_MS / 1000} s, ${r.open.toLocaleString('en-US')} sockets open`,
    );

/** Benchmark 5 of issue 8. */
export const websocketBenchmark: Benchmark = {
  name: 'websocket',
  title: 'WebSocket',
  async run(log): Promise<BenchResult> {
    const [svc, bare, client] = await Promise.all([
      spawnService({ env: { WS_AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS) } }),
      spawnChild<{ port: number }>('./bare-ws-process.ts', { BENCH_BARE_WS: JSON.stringify({ fanout: FANOUT }) }),
      spawnChild<Record<string, never>>('./ws-load.ts', {}),
    ]);
    client.onMessage((m) => {
      if (m.type === 'progress') log(`  ${String(m.opened)} connections opened`);
      if (m.type === 'progress-note') log(`  ${String(m.note)}`);
    });
    let bareRun: Phase | undefined;
    let appRun: Phase | undefined;
    try {
      log(`bare ws server: ${CONNECTIONS.toLocaleString('en-US')} connections`);
      const bBefore = await bare.request<MemorySample>({ cmd: 'memory' });
      const bConnected = await client.request<ConnectResult>({ cmd: 'connect', url: `ws://127.0.0.1:${bare.ready.port}/`, count: CONNECTIONS });
      await settle(1000);
      const bAfter = await bare.request<MemorySample>({ cmd: 'memory' });
      log(`bare ws server: fan-out to ${FANOUT.toLocaleString('en-US')}, ${ROUNDS} rounds`);
      const bRounds = await client.request<FanoutRound[]>(
        { cmd: 'fanout', mode: 'bare', expect: Math.min(FANOUT, bConnected.open), rounds: ROUNDS, deadlineMs: ROUND_DEADLINE_MS },
        60_000 + ROUNDS * ROUND_DEADLINE_MS,
      );
      bareRun = { before: bBefore, after: bAfter, connected: bConnected, rounds: bRounds };
      await client.request({ cmd: 'close' });
      await bare.request({ cmd: 'stop' });

      const { token } = await svc.request<{ token: string }>({ cmd: 'login', email: 'agent@example.com' });
      const { ids } = await svc.request<{ ids: string[] }>({ cmd: 'conversations', email: 'alice@example.com', count: 1 });
      log(`service: ${CONNECTIONS.toLocaleString('en-US')} connections, each authenticated (a staff token), ${FANOUT.toLocaleString('en-US')} following one conversation`);
      const aBefore = await svc.request<MemorySample>({ cmd: 'memory' });
      const aConnected = await client.request<ConnectResult>({
        cmd: 'connect',
        url: `ws://127.0.0.1:${svc.ready.port}/ws`,
        count: CONNECTIONS,
        token,
        conversationId: ids[0],
        join: FANOUT,
      });
      await settle(1000);
      const aAfter = await svc.request<MemorySample>({ cmd: 'memory' });
      // Every socket that joined gets the event; one that failed to connect or join is counted as failed above.
      log(`service: fan-out of a typing event to the ${aConnected.joined.toLocaleString('en-US')} sockets that joined, ${ROUNDS} rounds`);
      const aRounds = await client.request<FanoutRound[]>(
        { cmd: 'fanout', mode: 'app', conversationId: ids[0], expect: aConnected.joined, rounds: ROUNDS, deadlineMs: ROUND_DEADLINE_MS },
        60_000 + ROUNDS * ROUND_DEADLINE_MS,
      );
      appRun = { before: aBefore, after: aAfter, connected: aConnected, rounds: aRounds };
      await client.request({ cmd: 'close' });
    } finally {
      await Promise.all([
        svc.stop(),
        (async () => {
          if (bare.process.connected) bare.process.disconnect(); // it closes its server and exits
          await bare.exit(5000);
        })(),
        (async () => {
          if (client.process.connected) client.process.disconnect();
          await client.exit(5000);
        })(),
      ]);
    }

    const b = bareRun!;
    const a = appRun!;
    const last = (p: Phase) => medianOf(complete(p).map((r) => r.lastMs));
    const first = (p: Phase) => medianOf(p.rounds.map((r) => r.firstMs).filter((ms) => !Number.isNaN(ms)));
    const worst = (p: Phase) => (complete(p).length ? Math.max(...complete(p).map((r) => r.lastMs)) : Number.NaN);
    const shortNote = (p: Phase) => {
      const s = shortfall(p);
      return s.length ? `${s.length} of ${ROUNDS} rounds short: ${s.join('; ')}` : undefined;
    };
    const tables: FigureTable[] = [
      {
        caption: `${CONNECTIONS.toLocaleString('en-US')} idle connections on one process (server memory after a full GC, before and after connecting)`,
        figures: [
          {
            name: 'connections held open',
            value: a.after.connections,
            unit: '',
            baseline: { name: 'bare ws', value: b.after.connections },
            target: { on: 'value', op: '>=', value: CONNECTIONS },
            note: a.connected.firstError,
          },
          {
            name: 'RSS per connection',
            value: perConnection(a, (m) => m.rss),
            unit: 'KB',
            baseline: { name: 'bare ws', value: perConnection(b, (m) => m.rss) },
            target: { on: 'value', op: '<=', value: 8 },
            note: 'see the notes below',
          },
          { name: 'JS heap + external per connection', value: perConnection(a, heap), unit: 'KB', baseline: { name: 'bare ws', value: perConnection(b, heap) } },
          { name: 'time to open all (service: + authenticate, + join)', value: a.connected.ms / 1000, unit: 's', baseline: { name: 'bare ws, open only', value: b.connected.ms / 1000 } },
        ],
      },
      {
        caption: `Fan-out of one event to ${a.connected.joined.toLocaleString('en-US')} sockets, at the clients (median of the ${complete(a).length} of ${ROUNDS} rounds in which every delivery arrived)`,
        figures: [
          {
            name: 'deliveries, all rounds',
            value: a.rounds.reduce((n, r) => n + r.received, 0),
            unit: '',
            baseline: { name: 'expected', value: a.rounds.reduce((n, r) => n + r.expected, 0) },
            target: { on: 'ratio', op: '>=', value: 1 },
            note: shortNote(a),
          },
          { name: `trigger → last of ${a.connected.joined.toLocaleString('en-US')} deliveries`, value: last(a), unit: 'ms', baseline: { name: 'bare ws broadcast', value: last(b) } },
          { name: 'trigger → first delivery', value: first(a), unit: 'ms', baseline: { name: 'bare ws broadcast', value: first(b) } },
          {
            name: 'trigger → last delivery, worst round',
            value: worst(a),
            unit: 'ms',
            baseline: { name: 'bare ws', value: worst(b) },
          },
        ],
      },
    ];
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
    const kb = (n: number) => `${n.toFixed(2)} KB`;
    return {
      setup: [
        `Service: as \`npm start\` builds it, on PostgreSQL + Redis (Redis event bus and connection registry), in a child process with \`--expose-gc\`, \`WS_MAX_CONNECTIONS_PER_USER\` raised to 100,000 (every connection uses the same staff token), other WebSocket settings at their defaults (heartbeat every 30 s).`,
        `Clients: ${CONNECTIONS.toLocaleString('en-US')} \`ws\` connections from another child process, opened 500 at a time (the baseline's and the service's go to different ports, so the first set's closed ports can be reused); on the service each sends \`auth\` and waits for \`ready\`, and the first ${FANOUT.toLocaleString('en-US')} send \`conversation.join\` for the same conversation and wait for \`joined\`. Then they stay idle.`,
        `Memory: the server process's \`process.memoryUsage()\` after two forced garbage collections, before connecting and 1 s after the last connection, sampled again every second until RSS changes by less than 0.5 % (at most 15 samples: right after 15,000 handshakes V8 and the allocator are still giving memory back); per connection = difference ÷ connections open. Baseline: a bare \`ws\` server in a process of its own, holding as many connections, measured the same way.`,
        `Fan-out: one client sends a \`typing\` event (the service publishes it through Redis to the conversation's followers) or asks the bare server to broadcast; time from that send to the first and to the last delivery (to every socket that joined), at the clients (their own parsing included, the same for both). A round waits up to ${ROUND_DEADLINE_MS / 1000} s; one that falls short by then is reported with how many deliveries arrived and is not timed.`,
      ],
      tables,
      notes: [
        `Service process: RSS ${mb(a.before.rss)} → ${mb(a.after.rss)}, heap used ${mb(a.before.heapUsed)} → ${mb(a.after.heapUsed)}, heap reserved ${mb(a.before.heapTotal)} → ${mb(a.after.heapTotal)} (settled after ${a.before.samples} / ${a.after.samples} samples), external ${mb(a.before.external)} → ${mb(a.after.external)}; per connection: ${kb(perConnection(a, (m) => m.heapUsed))} heap used, ${kb(perConnection(a, (m) => m.heapTotal))} heap reserved, ${kb(perConnection(a, (m) => m.rss - m.heapTotal - m.external))} of RSS outside the JS heap and external memory (bare ws: ${kb(perConnection(b, (m) => m.heapTotal))} reserved, ${kb(perConnection(b, (m) => m.rss - m.heapTotal - m.external))} outside); connecting took ${(a.connected.ms / 1000).toFixed(1)} s, ${a.connected.failed} failed${a.connected.firstError ? ` (first: ${a.connected.firstError})` : ''}. Bare ws: RSS ${mb(b.before.rss)} → ${mb(b.after.rss)}; ${b.connected.failed} failed. Deliveries per round (service): ${a.rounds.map((r) => r.received).join(', ')}.`,
      ],
    };
  },
};
