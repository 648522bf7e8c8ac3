import type { AppDeps } from './app.js';
import { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import { ensureEmbeddingDimensions, openDatabase } from './db/client.js';
import { MemoryCache, RedisCache } from './infra/cache.js';
import { createRedis } from './infra/redis.js';
import { createEventBus } from './realtime/create-bus.js';
import { seedDemo } from './db/seed/seed.js';
import { reembedAll } from './knowledge/ingest.js';
import { createEmbedder } from './llm/embeddings.js';
import { buildLlm } from './agents/llm.js';
import { trainIntentClassifier } from './llm/offline/classifier.js';
import { createObservability } from './observability/wiring.js';

/** Opens and prepares everything the service depends on: database (migrated), embedder, classifier, tokens. */
export async function createDeps(config: Config, log: (msg: string) => void = () => {}): Promise<AppDeps> {
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
  await database.migrate();
  const embedder = createEmbedder(config);
  if (await ensureEmbeddingDimensions(database.db, config.EMBEDDING_DIMENSIONS)) {
    log(`embedding column retyped to vector(${config.EMBEDDING_DIMENSIONS}); re-embedding the knowledge base`);
    await reembedAll(database.db, embedder);
  }
  const started = performance.now();
  const classifier = trainIntentClassifier();
  log(`intent classifier trained in ${Math.round(performance.now() - started)} ms`);
  const tokens = new TokenService({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, { name: 'switchboard-api' }) : null;
  const cache = redis ? new RedisCache(redis, config.REDIS_KEY_PREFIX) : new MemoryCache();
  const readiness: AppDeps['readiness'] = { database: () => database.ping() };
  if (redis) {
    readiness.redis = async () => {
      await redis.ping();
    };
  }
  // Metrics, the job runner (BullMQ with Redis, in-process otherwise) and the queues probe.
  const { metrics, jobs } = createObservability({ config, db: database.db, embedder, readiness });
  const bus = createEventBus(config, redis, (err, what) => log(`realtime: ${what} failed: ${(err as Error).message}`));
  const deps: AppDeps = {
    config,
    database,
    bus,
    redis,
    cache,
    db: database.db,
    embedder,
    classifier,
    tokens,
    readiness,
    metrics,
    jobs,
    // The models: LLM_PROVIDER behind timeouts, retries, breaker, usage; the offline engine as fallback.
    llm: buildLlm({ config, db: database.db, classifier, embedder }, (err) => log(`llm: ${(err as Error).message}`)),
  };
  if (config.SEED_DEMO) {
    const seeded = await seedDemo(database.db, embedder);
    if (seeded) log(`demo company loaded: ${seeded.customers} customers, ${seeded.documents} knowledge articles`);
  }
  return deps;
}
