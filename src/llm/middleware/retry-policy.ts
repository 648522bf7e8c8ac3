import type { Failure } from '../failures.js';

/** The retry policy of a model call: how many retries, and the backoff between them. */
export interface RetryPolicy {
  /** Retries after the first try (2 → at most 3 tries). */
  maxRetries: number;
  /** The first backoff; each retry doubles it. */
  baseDelayMs: number;
  /** No wait is longer; a Retry-After beyond it is not waited for (the call fails over instead). */
  maxDelayMs: number;
}

/** Waits `ms`, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * The wait before retry `attempt` (0-based): the server's Retry-After when it sent one, otherwise
 * exponential backoff with jitter (between half and all of base·2^attempt). Undefined: do not retry.
 */
export function retryDelay(failure: Failure, attempt: number, opts: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number | undefined {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs <= opts.maxDelayMs ? failure.retryAfterMs : undefined;
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
