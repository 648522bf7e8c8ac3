import { AppError } from '../errors.js';

/** What a 503 (or a WebSocket error for a dependency that is down) tells the client to wait before retrying: outages here are restarts, seconds long. */
export const RETRY_AFTER_SECONDS = 2;

/** A dependency (database, Redis, queue) that did not answer in time or refused: a 503 with Retry-After. */
export function dependencyUnavailable(dependency: string, cause?: unknown): AppError {
  const err = new AppError('dependency_unavailable', 503, `A service this request needs (${dependency}) is unavailable; retry shortly`, { dependency });
  if (cause !== undefined) (err as Error & { cause?: unknown }).cause = cause;
  return err;
}

/** Settles like `promise`, or rejects with `dependencyUnavailable(dependency)` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, dependency: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(dependencyUnavailable(dependency, new Error(`${dependency} did not answer within ${ms} ms`))), ms);
    timer.unref?.();
  });
  // The loser of the race must not become an unhandled rejection.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// PostgreSQL SQLSTATE classes and codes that mean "the server is not there now", not "the query is wrong":
// 08 connection exceptions, 57P01-57P03 shutdown / cannot connect now, 53300 too many connections.
const PG_UNAVAILABLE = /^(08|57P0[123]|53300)/;
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * Which dependency an unexpected error says is unavailable ('database' or 'redis'), or null when it
 * is a real defect. Looks through `cause` chains (Drizzle wraps the driver's error).
 */
export function failedDependency(err: unknown): 'database' | 'redis' | null {
  for (let e = err as (Error & { code?: unknown; cause?: unknown; name?: string }) | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (e.name === 'MaxRetriesPerRequestError' || /^(Connection is closed|Command timed out|Stream isn't writeable)/.test(message)) return 'redis';
    if (PG_UNAVAILABLE.test(code) || /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(message)) return 'database';
    // ioredis reports its connection failures on the connection, not on commands: these are the database's.
    if (NET_UNAVAILABLE.has(code)) return 'database';
  }
  return null;
}
