import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandLog, instrumentClients } from '../../bench/lib/command-log.js';
import { TEST_REDIS_URL } from '../../test/app.js';
import { redisBatch } from './redis-batch.js';

describe('RedisBatch (real Redis)', () => {
  const redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
  const prefix = `test:batch:${randomUUID()}:`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('sends the GETs and counts of one tick as one command, each answered in order', async () => {
    await redis.set(`${prefix}a`, 'value-a');
    const batch = redisBatch(redis);
    await batch.get(`${prefix}warm`); // the script loaded (EVALSHA afterwards)
    const log = new CommandLog();
    const restore = instrumentClients(log);
    log.start();
    try {
      const [a, missing, c1, c2, other] = await Promise.all([
        batch.get(`${prefix}a`),
        batch.get(`${prefix}missing`),
        batch.count(`${prefix}n`, 60_000),
        batch.count(`${prefix}n`, 60_000),
        batch.count(`${prefix}m`, 60_000),
      ]);
      expect(a).toBe('value-a');
      expect(missing).toBeNull();
      expect([c1.count, c2.count, other.count]).toEqual([1, 2, 1]);
      for (const c of [c1, c2, other]) expect(c.ttlMs).toBeGreaterThan(50_000);
    } finally {
      restore();
    }
    expect(log.stop().map((s) => s.what)).toEqual(['EVALSHA (script sbBatch)']);
  });

  it('starts a window on the first count, and a counter that lost its expiry gets one again', async () => {
    const batch = redisBatch(redis);
    expect((await batch.count(`${prefix}w`, 200)).count).toBe(1);
    expect(await redis.pttl(`${prefix}w`)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect((await batch.count(`${prefix}w`, 200)).count).toBe(1); // a new window
    await redis.set(`${prefix}forever`, '5');
    const c = await batch.count(`${prefix}forever`, 10_000);
    expect(c).toEqual({ count: 6, ttlMs: 10_000 });
    expect(await redis.pttl(`${prefix}forever`)).toBeGreaterThan(0);
  });

  it('rejects every operation of a call that failed', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const batch = redisBatch(dead);
    const results = await Promise.allSettled([batch.get('x'), batch.count('y', 1000)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    dead.disconnect();
  });
});
