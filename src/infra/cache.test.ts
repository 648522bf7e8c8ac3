import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryCache, RedisCache, type Cache } from './cache.js';
import { createRedis } from './redis.js';

const redis = createRedis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
afterAll(() => redis.quit());

const caches: [string, () => Cache][] = [
  ['memory', () => new MemoryCache(3)],
  ['redis', () => new RedisCache(redis, `sbtest:${randomUUID()}:`)],
];

describe.each(caches)('%s cache', (_name, make) => {
  it('stores, reads and deletes JSON values', async () => {
    const c = make();
    await c.set('a', { n: 1, s: 'x' }, 60);
    expect(await c.get('a')).toEqual({ n: 1, s: 'x' });
    await c.del('a');
    expect(await c.get('a')).toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    const c = make();
    await c.set('short', 1, 1);
    expect(await c.get('short')).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await c.get('short')).toBeUndefined();
  });
});

describe('memory cache bound', () => {
  it('evicts the oldest entry when full', async () => {
    const c = new MemoryCache(2);
    await c.set('1', 1, 60);
    await c.set('2', 2, 60);
    await c.set('3', 3, 60);
    expect(await c.get('1')).toBeUndefined();
    expect(await c.get('3')).toBe(3);
  });
});
