import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { EventBus } from './bus.js';
import { MemoryEventBus } from './memory-bus.js';
import { RedisEventBus } from './redis-bus.js';

/** The event bus for this process: Redis streams + pub/sub when Redis is configured, in-process otherwise. */
export function createEventBus(
  config: Pick<Config, 'REDIS_KEY_PREFIX' | 'REALTIME_RETENTION_SECONDS' | 'REALTIME_RETENTION_EVENTS'>,
  redis: Redis | null,
  onError: (err: unknown, what: string) => void,
): EventBus {
  const retention = { retentionSeconds: config.REALTIME_RETENTION_SECONDS, maxEvents: config.REALTIME_RETENTION_EVENTS };
  return redis ? new RedisEventBus(redis, config.REDIS_KEY_PREFIX, retention, onError) : new MemoryEventBus(retention, 10_000, onError);
}
