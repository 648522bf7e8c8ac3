import { v7 as uuidv7 } from 'uuid';
import type { AppDeps } from './app.js';
import { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import { createOfflineEngine } from './agents/llm.js';
import { precomputeKnowledge } from './agents/offline/knowledge-cache.js';
import { type Database, ensureEmbeddingDimensions, openDatabase } from './db/client.js';
import { countActiveConversations } from './db/queries/outcomes.js';
import { allPassages } from './db/queries/knowledge.js';
import { insertUsageRows, usageSpend } from './db/queries/usage.js';
import { seedDemo } from './demo/seed.js';
import { MemoryCache, RedisCache } from './infra/cache.js';
import { createRedis } from './infra/redis.js';
import { createJobRunner } from './jobs/index.js';
import type { JobLogger } from './jobs/job.js';
import { reembedAll } from './knowledge/ingest.js';
import { queueStaleReindex } from './jobs/knowledge-ingestion.js';
import { costBudget } from './llm/cost-budget.js';
import { createEmbedder, type Embedder } from './llm/embeddings.js';
import type { IntentClassifier } from './llm/offline/classifier.js';
import { loadRouterClassifier } from './llm/offline/router-model.js';
import { createLlm, type LlmOptions } from './llm/registry.js';
import { UsageBuffer, usageRecorder } from './llm/usage-recorder.js';
import { llmObserver } from './observability/llm-observer.js';
import { createLogger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createEventBus } from './realtime/create-bus.js';

/** How recently a conversation must have moved to count in active_conversations. */
export const ACTIVE_WINDOW_MINUTES = 30;

/**
 * What a caller of createDeps may supply instead of what the configuration would build: tests share a
 * database, a trained classifier or AI SDK mock models; everything else is assembled here as in production.
 */
export interface DepsOverrides {
  /** Start-up steps (classifier trained, demo loaded); default: nothing. */
  log?: (msg: string) => void;
  /** Failures reported while running (event bus, LLM observers, usage rows); default: `log`. */
  warn?: (msg: string) => void;
  /** An open database (tests: a fresh one); default: opened from DATABASE_URL or DATA_DIR. It is migrated all the same. */
  database?: Database;
  /** An intent classifier to use instead of the trained router model (tests share one; loading takes a fraction of a second). */
  classifier?: IntentClassifier;
  embedder?: Embedder;
  metrics?: Metrics;
  /** The job processors' logger; default: pino at LOG_LEVEL. */
  jobLog?: JobLogger;
  /** Delay before a failed job's retry (tests); default: each queue's policy. */
  jobBackoffMs?: number;
  /** Load the demo company; default: SEED_DEMO. */
  seed?: boolean;
  /** The Redis connection's client name (CLIENT LIST); default `switchboard-api`. */
  processName?: string;
  /** The clock business hours are read against (tests fix it); default: the system clock. */
  now?: () => Date;
  /** The raw model per model id, retry sleep, clock (tests with AI SDK mock models). */
  llm?: Pick<LlmOptions, 'providerModel' | 'sleep' | 'random' | 'now'>;
}

/**
 * The composition root: opens and prepares everything the service depends on — the database
 * (migrated), embedder, classifier, tokens, Redis, cache, event bus, metrics, job runner, and the
 * LLM registry with its observers (metrics, spans) and cost budgets. main.ts, worker.ts, the tests,
 * bench and eval all build the app here, so what the tests exercise is what production runs.
 */
export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<AppDeps> {
  const log = overrides.log ?? (() => {});
  const warn = overrides.warn ?? log;
  const database = overrides.database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE }));
  const migrated = await database.migrate();
  if (migrated) log(`${migrated} migration(s) applied`);
  const db = database.db;
  const embedder = overrides.embedder ?? createEmbedder(config);
  if (await ensureEmbeddingDimensions(db, config.EMBEDDING_DIMENSIONS)) {
    log(`embedding column retyped to vector(${config.EMBEDDING_DIMENSIONS}); re-embedding the knowledge base`);
    await reembedAll(db, embedder);
  }
  let classifier = overrides.classifier;
  if (!classifier) {
    const started = performance.now();
    classifier = loadRouterClassifier();
    log(`intent classifier loaded in ${Math.round(performance.now() - started)} ms`);
  }
  const tokens = new TokenService({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, { name: overrides.processName ?? 'switchboard-api' }) : null;
  // Each deployment (and each test app) has its own Redis key space under REDIS_KEY_PREFIX.
  const cache = redis ? new RedisCache(redis, config.REDIS_KEY_PREFIX) : new MemoryCache();
  const readiness: AppDeps['readiness'] = { database: () => database.ping() };
  if (redis) readiness.redis = async () => void (await redis.ping());

  // Metrics, the job runner (BullMQ with Redis, in-process otherwise) and the scrape-time gauges.
  const metrics = overrides.metrics ?? createMetrics();
  const jobLog = overrides.jobLog ?? createLogger(config.LOG_LEVEL);
  const jobs = createJobRunner(config, { db, embedder, config, metrics, log: jobLog }, { backoffMs: overrides.jobBackoffMs });
  readiness.queues = () => jobs.ping();
  metrics.bindSources({
    activeConversations: () => countActiveConversations(db, ACTIVE_WINDOW_MINUTES),
    queueDepths: () => jobs.depths(),
    readiness,
  });

  const bus = createEventBus(config, redis, (err, what) => warn(`realtime: ${what} failed: ${(err as Error).message}`));

  // The models: LLM_PROVIDER behind timeouts, retries, breaker and usage rows, the offline engine as
  // fallback; one observer turns every call into metrics and a span; the cost budgets gate each call.
  const onLlmError = (err: unknown) => warn(`llm: ${(err as Error).message}`);
  // Usage rows are written after the turn's reply, all of a turn's in one insert (UsageBuffer).
  const usage = new UsageBuffer((rows) => insertUsageRows(db, rows), onLlmError, { newId: uuidv7 });
  const budget = config.LLM_PROVIDER !== 'offline' ? costBudget(usageSpend(db), config, metrics) : undefined;
  const llm = createLlm(config, {
    offline: createOfflineEngine({ classifier, embedder, config }),
    record: usageRecorder(async (row) => {
      // The budgets count the call at once (this turn's next call sees it); its row waits for the turn's reply.
      budget?.noteSpend(row);
      return usage.add(row);
    }, onLlmError),
    settleUsage: (ids, messageId, conversationId) => usage.settle(ids, messageId, conversationId),
    flushUsage: () => usage.flush(),
    onError: onLlmError,
    ...overrides.llm,
  });
  llm.addObserver(llmObserver(metrics));
  if (budget) llm.setBudget(budget);

  const deps: AppDeps = { config, database, db, bus, redis, cache, embedder, classifier, tokens, readiness, metrics, jobs, llm, ...(overrides.now ? { now: overrides.now } : {}) };
  if (overrides.seed ?? config.SEED_DEMO) {
    const seeded = await seedDemo(db, embedder);
    if (seeded) log(`demo company loaded: ${seeded.customers} customers, ${seeded.documents} knowledge articles`);
  }
  // Passages an older embedder or chunking made (e.g. the local embedder's v1) are re-made by a job.
  const due = await queueStaleReindex(jobs, db, embedder);
  if (due) log(`knowledge: ${due} document(s) embedded by another model or chunking; re-embedding them in the background`);
  // The offline engine's work on the knowledge base (sentence vectors, units, words) done once now,
  // so an offline turn embeds only the question. Provider embedders fill the same cache on first use.
  if (config.EMBEDDING_PROVIDER === 'local') {
    const started = performance.now();
    const texts = await precomputeKnowledge(embedder, await allPassages(db));
    log(`offline engine: ${texts} knowledge texts precomputed in ${Math.round(performance.now() - started)} ms`);
  }
  return deps;
}
