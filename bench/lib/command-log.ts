/**
 * Counts the PostgreSQL queries and Redis commands this process sends, by wrapping the clients'
 * send methods (`pg` Client.query, which pools use too; ioredis Redis.sendCommand, which pipelines
 * and scripts go through). Recording is off until `start()`; `restore()` unwraps.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

/** One command sent: which server, and what (SQL's first words or the Redis command and key). */
export interface Sent {
  kind: 'pg' | 'redis';
  what: string;
  /** Redis commands written together (one auto-pipelined batch: one network round trip) share a batch number. */
  batch?: number;
}

/** A short description of a SQL statement: its text squeezed to one line, cut at `max` characters. */
export function describeSql(text: string, max = 110): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A short description of a Redis command: name and first argument (the key or script hash, shortened). */
export function describeRedis(name: string, args: readonly unknown[]): string {
  const first = args[0];
  const arg = typeof first === 'string' || Buffer.isBuffer(first) ? String(first) : '';
  return `${name.toUpperCase()}${arg ? ` ${arg.length > 90 ? `${arg.slice(0, 89)}…` : arg}` : ''}`;
}

/** The log of sent commands, with a recording switch. */
export class CommandLog {
  private recording = false;
  readonly sent: Sent[] = [];

  /** Clears the log and starts recording. */
  start(): void {
    this.sent.length = 0;
    this.recording = true;
  }

  /** Stops recording and returns what was sent meanwhile. */
  stop(): Sent[] {
    this.recording = false;
    return [...this.sent];
  }

  /** What was sent so far (recording goes on). */
  snapshot(): Sent[] {
    return [...this.sent];
  }

  add(s: Sent): void {
    if (this.recording) this.sent.push(s);
  }
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** Wraps the clients' send methods so every command goes into `log`; returns the function that unwraps them. */
export function instrumentClients(log: CommandLog): () => void {
  const clientProto = pg.Client.prototype as unknown as { query: AnyFn };
  const redisProto = Redis.prototype as unknown as { sendCommand: AnyFn };
  const query = clientProto.query;
  const sendCommand = redisProto.sendCommand;
  const batches = new WeakMap<object, number>();
  let nextBatch = 1;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : typeof (q as { text?: unknown })?.text === 'string' ? (q as { text: string }).text : String(q);
    log.add({ kind: 'pg', what: describeSql(text) });
    return query.apply(this, args);
  };
  redisProto.sendCommand = function (this: unknown, ...args: unknown[]) {
    const c = args[0] as { name?: string; args?: unknown[] };
    let cmdArgs = c?.args ?? [];
    // A script by the name it was defined under (defineCommand) rather than its hash.
    const scripts = (this as { scriptsSet?: Record<string, { sha?: string }> }).scriptsSet ?? {};
    const named = c?.name === 'evalsha' ? Object.entries(scripts).find(([, s]) => s.sha === String(cmdArgs[0]))?.[0] : undefined;
    if (named) cmdArgs = [`(script ${named})`];
    // A pipeline passes the stream all its commands are written to together.
    const stream = args[1];
    let batch: number | undefined;
    if (stream && typeof stream === 'object') {
      batch = batches.get(stream);
      if (batch === undefined) {
        batch = nextBatch++;
        batches.set(stream, batch);
      }
    }
    log.add({ kind: 'redis', what: describeRedis(c?.name ?? '?', cmdArgs), ...(batch ? { batch } : {}) });
    return sendCommand.apply(this, args);
  };
  return () => {
    clientProto.query = query;
    redisProto.sendCommand = sendCommand;
  };
}

/** How many of each kind. */
export function countSent(sent: readonly Sent[]): { pg: number; redis: number } {
  return { pg: sent.filter((s) => s.kind === 'pg').length, redis: sent.filter((s) => s.kind === 'redis').length };
}

/** Network round trips to Redis: one per batch written together, one per command sent alone. */
export function redisRoundTrips(sent: readonly Sent[]): number {
  const redis = sent.filter((s) => s.kind === 'redis');
  return new Set(redis.filter((s) => s.batch !== undefined).map((s) => s.batch)).size + redis.filter((s) => s.batch === undefined).length;
}
