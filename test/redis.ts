import { Redis } from 'ioredis';

/**
 * Deletes every key under a test's Redis prefix (the realtime counters would otherwise outlive the
 * test run). Uses `redis` when given, else a connection of its own to TEST_REDIS_URL.
 */
export async function deleteRedisKeys(prefix: string, redis?: Redis): Promise<void> {
  const client = redis ?? new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    if (!redis) await client.quit();
  }
}
