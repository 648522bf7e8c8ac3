import type { Redis } from 'ioredis';
import { redisBatch } from './redis-batch.js';

/** A small key/value cache with expiry: Redis when configured, in-process otherwise. Values are JSON. */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Sets the key only when it is absent (Redis SET NX): a later `set` by someone else is never overwritten. */
  add(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
}

/** The in-process cache (embedded mode, tests): a Map with expiry times and a size bound. */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(private readonly maxEntries = 10_000) {}

  async get<T>(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return JSON.parse(e.value) as T;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value: JSON.stringify(value), expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async add(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if ((await this.get(key)) === undefined) await this.set(key, value, ttlSeconds);
  }

  async del(...keys: string[]): Promise<void> {
    for (const k of keys) this.entries.delete(k);
  }
}

/**
 * The Redis-backed cache, shared by every API process; keys carry the configured prefix. It is only a
 * cache: with Redis down a read is a miss and a write is skipped (reported to `onError`), so callers
 * fall back to their source of truth instead of failing.
 */
export class RedisCache implements Cache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (err: unknown, what: string) => void = () => {},
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    // Not connected (restarting, down): a miss at once rather than a wait for the command timeout.
    if (this.redis.status !== 'ready') return undefined;
    try {
      // Batched with the tick's other reads and rate-limit counts on this connection (redis-batch.ts).
      const raw = await redisBatch(this.redis).get(this.prefix + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch (err) {
      this.onError(err, 'cache get');
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch (err) {
      this.onError(err, 'cache set');
    }
  }

  async add(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds, 'NX');
    } catch (err) {
      this.onError(err, 'cache add');
    }
  }

  async del(...keys: string[]): Promise<void> {
    if (!keys.length || this.redis.status !== 'ready') return;
    try {
      await this.redis.del(...keys.map((k) => this.prefix + k));
    } catch (err) {
      this.onError(err, 'cache del');
    }
  }
}
