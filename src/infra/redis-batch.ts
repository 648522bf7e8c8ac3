import type { Redis } from 'ioredis';

// The reads and counts a request makes before it is let in (its session check, both rate limits,
// the route's prefetch such as a turn's cached memory) are issued from separate hooks within the same
// tick. ioredis's auto-pipelining would write them together, but as one command each; this sends
// them as one script instead: one command, one round trip, run atomically. A count is the rate
// limiters' fixed window: INCR, and a new counter (or one that somehow has no expiry) expires after
// the window. KEYS are the keys; ARGV[i] is '' for a GET of KEYS[i], else the window in ms for a
// count. Returns per key the value (nil when absent) or {count, ms to the window's end}.
const BATCH_SCRIPT = `
local out = {}
for i = 1, #KEYS do
  local w = ARGV[i]
  if w == '' then
    out[i] = redis.call('GET', KEYS[i])
  else
    local n = redis.call('INCR', KEYS[i])
    local ttl = -1
    if n > 1 then ttl = redis.call('PTTL', KEYS[i]) end
    if ttl < 0 then
      redis.call('PEXPIRE', KEYS[i], w)
      ttl = tonumber(w)
    end
    out[i] = {n, ttl}
  end
end
return out
`;

/** A rate-limit count: how many in the current window, and how long until it ends. */
export interface Count {
  count: number;
  ttlMs: number;
}

/** At most this many keys in one script call (a script blocks Redis while it runs). */
const MAX_KEYS = 500;

interface Op {
  key: string;
  /** '' for a GET, else the window in ms. */
  arg: string;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type BatchRedis = Redis & { sbBatch(numKeys: number, ...args: string[]): Promise<unknown[]> };

/**
 * Collects the GETs and counts issued on one connection within a tick and sends them as one script
 * call (see above). Keys are used as given (callers add their prefix). A failed call rejects every
 * operation in it; callers treat that as they would a failed GET or count.
 */
export class RedisBatch {
  private readonly redis: BatchRedis;
  private ops: Op[] = [];

  constructor(redis: Redis) {
    if (!('sbBatch' in redis)) redis.defineCommand('sbBatch', { lua: BATCH_SCRIPT });
    this.redis = redis as BatchRedis;
  }

  /** GET, batched with the tick's other operations. */
  get(key: string): Promise<string | null> {
    return this.add(key, '') as Promise<string | null>;
  }

  /** Counts one more in the key's fixed window of `windowMs`, batched with the tick's other operations. */
  async count(key: string, windowMs: number): Promise<Count> {
    const [count, ttlMs] = (await this.add(key, String(Math.max(1, Math.trunc(windowMs))))) as [number, number];
    return { count, ttlMs };
  }

  private add(key: string, arg: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // process.nextTick runs after the promise jobs queued meanwhile: the hooks that run one after
      // another in this tick all add theirs before the call goes out.
      if (this.ops.length === 0) process.nextTick(() => this.flush());
      this.ops.push({ key, arg, resolve, reject });
    });
  }

  private flush(): void {
    const all = this.ops;
    this.ops = [];
    for (let i = 0; i < all.length; i += MAX_KEYS) {
      const ops = all.slice(i, i + MAX_KEYS);
      this.redis.sbBatch(ops.length, ...ops.map((o) => o.key), ...ops.map((o) => o.arg)).then(
        (results) => {
          for (const [j, o] of ops.entries()) o.resolve(results[j] ?? null);
        },
        (err: unknown) => {
          for (const o of ops) o.reject(err);
        },
      );
    }
  }
}

const batches = new WeakMap<Redis, RedisBatch>();

/** The connection's batch: every user of one connection shares it, so their operations share a call. */
export function redisBatch(redis: Redis): RedisBatch {
  let batch = batches.get(redis);
  if (!batch) {
    batch = new RedisBatch(redis);
    batches.set(redis, batch);
  }
  return batch;
}
