import type { Redis } from 'ioredis';

/** A token bucket: `burst` events at once, refilled at `perMinute`. One per connection. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.updatedAt) * this.perMinute) / 60_000);
    this.updatedAt = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }
}

/**
 * Counts each user's open connections across every API process, so one user cannot hold more
 * than the configured number. Redis when configured, in-process otherwise.
 */
export interface ConnectionRegistry {
  /** Registers a connection; false (and nothing registered) when the user already has `max`. */
  acquire(userKey: string, connectionId: string, max: number): Promise<boolean>;
  release(userKey: string, connectionId: string): Promise<void>;
  /** Marks these connections as alive (Redis entries of a crashed process expire otherwise). */
  refresh(entries: { userKey: string; connectionId: string }[]): Promise<void>;
}

/** The in-process registry. */
export class MemoryConnectionRegistry implements ConnectionRegistry {
  private readonly byUser = new Map<string, Set<string>>();

  async acquire(userKey: string, connectionId: string, max: number): Promise<boolean> {
    let set = this.byUser.get(userKey);
    if (!set) this.byUser.set(userKey, (set = new Set()));
    if (set.size >= max) return false;
    set.add(connectionId);
    return true;
  }

  async release(userKey: string, connectionId: string): Promise<void> {
    const set = this.byUser.get(userKey);
    set?.delete(connectionId);
    if (set && set.size === 0) this.byUser.delete(userKey);
  }

  async refresh(): Promise<void> {}
}

// Drops entries not refreshed within the stale window, then adds this one if there is room.
// KEYS: the user's sorted set. ARGV: connection id, now (ms), stale before (ms), max, ttl (s).
const ACQUIRE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
`;

type ScriptRedis = Redis & { sbWsAcquire(key: string, id: string, now: number, staleBefore: number, max: number, ttl: number): Promise<number> };

/**
 * The Redis registry: a sorted set per user of connection ids scored by their last heartbeat.
 * A process that dies without releasing leaves entries that go stale after `staleMs`.
 */
export class RedisConnectionRegistry implements ConnectionRegistry {
  private readonly redis: ScriptRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly staleMs: number,
  ) {
    redis.defineCommand('sbWsAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
    this.redis = redis as ScriptRedis;
  }

  async acquire(userKey: string, connectionId: string, max: number): Promise<boolean> {
    const now = Date.now();
    const ttl = Math.ceil((this.staleMs * 2) / 1000);
    return (await this.redis.sbWsAcquire(this.key(userKey), connectionId, now, now - this.staleMs, max, ttl)) === 1;
  }

  async release(userKey: string, connectionId: string): Promise<void> {
    await this.redis.zrem(this.key(userKey), connectionId);
  }

  async refresh(entries: { userKey: string; connectionId: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const now = Date.now();
    const ttl = Math.ceil((this.staleMs * 2) / 1000);
    const pipeline = this.redis.pipeline();
    for (const e of entries) {
      // XX: only connections still registered (a released one is not brought back).
      pipeline.zadd(this.key(e.userKey), 'XX', now, e.connectionId);
      pipeline.expire(this.key(e.userKey), ttl);
    }
    await pipeline.exec();
  }

  private key(userKey: string): string {
    return `${this.prefix}ws:conns:${userKey}`;
  }
}
