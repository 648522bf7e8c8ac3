import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MemoryCache, RedisCache } from '../src/infra/cache.js';
import { createRedis } from '../src/infra/redis.js';
import { buildApp, type AppDeps } from '../src/app.js';
import { TokenService } from '../src/auth/tokens.js';
import { loadConfig, type Config } from '../src/config.js';
import { seedDemo } from '../src/db/seed/seed.js';
import { localEmbedder } from '../src/llm/embeddings.js';
import { trainIntentClassifier, type IntentClassifier } from '../src/llm/offline/classifier.js';
import { createTestDatabase, type Driver, type TestDatabase } from './db.js';

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
export async function createTestApp(driver: Driver, env: Record<string, string> = {}): Promise<TestApp> {
  const testDb = await createTestDatabase(driver);
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_KEY_PREFIX: `sbtest:${randomUUID()}:`,
    ...(testDb.url ? { DATABASE_URL: testDb.url } : {}),
    ...env,
  });
  const embedder = localEmbedder(config.EMBEDDING_DIMENSIONS);
  classifier ??= trainIntentClassifier();
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL) : null;
  const deps: AppDeps = {
    config,
    database: testDb.database,
    redis,
    // Each test app gets its own Redis key space, so test files never see each other's keys.
    cache: redis ? new RedisCache(redis, `${config.REDIS_KEY_PREFIX}`) : new MemoryCache(),
    db: testDb.database.db,
    embedder,
    classifier,
    tokens: new TokenService({ secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS }),
    readiness: { database: () => testDb.database.ping() },
  };
  await seedDemo(deps.db, embedder);
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  return {
    app,
    deps,
    testDb,
    async close() {
      await app.close();
      await redis?.quit();
      await testDb.drop();
    },
    async login(email, password = 'switchboard-demo') {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
      return res.json().access_token as string;
    },
  };
}
