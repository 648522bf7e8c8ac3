import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp, type AppDeps } from '../src/app.js';
import { createDeps } from '../src/deps.js';
import { loadConfig, type Config } from '../src/config.js';
import type { IntentClassifier } from '../src/llm/offline/classifier.js';
import { loadRouterClassifier } from '../src/llm/offline/router-model.js';
import { createTestDatabase, type Driver, type TestDatabase } from './db.js';
import { deleteRedisKeys } from './redis.js';
import { apiRunsWorkers } from '../src/jobs/index.js';

let classifier: IntentClassifier | undefined;

/** A running app on a fresh database of the given driver, with the demo company loaded. */
export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  testDb: TestDatabase;
  close(): Promise<void>;
  /** Signs in and returns an access token. */
  login(email: string, password?: string): Promise<string>;
}

/** The Redis server tests use (`.ci/run` sets it); pass `{ REDIS_URL: TEST_REDIS_URL }` to a test app to use it. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Builds the real app (real database, real offline engine) for route tests. */
export async function createTestApp(
  driver: Driver,
  env: Record<string, string> = {},
  opts: { logger?: FastifyServerOptions['logger']; jobBackoffMs?: number; databaseServerUrl?: string; now?: () => Date } = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase(driver, opts.databaseServerUrl);
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_KEY_PREFIX: `sbtest:${randomUUID()}:`,
    // Rate limits stay on (every route test runs through the limiter) but far above what a test sends;
    // a test of the limits themselves passes its own RATE_LIMIT_* values.
    RATE_LIMIT_ANONYMOUS: '1000000',
    RATE_LIMIT_USER: '1000000',
    RATE_LIMIT_CHAT: '1000000',
    ...(testDb.url ? { DATABASE_URL: testDb.url } : {}),
    ...env,
  });
  classifier ??= loadRouterClassifier();
  // The app as production assembles it (createDeps), on this test's database, with the demo company;
  // silent unless a test captures logs; jobs retry after opts.jobBackoffMs (default: each queue's policy).
  const deps = await createDeps(config, { database: testDb.database, classifier, seed: true, warn: reportError, jobBackoffMs: opts.jobBackoffMs, now: opts.now });
  const { jobs, redis } = deps;
  const app = await buildApp(deps, { logger: opts.logger ?? false });
  await app.ready();
  if (apiRunsWorkers(config)) await jobs.startWorkers();
  return {
    app,
    deps,
    testDb,
    async close() {
      await app.close();
      await jobs.close();
      if (redis) {
        await deleteRedisKeys(config.REDIS_KEY_PREFIX, redis);
        await redis.quit();
      }
      await testDb.drop();
    },
    async login(email, password = 'switchboard-demo') {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
      return res.json().access_token as string;
    },
  };
}

function reportError(msg: string): void {
  console.warn(`[test app] ${msg}`);
}

/**
 * A second API process for the same test app: its own app, Redis connections and event bus, the
 * same database and Redis key space (multi-instance tests). Closing it leaves the first one running.
 */
export async function createSiblingApp(t: TestApp): Promise<TestApp> {
  // Its own Redis connections, event bus, metrics and job queues, as a second process would have.
  const deps = await createDeps(t.deps.config, { database: t.deps.database, classifier: t.deps.classifier, embedder: t.deps.embedder, seed: false, warn: reportError });
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    testDb: t.testDb,
    async close() {
      await app.close();
      await deps.jobs.close();
      await deps.redis?.quit();
    },
    login: t.login,
  };
}
