// PostgreSQL and Redis restarted under a steady chat load (issue 13): the service runs as a real
// process (`node dist/main.js`, or src/main.ts through tsx) on a throwaway PostgreSQL cluster and a
// redis-server of its own (./services.ts). Clients each send messages one after another, every one with
// its own Idempotency-Key, retrying the same message with the same key until it is answered. Then the
// database is read: messages acked but not stored (lost), stored twice (duplicated), and user messages
// without exactly one assistant reply (missing replies); and each outage is set against the window in
// which requests failed. Used by restart-under-load.test.ts (short, in `npm test`) and run.ts (`npm run fault`).
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { startProcess, waitForHttp, type RunningProcess } from '../processes.js';
import { freePort, ThrowawayPostgres, ThrowawayRedis } from './services.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** FAQ questions: each gets an answer from the knowledge base, none asks for a person. */
const QUESTIONS = [
  'How long does shipping take?',
  'What is your return policy?',
  'Which plans do you offer?',
  'How do I reset my password?',
  'Do you support single sign-on?',
  'How do I set up my desk phone?',
];

export interface ScenarioOptions {
  clients: number;
  /** How long each service stays down. */
  outageMs: number;
  /** Load before the first outage, and between and after the outages. */
  settleMs: number;
  /** A client gives up on a message it could not get answered in this time (default 90 s). */
  giveUpMs?: number;
  /** 'dist': `node dist/main.js` (run `npm run build` first); 'source': src/main.ts through tsx. */
  entry: 'dist' | 'source';
  log?: (line: string) => void;
}

interface Attempt {
  client: number;
  message: number;
  /** When the message's first attempt was sent. */
  firstAt: number;
  at: number;
  status: number;
  code?: string;
}

interface Sent {
  client: number;
  message: number;
  conversationId: string;
  content: string;
  key: string;
  acked: boolean;
  attempts: number;
}

/** One outage: when the service went down and came back, and when requests failed around it. */
export interface OutageReport {
  service: 'postgresql' | 'redis';
  outageMs: number;
  /**
   * From the first failed attempt after the stop to the last failed one, over the messages sent from the
   * previous restart on (a message stuck since an earlier outage counts there, not here); 0 if none failed.
   */
  errorWindowMs: number;
  /** How far the error window ran past the restart. */
  pastRestartMs: number;
  /** The same, counting only the dependency's own failures (503, 5xx, no answer), not idempotency conflicts. */
  dependencyPastRestartMs: number;
  failed: Record<string, number>;
}

export interface ScenarioReport {
  clients: number;
  messages: number;
  acked: number;
  unacked: number;
  attempts: number;
  byStatus: Record<string, number>;
  lost: number;
  duplicated: number;
  missingReplies: number;
  /** Examples of each problem, for the failure message. */
  examples: string[];
  outages: OutageReport[];
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the whole scenario: services, the app process, the load, two restarts, the accounting. */
export async function runRestartScenario(opts: ScenarioOptions): Promise<ScenarioReport> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  const postgres = await ThrowawayPostgres.start();
  const redis = await ThrowawayRedis.start();
  let app: RunningProcess | undefined;
  try {
    const databaseUrl = await postgres.createDatabase('switchboard');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ANONYMOUS: '1000000',
      RATE_LIMIT_USER: '1000000',
      RATE_LIMIT_CHAT: '1000000',
      CHAT_DEBOUNCE_MS: '0',
      JOBS_WORKER_IN_API: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    };
    const args = opts.entry === 'dist' ? ['--enable-source-maps', '--import', './dist/instrumentation.js', 'dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
    app = startProcess(process.execPath, args, { cwd: ROOT, env });
    await waitForHttp(`${base}/ready`, app, 180_000);
    log(`app up (${opts.entry}) on ${base}; PostgreSQL :${postgres.port}, Redis :${redis.port}`);

    const conversations = await openConversations(base, opts.clients);
    const attempts: Attempt[] = [];
    const sent: Sent[] = [];
    let stopping = false;
    const clients = conversations.map(async (c, client) => {
      for (let message = 0; !stopping; message++) {
        const s: Sent = {
          client,
          message,
          conversationId: c.id,
          content: `${QUESTIONS[(client + message) % QUESTIONS.length]} (ref ${client}-${message}-${randomUUID().slice(0, 8)})`,
          key: randomUUID(),
          acked: false,
          attempts: 0,
        };
        sent.push(s);
        const firstAt = Date.now();
        const giveUpAt = firstAt + (opts.giveUpMs ?? 90_000);
        while (!s.acked && Date.now() < giveUpAt) {
          s.attempts++;
          const a = await attempt(base, c.token, s);
          attempts.push({ client, message, firstAt, ...a });
          if (a.status === 201 || a.status === 200) s.acked = true;
          else await sleep(250);
        }
      }
    });

    // The scenario: load, PostgreSQL down and up, load, Redis down and up, load.
    const outages: { service: OutageReport['service']; down: number; up: number }[] = [];
    await sleep(opts.settleMs);
    for (const service of ['postgresql', 'redis'] as const) {
      const down = Date.now();
      if (service === 'postgresql') postgres.stop();
      else await redis.stop();
      log(`${service} stopped`);
      await sleep(opts.outageMs);
      if (service === 'postgresql') await postgres.restart();
      else await redis.restart();
      const up = Date.now();
      log(`${service} back after ${up - down} ms`);
      outages.push({ service, down, up });
      await sleep(opts.settleMs);
    }
    stopping = true;
    await Promise.all(clients);

    const stored = await readStored(databaseUrl, sent);
    return {
      clients: opts.clients,
      messages: sent.length,
      acked: sent.filter((s) => s.acked).length,
      unacked: sent.filter((s) => !s.acked).length,
      attempts: attempts.length,
      byStatus: countBy(attempts.map((a) => String(a.status))),
      ...stored,
      outages: outages.map((o, i) => outageReport(o, attempts, outages[i - 1]?.up ?? 0, outages[i + 1]?.down ?? Number.POSITIVE_INFINITY)),
      ms: Date.now() - started,
    };
  } finally {
    const code = await app?.stop(20_000);
    if (code !== undefined && code !== 0) log(`app exited with ${code}:\n${app?.output().slice(-3000)}`);
    postgres.destroy();
    await redis.destroy();
  }
}

/** One conversation per client: half anonymous visitors (conversation tokens), half signed-in customers. */
async function openConversations(base: string, n: number): Promise<{ id: string; token: string }[]> {
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const out: { id: string; token: string }[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      const c = await post('/api/v1/conversations', {});
      out.push({ id: c.id as string, token: c.conversation_token as string });
    } else {
      const user = await post('/api/v1/auth/register', { email: `fault-${i}-${randomUUID().slice(0, 8)}@example.org`, password: 'a long password', name: `Client ${i}` });
      const token = user.access_token as string;
      const c = await post('/api/v1/conversations', { subject: `load ${i}` }, token);
      out.push({ id: c.id as string, token });
    }
  }
  return out;
}

/**
 * One try of one message: its status (0 when no answer came within 10 s) and error code; a failure
 * outside the envelope (no code or no correlation id) is `not_envelope`, and a 503 or 429 without
 * Retry-After has " without Retry-After" after its code.
 */
async function attempt(base: string, token: string, s: Sent): Promise<{ at: number; status: number; code?: string }> {
  const at = Date.now();
  try {
    const res = await fetch(`${base}/api/v1/conversations/${s.conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': s.key },
      body: JSON.stringify({ content: s.content }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let code: string | undefined;
    if (!res.ok) {
      let body: { error?: { code?: string }; correlation_id?: string } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // not JSON: outside the envelope
      }
      code = body.error?.code && body.correlation_id ? body.error.code : 'not_envelope';
      if ((res.status === 503 || res.status === 429) && !(Number(res.headers.get('retry-after')) > 0)) code += ' without Retry-After';
    }
    return { at, status: res.status, code };
  } catch (err) {
    return { at, status: 0, code: (err as Error).name };
  }
}

/** Reads what the database holds for the messages sent. */
async function readStored(url: string, sent: Sent[]): Promise<Pick<ScenarioReport, 'lost' | 'duplicated' | 'missingReplies' | 'examples'>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const ids = [...new Set(sent.map((s) => s.conversationId))];
    const { rows } = await c.query<{ id: string; content: string; replies: number }>(
      `SELECT m.id, m.content, (SELECT count(*)::int FROM messages r WHERE r.reply_to = m.id AND r.role = 'assistant') AS replies
         FROM messages m WHERE m.conversation_id = ANY($1::uuid[]) AND m.role = 'user'`,
      [ids],
    );
    const byContent = new Map<string, { id: string; replies: number }[]>();
    for (const r of rows) byContent.set(r.content, [...(byContent.get(r.content) ?? []), r]);
    const examples: string[] = [];
    let lost = 0;
    let duplicated = 0;
    for (const s of sent) {
      const copies = byContent.get(s.content)?.length ?? 0;
      if (s.acked && copies === 0) {
        lost++;
        examples.push(`lost: "${s.content}" (acked after ${s.attempts} attempts)`);
      }
      if (copies > 1) {
        duplicated += copies - 1;
        examples.push(`stored ${copies}×: "${s.content}" (${s.attempts} attempts)`);
      }
    }
    const unanswered = rows.filter((r) => r.replies !== 1);
    for (const r of unanswered.slice(0, 10)) examples.push(`${r.replies} replies: "${r.content}"`);
    return { lost, duplicated, missingReplies: unanswered.length, examples: examples.slice(0, 30) };
  } finally {
    await c.end();
  }
}

function outageReport(o: { service: OutageReport['service']; down: number; up: number }, attempts: Attempt[], from: number, nextDown: number): OutageReport {
  const failed = attempts.filter((a) => a.firstAt >= from && a.at >= o.down && a.at < nextDown && a.status !== 200 && a.status !== 201);
  const first = failed.reduce((m, a) => Math.min(m, a.at), Number.POSITIVE_INFINITY);
  const last = (list: Attempt[]) => list.reduce((m, a) => Math.max(m, a.at), 0);
  const dependency = failed.filter((a) => a.status === 0 || a.status >= 500);
  return {
    service: o.service,
    outageMs: o.up - o.down,
    errorWindowMs: failed.length ? last(failed) - first : 0,
    pastRestartMs: failed.length ? Math.max(0, last(failed) - o.up) : 0,
    dependencyPastRestartMs: dependency.length ? Math.max(0, last(dependency) - o.up) : 0,
    failed: countBy(failed.map((a) => `${a.status}${a.code ? ` ${a.code}` : ''}`)),
  };
}

function countBy(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** The report as the lines a run prints. */
export function formatScenario(r: ScenarioReport): string {
  const lines = [
    `restart under load: ${r.clients} clients, ${r.messages} messages (${r.acked} acked, ${r.unacked} never acked), ${r.attempts} attempts in ${(r.ms / 1000).toFixed(1)} s`,
    `  attempts by status: ${Object.entries(r.byStatus)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')}`,
    `  lost ${r.lost}, duplicated ${r.duplicated}, missing replies ${r.missingReplies}`,
  ];
  for (const o of r.outages) {
    lines.push(
      `  ${o.service}: down ${(o.outageMs / 1000).toFixed(1)} s, requests failed for ${(o.errorWindowMs / 1000).toFixed(1)} s (${(o.pastRestartMs / 1000).toFixed(1)} s past the restart; 503/no answer until ${(o.dependencyPastRestartMs / 1000).toFixed(1)} s past it): ${
        Object.entries(o.failed)
          .map(([s, n]) => `${s} ×${n}`)
          .join(', ') || 'none'
      }`,
    );
  }
  for (const e of r.examples.slice(0, 15)) lines.push(`  ${e}`);
  return lines.join('\n');
}
