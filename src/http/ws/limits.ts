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
  /** Stops refreshing this process's slots (shutdown). */
  close(): void;
}

/** The in-process registry. */
export class MemoryConnectionRegistry implements ConnectionRegistry {
  private readonly byUser = new Map<string, Set<string>>();

  async acquire(userKey: string, connectionId: string, max: number): Promise<boolean> {
    const set = this.byUser.get(userKey) ?? new Set<string>();
    this.byUser.set(userKey, set);
    if (set.size >= max) return false;
    set.add(connectionId);
    return true;
  }

  async release(userKey: string, connectionId: string): Promise<void> {
    const set = this.byUser.get(userKey);
    set?.delete(connectionId);
    if (set && set.size === 0) this.byUser.delete(userKey);
  }

  close(): void {}
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
 * The Redis registry: a sorted set per user of connection ids scored by when their process last
 * vouched for them. Each process re-scores its own connections every third of `slotTtlMs`, on a
 * timer of its own (not the WebSocket heartbeat, which is far slower); a process that dies without
 * releasing leaves entries that stop counting `slotTtlMs` after its last refresh.
 */
export class RedisConnectionRegistry implements ConnectionRegistry {
  private readonly redis: ScriptRedis;
  /** This process's registered connections: connection id → user key. */
  private readonly mine = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly slotTtlMs: number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    redis.defineCommand('sbWsAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
    this.redis = redis as ScriptRedis;
    this.timer = setInterval(() => void this.refresh(), Math.max(10, Math.floor(slotTtlMs / 3)));
    this.timer.unref();
  }

  async acquire(userKey: string, connectionId: string, max: number): Promise<boolean> {
    const now = Date.now();
    const ok = (await this.redis.sbWsAcquire(this.key(userKey), connectionId, now, now - this.slotTtlMs, max, this.keyTtlSeconds())) === 1;
    if (ok) this.mine.set(connectionId, userKey);
    return ok;
  }

  async release(userKey: string, connectionId: string): Promise<void> {
    this.mine.delete(connectionId);
    await this.redis.zrem(this.key(userKey), connectionId);
  }

  close(): void {
    clearInterval(this.timer);
  }

  /**
   * Re-scores every connection this process holds. ZADD without XX: an entry lost with a Redis
   * restart is put back, so the limit holds again once Redis is back. A release runs in one tick
   * (forget, then ZREM), so a refresh never brings a released connection back.
   */
  private async refresh(): Promise<void> {
    if (this.mine.size === 0) return;
    const now = Date.now();
    const ttl = this.keyTtlSeconds();
    const pipeline = this.redis.pipeline();
    for (const [connectionId, userKey] of this.mine) {
      pipeline.zadd(this.key(userKey), now, connectionId);
      pipeline.expire(this.key(userKey), ttl);
    }
    try {
      await pipeline.exec();
    } catch (err) {
      this.onError(err);
    }
  }

  private keyTtlSeconds(): number {
    return Math.max(1, Math.ceil((this.slotTtlMs * 2) / 1000));
  }

  private key(userKey: string): string {
    return `${this.prefix}ws:conns:${userKey}`;
  }
}
