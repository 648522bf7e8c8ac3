import { Redis, type RedisOptions } from 'ioredis';

/** How long one Redis command may take before it fails (the request path's Redis timeout). */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * Opens an ioredis connection. `forBullmq` sets what BullMQ requires (no per-command retry limit).
 * Keys are not prefixed here: each user of Redis namespaces its keys with the configured prefix.
 */
export function createRedis(url: string, opts: { forBullmq?: boolean; name?: string } = {}): Redis {
  const options: RedisOptions = {
    lazyConnect: false,
    enableAutoPipelining: true,
    connectionName: opts.name ?? 'switchboard',
    connectTimeout: 2000,
    // Redis being down must make a request fail fast, never hang: a command not answered within
    // REDIS_COMMAND_TIMEOUT_MS rejects (BullMQ's blocking connections are exempt, as BullMQ requires).
    maxRetriesPerRequest: opts.forBullmq ? null : 1,
    ...(opts.forBullmq ? {} : { commandTimeout: REDIS_COMMAND_TIMEOUT_MS }),
    // Reconnect quickly after a restart: at most a second between attempts.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  };
  const redis = new Redis(url, options);
  // Without a listener ioredis prints every failed reconnect attempt. An outage is reported where it
  // matters: failed commands (503s, cache misses, the bus's error reporter) and /ready.
  redis.on('error', () => {});
  return redis;
}
