/**
 * The service as production runs it (createDeps → buildApp, PostgreSQL + Redis), on a scratch
 * PostgreSQL database and a Redis key prefix of its own, with the demo company loaded; closing it
 * drops both. Benchmarks run it in their own process (round trips, cost) or in a child process
 * (bench/lib/service-process.ts) so the load generator does not share its event loop.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp, type AppDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.js';
import { createDeps } from '../../src/deps.js';
import { deleteRedisKeys } from '../../test/redis.js';
import { postgresServerUrl } from './postgres.js';

/** The Redis server benchmarks use (as the tests do). */
export const BENCH_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A running service on its scratch database. */
export interface Service {
  app: FastifyInstance;
  deps: AppDeps;
  /** The scratch database's URL (the bare baseline route writes to it too). */
  databaseUrl: string;
  /** Signs a demo user in (password `switchboard-demo`) and returns the access token. */
  login(email: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Settings every benchmark app gets: limits raised so the benchmark measures the turn rather than
 * the limiter (the limiter still runs on every request, through Redis), budgets far above what a
 * run spends (the budget queries still run), quiet logs.
 */
export const BENCH_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SEED_DEMO: 'true',
  RATE_LIMIT_ANONYMOUS: '100000000',
  RATE_LIMIT_USER: '100000000',
  RATE_LIMIT_CHAT: '100000000',
  LLM_BUDGET_CONVERSATION_USD: '1000',
  LLM_BUDGET_CUSTOMER_DAY_USD: '100000',
  LLM_BUDGET_GLOBAL_DAY_USD: '1000000',
  LLM_BREAKER_FAILURES: '1000',
  WS_MAX_CONNECTIONS_PER_USER: '100000',
};

/** Starts the service on a new scratch database; `env` adds to (and overrides) BENCH_ENV. */
export async function startService(env: Record<string, string> = {}): Promise<Service> {
  const server = postgresServerUrl();
  const name = `sb_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (err) {
    throw new Error(`this benchmark needs PostgreSQL (with pgvector) at ${server} (TEST_DATABASE_URL) and Redis at ${BENCH_REDIS_URL} (TEST_REDIS_URL): ${(err as Error).message}`);
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  const prefix = `sbbench:${name}:`;
  const config = loadConfig({ ...BENCH_ENV, DATABASE_URL: url.toString(), REDIS_URL: BENCH_REDIS_URL, REDIS_KEY_PREFIX: prefix, ...env });
  let deps: AppDeps | undefined;
  let app: FastifyInstance | undefined;
  const dropAll = async () => {
    await app?.close().catch(() => {});
    await deps?.jobs.close().catch(() => {});
    await deps?.database.close().catch(() => {});
    if (deps?.redis) {
      await deleteRedisKeys(prefix, deps.redis).catch(() => {});
      await deps.redis.quit().catch(() => {});
    }
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
  try {
    deps = await createDeps(config);
    app = await buildApp(deps, { logger: false });
    await app.ready();
  } catch (err) {
    await dropAll();
    throw err;
  }
  const ready = app;
  return {
    app: ready,
    deps,
    databaseUrl: url.toString(),
    async login(email) {
      const res = await ready.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
      return (res.json() as { access_token: string }).access_token;
    },
    close: dropAll,
  };
}
