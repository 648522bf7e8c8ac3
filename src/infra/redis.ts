import { Redis, type RedisOptions } from 'ioredis';

/**
 * Opens an ioredis connection. `forBullmq` sets what BullMQ requires (no per-command retry limit).
 * Keys are not prefixed here: each user of Redis namespaces its keys with the configured prefix.
 */
export function createRedis(url: string, opts: { forBullmq?: boolean; name?: string } = {}): Redis {
  const options: RedisOptions = {
    lazyConnect: false,
    enableAutoPipelining: true,
    connectionName: opts.name ?? 'switchboard',
    maxRetriesPerRequest: opts.forBullmq ? null : 3,
  };
  return new Redis(url, options);
}
