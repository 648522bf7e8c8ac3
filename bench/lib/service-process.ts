/**
 * Child-process entry of a benchmark: the service (bench/lib/service.ts) listening on loopback,
 * optionally with the baseline next to it in the same process — a bare Fastify route doing one
 * PostgreSQL insert — answering the parent's commands over IPC. Started by
 * spawnService() (bench/lib/spawn.ts); options arrive as JSON in BENCH_SERVICE.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import pg from 'pg';
import { insertMessage } from '../../src/db/queries/messages.js';
import { conversations, users } from '../../src/db/schema.js';
import { measureMemory } from './memory.js';
import { startService } from './service.js';
import type { ServiceCommand, ServiceOptions, ServiceReply } from './spawn.js';

const opts = JSON.parse(process.env.BENCH_SERVICE ?? '{}') as ServiceOptions;
const send = (msg: unknown) => process.send?.(msg);

const service = await startService(opts.env ?? {});
const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
const closers = new Map<'bare' | 'minimal', () => Promise<void>>();
let closing: Promise<void> | undefined;
/** Closes the baselines and the service once (a stop command and the parent's disconnect may both ask). */
const closeAll = () =>
  (closing ??= (async () => {
    for (const c of closers.values()) await c().catch(() => {});
    closers.clear();
    await service.close();
  })());

// The bare baseline: one route, one INSERT on a pool of the same size, in the same database.
let barePort: number | undefined;
if (opts.bare) {
  const pool = new pg.Pool({ connectionString: service.databaseUrl, max: service.deps.config.DATABASE_POOL_SIZE });
  await pool.query('CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
  const bare = Fastify({ logger: false });
  bare.post('/bare', async (request, reply) => {
    const { rows } = await pool.query<{ id: string; created_at: Date }>('INSERT INTO bench_bare (body) VALUES ($1) RETURNING id, created_at', [request.body]);
    return reply.status(201).send(rows[0]);
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  barePort = (bare.server.address() as AddressInfo).port;
  closers.set('bare', async () => {
    await bare.close();
    await pool.end();
  });
}

// The minimal route: what any implementation of a chat turn must do, and nothing else — verify the
// JWT, count one rate limit in Redis (INCR + PEXPIRE in one script), insert the customer's message
// (the service's own query, same pool), publish one event. No agents, no idempotency, no reply.
let minimalPort: number | undefined;
if (opts.minimal) {
  const redis = service.deps.redis;
  if (!redis) throw new Error('the minimal route needs Redis (REDIS_URL)');
  const prefix = service.deps.config.REDIS_KEY_PREFIX;
  redis.defineCommand('benchMinimalCount', {
    numberOfKeys: 1,
    lua: "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n",
  });
  const count = redis as unknown as { benchMinimalCount(key: string, ms: number): Promise<number> };
  const minimal = Fastify({ logger: false });
  minimal.post<{ Params: { id: string }; Body: { content: string } }>('/minimal/:id', async (request, reply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!m) return reply.status(401).send({ error: 'unauthorized' });
    const auth = await service.deps.tokens.verify(m[1]!);
    if (auth.kind !== 'user') return reply.status(401).send({ error: 'unauthorized' });
    const n = await count.benchMinimalCount(`${prefix}minimal:rl:${auth.userId}`, 60_000);
    if (n > 100_000_000) return reply.status(429).send({ error: 'rate_limited' });
    const message = await insertMessage(service.deps.db, { conversationId: request.params.id, role: 'user', content: request.body.content, authorId: auth.userId });
    await redis.publish(`${prefix}minimal:events:${request.params.id}`, JSON.stringify({ type: 'message.created', message }));
    return reply.status(201).send({ user_message: message });
  });
  await minimal.listen({ port: 0, host: '127.0.0.1' });
  minimalPort = (minimal.server.address() as AddressInfo).port;
  closers.set('minimal', () => minimal.close());
}

let profiler: Session | undefined;

async function handle(cmd: ServiceCommand): Promise<unknown> {
  switch (cmd.cmd) {
    case 'login':
      return { token: await service.login(cmd.email) };
    case 'conversations': {
      const [user] = await service.deps.db.select().from(users).where(eq(users.email, cmd.email)).limit(1);
      if (!user) throw new Error(`no user ${cmd.email}`);
      const rows = await service.deps.db
        .insert(conversations)
        .values(Array.from({ length: cmd.count }, () => ({ userId: user.id, customerId: user.customerId, channel: 'api' })))
        .returning({ id: conversations.id });
      return { ids: rows.map((r) => r.id) };
    }
    case 'memory':
      return { ...(await measureMemory()), connections: service.app.realtime.connections() };
    case 'cpu': {
      // CPU time the process has used (user + system, ms): per request it does not depend on how busy the machine is.
      const u = process.cpuUsage();
      return { ms: (u.user + u.system) / 1000 };
    }
    case 'profile': {
      // BENCH_PROFILE_DIR set: a CPU profile of just the measured window (no start-up in it).
      const dir = process.env.BENCH_PROFILE_DIR;
      if (!dir) return { file: null };
      if (cmd.on) {
        profiler ??= new Session();
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
        return { file: null };
      }
      if (!profiler) return { file: null };
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      const file = path.join(dir, `${cmd.name ?? 'service'}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return { file };
    }
    case 'stop':
      await closeAll();
      return {};
  }
}

process.on('message', (raw) => {
  const cmd = raw as ServiceCommand & { id: number };
  handle(cmd).then(
    (value) => send({ id: cmd.id, ok: true, value } satisfies ServiceReply),
    (err: unknown) => send({ id: cmd.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ServiceReply),
  );
});
// The parent went away or stopped us: drop the scratch database and go.
const leave = () => void closeAll().finally(() => process.exit(0));
process.on('disconnect', leave);
process.on('SIGTERM', leave);
process.on('SIGINT', leave);

send({ type: 'ready', port: Number(new URL(address).port), barePort, minimalPort });
