import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../../test/app.js';
import { deleteRedisKeys } from '../../../test/redis.js';
import { MemoryConnectionRegistry, RedisConnectionRegistry, TokenBucket, type ConnectionRegistry } from './limits.js';

describe('TokenBucket', () => {
  it('allows a burst, then one event per refill interval', () => {
    let now = 0;
    const bucket = new TokenBucket(60, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(1000);
    now += 1000;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeGreaterThan(0);
  });
});

const prefix = `sbtest:${randomUUID()}:`;
const redis = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  await redis.quit();
  await deleteRedisKeys(prefix);
});

describe.each([
  ['memory', () => new MemoryConnectionRegistry()],
  ['redis', () => new RedisConnectionRegistry(redis, prefix, 60_000)],
] as [string, () => ConnectionRegistry][])('connection registry (%s)', (_name, make) => {
  it('refuses a connection beyond the maximum until one is released', async () => {
    const registry = make();
    const user = `user:${randomUUID()}`;
    expect(await registry.acquire(user, 'a', 2)).toBe(true);
    expect(await registry.acquire(user, 'b', 2)).toBe(true);
    expect(await registry.acquire(user, 'c', 2)).toBe(false);
    expect(await registry.acquire(`user:${randomUUID()}`, 'd', 2)).toBe(true);
    await registry.release(user, 'a');
    expect(await registry.acquire(user, 'c', 2)).toBe(true);
  });
});

describe('connection registry (redis, crashed process)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps the slots of a live process past the TTL: it refreshes them on its own timer', async () => {
    const live = new RedisConnectionRegistry(redis, prefix, 300);
    const other = new RedisConnectionRegistry(redis, prefix, 300);
    const user = `user:${randomUUID()}`;
    expect(await live.acquire(user, 'a', 1)).toBe(true);
    await sleep(700);
    expect(await other.acquire(user, 'b', 1)).toBe(false);
    live.close();
    other.close();
  });

  it('forgets the slots of a process that stopped refreshing them, after the TTL', async () => {
    const crashed = new RedisConnectionRegistry(redis, prefix, 300);
    const other = new RedisConnectionRegistry(redis, prefix, 300);
    const user = `user:${randomUUID()}`;
    expect(await crashed.acquire(user, 'a', 1)).toBe(true);
    crashed.close(); // what a killed process does: nothing more
    expect(await other.acquire(user, 'b', 1)).toBe(false);
    await sleep(450);
    expect(await other.acquire(user, 'b', 1)).toBe(true);
    other.close();
  });

  it('puts its slots back after Redis lost them (a restart without persistence)', async () => {
    const live = new RedisConnectionRegistry(redis, prefix, 300);
    const other = new RedisConnectionRegistry(redis, prefix, 300);
    const user = `user:${randomUUID()}`;
    expect(await live.acquire(user, 'a', 1)).toBe(true);
    await redis.del(`${prefix}ws:conns:${user}`);
    await sleep(200);
    expect(await other.acquire(user, 'b', 1)).toBe(false);
    live.close();
    other.close();
  });
});
