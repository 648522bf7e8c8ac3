/**
 * Child-process entry of a benchmark: the service (bench/lib/service.ts) listening on loopback,
 * optionally with the baseline next to it in the same process — a bare Fastify route doing one
 * PostgreSQL insert — answering the parent's commands over IPC. Started by
 * spawnService() (bench/lib/spawn.ts); options arrive as JSON in BENCH_SERVICE.
 */
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import pg from 'pg';
import { conversations, users } from '../../src/db/schema.js';
import { measureMemory } from './memory.js';
import { startService } from './service.js';
import type { ServiceCommand, ServiceOptions, ServiceReply } from './spawn.js';

const opts = JSON.parse(process.env.BENCH_SERVICE ?? '{}') as ServiceOptions;
const send = (msg: unknown) => process.send?.(msg);

const service = await startService(opts.env ?? {});
const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
const closers = new Map<'bare', () => Promise<void>>();
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

send({ type: 'ready', port: Number(new URL(address).port), barePort });
