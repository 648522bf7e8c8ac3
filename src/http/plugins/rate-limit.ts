import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { redisBatch } from '../../infra/redis-batch.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route's extra rate-limit budget. 'chat' (a turn that runs the agents) counts against the
     * chat budget (RATE_LIMIT_CHAT) as well as the caller's general one.
     */
    rateLimitClass?: 'chat';
  }
}

export interface RateLimitPluginOptions {
  config: Pick<Config, 'RATE_LIMIT_ENABLED' | 'RATE_LIMIT_WINDOW_SECONDS' | 'RATE_LIMIT_ANONYMOUS' | 'RATE_LIMIT_USER' | 'RATE_LIMIT_CHAT' | 'REDIS_KEY_PREFIX'>;
  /** Shared Redis: every API process then draws on the same budgets. Null: in-process counters. */
  redis: Redis | null;
}

/** Who a request is counted as: the signed-in user, else the client address (conversation tokens are free to mint). */
export function rateLimitKey(request: FastifyRequest): string {
  return request.auth.kind === 'user' ? `user:${request.auth.userId}` : `ip:${normalizeIP(request.ip)}`;
}

interface Outcome {
  max: number;
  remaining: number;
  ttlInSeconds: number;
  isExceeded: boolean;
}

function setHeaders(reply: FastifyReply, o: Outcome): void {
  reply.header('ratelimit-limit', o.max);
  reply.header('ratelimit-remaining', o.remaining);
  reply.header('ratelimit-reset', o.ttlInSeconds);
}

type Done = (err: Error | null, res?: { current: number; ttl: number }) => void;

/**
 * The limiter's Redis store: each count (INCR in a fixed window, as @fastify/rate-limit's own
 * RedisStore) goes through the connection's batch, so a request's general and chat counts and the
 * session check (and a route's prefetch) are one script call, one round trip (infra/redis-batch.ts).
 * Keys: `<namespace><limiter key>` (the chat limiter's keys start with `chat:`).
 */
function batchedStore(redis: Redis, namespace: string) {
  const batch = redisBatch(redis);
  return class BatchedRedisStore {
    incr(key: string, done: Done, timeWindow: number): void {
      batch.count(namespace + key, timeWindow).then(
        (c) => done(null, { current: c.count, ttl: c.ttlMs }),
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      );
    }

    child(): BatchedRedisStore {
      return this;
    }
  };
}

/**
 * Rate limits for the API (`/api/...`): anonymous callers by address, signed-in users by id, and
 * chat turns on a budget of their own. Counters live in Redis when configured (one budget across all
 * processes), in process otherwise. Answers 429 in the error envelope with Retry-After and the
 * RateLimit-* headers; if Redis fails, requests are let through rather than refused.
 */
export default fp(
  async function rateLimit(app: FastifyInstance, opts: RateLimitPluginOptions) {
    const c = opts.config;
    if (!c.RATE_LIMIT_ENABLED) return;
    const timeWindow = c.RATE_LIMIT_WINDOW_SECONDS * 1000;
    await app.register(fastifyRateLimit, {
      global: false,
      timeWindow,
      keyGenerator: rateLimitKey,
      max: (_request, key) => (key.startsWith('user:') ? c.RATE_LIMIT_USER : c.RATE_LIMIT_ANONYMOUS),
      skipOnError: true,
      ...(opts.redis ? { store: batchedStore(opts.redis, `${c.REDIS_KEY_PREFIX}rl:`) } : {}),
    });
    const general = app.createRateLimit();
    const chat = app.createRateLimit({ timeWindow, max: c.RATE_LIMIT_CHAT, keyGenerator: (r) => `chat:${rateLimitKey(r)}`, skipOnError: true });

    app.addHook('onRequest', async (request, reply) => {
      if (!request.routeOptions.url?.startsWith('/api/')) return;
      // Redis not connected: let the request through at once (as skipOnError would, after the timeout).
      if (opts.redis && opts.redis.status !== 'ready') return;
      const checks = [general];
      if (request.routeOptions.config.rateLimitClass === 'chat') checks.push(chat);
      let tightest: Outcome | undefined;
      // Both counts at once: one script call with the auth hook's session read (the connection's batch).
      for (const r of await Promise.all(checks.map((check) => check(request)))) {
        if (r.isAllowed) continue;
        if (r.isExceeded) {
          setHeaders(reply, { ...r, remaining: 0 });
          reply.header('retry-after', r.ttlInSeconds);
          throw new AppError('rate_limited', 429, `Too many requests; retry in ${r.ttlInSeconds} s`, {
            limit: r.max,
            window_seconds: c.RATE_LIMIT_WINDOW_SECONDS,
            retry_after_seconds: r.ttlInSeconds,
          });
        }
        if (!tightest || r.remaining < tightest.remaining) tightest = r;
      }
      if (tightest) setHeaders(reply, tightest);
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
