import type { LanguageModelV3CallOptions, LanguageModelV3Middleware } from '@ai-sdk/provider';
import { tagsOf } from '../call-tags.js';
import { classifyFailure, type Failure } from '../failures.js';
import type { ObserverSet } from '../observer.js';

export interface RetryOptions {
  /** Retries after the first try (2 → at most 3 tries). */
  maxRetries: number;
  /** The first backoff; each retry doubles it. */
  baseDelayMs: number;
  /** No wait is longer; a Retry-After beyond it is not waited for (the call fails over instead). */
  maxDelayMs: number;
  provider: string;
  model: string;
  observers?: ObserverSet;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
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
export function retryDelay(failure: Failure, attempt: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number | undefined {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs <= opts.maxDelayMs ? failure.retryAfterMs : undefined;
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retries timeouts, 429 (honouring Retry-After), 5xx and connection failures with backoff. */
export function retryMiddleware(opts: RetryOptions): LanguageModelV3Middleware {
  const wait = opts.sleep ?? sleep;
  const random = opts.random ?? Math.random;

  async function withRetries<T>(params: LanguageModelV3CallOptions, run: () => PromiseLike<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        const failure = classifyFailure(err);
        if (!failure.retryable || attempt >= opts.maxRetries || params.abortSignal?.aborted) throw err;
        const delayMs = retryDelay(failure, attempt, opts, random);
        if (delayMs === undefined) throw err;
        const tags = tagsOf(params);
        opts.observers?.onRetry({ provider: opts.provider, model: opts.model, agent: tags.agent, conversationId: tags.conversationId, attempt: attempt + 1, delayMs, reason: failure.kind });
        await wait(delayMs, params.abortSignal);
      }
    }
  }

  return {
    specificationVersion: 'v3',
    wrapGenerate: ({ doGenerate, params }) => withRetries(params, doGenerate),
    wrapStream: ({ doStream, params }) => withRetries(params, doStream),
  };
}
