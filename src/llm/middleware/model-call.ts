import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3Middleware,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { CircuitBreaker } from '../breaker.js';
import type { CallBudget } from '../budget.js';
import { type CallOutcome, type CallTags, tagsOf, withOutcome } from '../call-tags.js';
import { classifyFailure } from '../failures.js';
import type { ObserverSet, TokenUsage } from '../observer.js';
import type { PriceTable } from '../prices.js';
import type { UsageRecorder } from '../usage-recorder.js';
import { Deadline } from './deadline.js';
import { type RetryPolicy, retryDelay, sleep } from './retry-policy.js';

export interface ModelCallOptions {
  provider: string;
  model: string;
  /** The offline engine: answers whenever the LLM cannot. */
  offline: LanguageModelV3;
  breaker: CircuitBreaker;
  /** Consulted before every call (read at call time, so a budget can be plugged in later). */
  budget: () => CallBudget;
  /** The cheaper model a budget may switch a call to (the router model). */
  cheaper?: LanguageModelV3;
  prices: PriceTable;
  record: UsageRecorder;
  observers: ObserverSet;
  /** The deadline of each try: a generate call must finish within it, a stream must never be silent longer. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Token counts from a provider's usage report (missing counts are 0). */
function tokensOf(usage: LanguageModelV3Usage | undefined): TokenUsage {
  return {
    inputTokens: usage?.inputTokens.total ?? 0,
    outputTokens: usage?.outputTokens.total ?? 0,
    cachedTokens: usage?.inputTokens.cacheRead ?? 0,
  };
}

/** Parts that show the model has started answering (as opposed to stream bookkeeping). */
function isContent(part: LanguageModelV3StreamPart): boolean {
  switch (part.type) {
    case 'stream-start':
    case 'response-metadata':
    case 'raw':
    case 'text-start':
    case 'reasoning-start':
    case 'error':
      return false;
    default:
      return true;
  }
}

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
const OFFLINE = { engine: 'offline', provider: 'offline', model: 'offline' } as const;

/**
 * Everything a call to a configured LLM goes through, as one layer (one stream per call, not one
 * per concern):
 * - the **budget** decides whether the call may use the LLM, the cheaper router model, or must be
 *   answered offline; the model's **circuit breaker** must let it through;
 * - every try has a **deadline**: a generate call must finish within `timeoutMs`; a stream must
 *   start answering within it and never be silent longer. A stream's promise resolves only once its
 *   first token (or tool call) is there, so a failure before that is thrown and can be retried;
 *   after it, the stream carries an error part (a timeout as `LlmTimeoutError`);
 * - **retries** with exponential backoff and jitter (or the server's Retry-After) for timeouts, 429,
 *   5xx and connection failures;
 * - **usage**: one llm_usage row per call after its retries (tokens, cost from the price table,
 *   latency, status), reported to the observers with the time to first token; the result is tagged
 *   with who answered and what it cost, so the turn can add it up;
 * - **fallback**: when the LLM may not or cannot answer (budget spent, circuit open, failure after
 *   the retries) the offline engine answers the same call instead, tagged with the reason. Failures
 *   mid-stream (after tokens went out) are counted by the breaker and passed on.
 */
export function modelCallMiddleware(opts: ModelCallOptions): LanguageModelV3Middleware {
  const { provider, model, breaker, observers, timeoutMs } = opts;
  const wait = opts.sleep ?? sleep;
  const random = opts.random ?? Math.random;

  /** Where the call goes: 'llm', 'cheaper', or the reason it goes offline. */
  async function route(tags: CallTags): Promise<'llm' | 'cheaper' | { offline: string }> {
    const decision = await opts.budget().check({ agent: tags.agent, provider, model, conversationId: tags.conversationId, customerId: tags.customerId });
    if (decision === 'offline') return { offline: 'budget' };
    if (decision === 'router_model' && opts.cheaper) return 'cheaper';
    return breaker.tryAcquire() ? 'llm' : { offline: 'circuit_open' };
  }

  /** Records a finished call (after its retries) in llm_usage and tells the observers. */
  async function finish(tags: CallTags, started: number, t0: number, streamed: boolean, status: string, usage: TokenUsage, finishReason?: string) {
    const costUsd = status === 'ok' ? opts.prices.cost(model, usage) : 0;
    const latencyMs = performance.now() - t0;
    const usageId = await opts.record({ conversationId: tags.conversationId, customerId: tags.customerId, provider, model, agent: tags.agent, status, ...usage, costUsd, latencyMs });
    observers.onCall({
      provider,
      model,
      agent: tags.agent,
      conversationId: tags.conversationId,
      customerId: tags.customerId,
      status: status as 'ok',
      streamed,
      startedAt: started,
      latencyMs,
      usage,
      costUsd,
      finishReason,
    });
    const outcome: CallOutcome = { engine: 'llm', provider, model, usageId, costUsd };
    return outcome;
  }

  /** The call failed for good: record it and tell the breaker; the failure kind, the fallback's reason. Aborts are rethrown. */
  async function failed(tags: CallTags, started: number, t0: number, streamed: boolean, err: unknown): Promise<string> {
    const kind = classifyFailure(err).kind;
    if (kind === 'aborted') {
      breaker.release();
      throw err;
    }
    await finish(tags, started, t0, streamed, kind, ZERO);
    breaker.failure();
    return kind;
  }

  /** Runs `once` (one try under its own deadline) until it succeeds, the failure is not worth retrying, or the retries are spent. */
  async function withRetries<T>(params: LanguageModelV3CallOptions, tags: CallTags, once: (d: Deadline) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const d = new Deadline(timeoutMs, params.abortSignal);
      let err: unknown;
      try {
        return await once(d);
      } catch (raw) {
        d.clear();
        err = d.reason(raw);
      }
      const failure = classifyFailure(err);
      if (!failure.retryable || attempt >= opts.retry.maxRetries || params.abortSignal?.aborted) throw err;
      const delayMs = retryDelay(failure, attempt, opts.retry, random);
      if (delayMs === undefined) throw err;
      observers.onRetry({ provider, model, agent: tags.agent, conversationId: tags.conversationId, attempt: attempt + 1, delayMs, reason: failure.kind });
      await wait(delayMs, params.abortSignal);
    }
  }

  async function noteFallback(tags: CallTags, reason: string, t0: number) {
    observers.onFallback({ provider, model, agent: tags.agent, conversationId: tags.conversationId, customerId: tags.customerId, reason });
    await opts.record({
      conversationId: tags.conversationId,
      customerId: tags.customerId,
      provider: 'offline',
      model: 'offline',
      agent: tags.agent,
      status: `fallback_${reason}`,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      costUsd: 0,
      latencyMs: performance.now() - t0,
    });
  }

  async function offlineGenerate(params: LanguageModelV3CallOptions, tags: CallTags, reason: string): Promise<LanguageModelV3GenerateResult> {
    const t0 = performance.now();
    const result = await opts.offline.doGenerate(params);
    await noteFallback(tags, reason, t0);
    return { ...result, providerMetadata: withOutcome(result.providerMetadata, { ...OFFLINE, fallback: reason }) };
  }

  async function offlineStream(params: LanguageModelV3CallOptions, tags: CallTags, reason: string): Promise<LanguageModelV3StreamResult> {
    const t0 = performance.now();
    const result = await opts.offline.doStream(params);
    await noteFallback(tags, reason, t0);
    const stream = result.stream.pipeThrough(
      new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        transform(part, controller) {
          controller.enqueue(part.type === 'finish' ? { ...part, providerMetadata: withOutcome(part.providerMetadata, { ...OFFLINE, fallback: reason }) } : part);
        },
      }),
    );
    return { ...result, stream };
  }

  /**
   * One streaming try: resolves once the model has started answering (an error or the deadline
   * before that rejects). Returns the parts read so far and the reader of the rest.
   */
  async function startStream(model: LanguageModelV3, params: LanguageModelV3CallOptions, d: Deadline, onFirst: () => void) {
    const result = await model.doStream({ ...params, abortSignal: d.signal });
    const reader = result.stream.getReader();
    // An abort (the deadline's or the caller's) cancels the reader, so a pending read ends even if
    // the model ignores its abort signal; the read then reports `done` and the abort is the error.
    d.signal.addEventListener('abort', () => void reader.cancel(d.signal.reason).catch(() => {}), { once: true });
    const head: LanguageModelV3StreamPart[] = [];
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (d.signal.aborted) throw d.signal.reason;
        if (done) break;
        if (value.type === 'error') throw value.error;
        d.touch();
        head.push(value);
        if (isContent(value)) {
          onFirst();
          break;
        }
      }
    } catch (err) {
      void reader.cancel().catch(() => {});
      throw err;
    }
    return { result, reader, head };
  }

  return {
    specificationVersion: 'v3',
    async wrapGenerate({ params, model }) {
      const tags = tagsOf(params);
      const where = await route(tags);
      if (where === 'cheaper') return opts.cheaper!.doGenerate(params);
      if (where !== 'llm') return offlineGenerate(params, tags, where.offline);
      const started = Date.now();
      const t0 = performance.now();
      let result: LanguageModelV3GenerateResult;
      try {
        result = await withRetries(params, tags, async (d) => {
          try {
            return await model.doGenerate({ ...params, abortSignal: d.signal });
          } finally {
            d.clear();
          }
        });
      } catch (err) {
        return offlineGenerate(params, tags, await failed(tags, started, t0, false, err));
      }
      const outcome = await finish(tags, started, t0, false, 'ok', tokensOf(result.usage), result.finishReason.unified);
      breaker.success();
      return { ...result, providerMetadata: withOutcome(result.providerMetadata, outcome) };
    },

    async wrapStream({ params, model }) {
      const tags = tagsOf(params);
      const where = await route(tags);
      if (where === 'cheaper') return opts.cheaper!.doStream(params);
      if (where !== 'llm') return offlineStream(params, tags, where.offline);
      const started = Date.now();
      const t0 = performance.now();
      const onFirst = () => observers.onFirstToken({ provider, model: opts.model, agent: tags.agent, conversationId: tags.conversationId, ms: performance.now() - t0 });
      let deadline: Deadline | undefined;
      let begun: Awaited<ReturnType<typeof startStream>>;
      try {
        begun = await withRetries(params, tags, (d) => {
          deadline = d;
          return startStream(model, params, d, onFirst);
        });
      } catch (err) {
        return offlineStream(params, tags, await failed(tags, started, t0, true, err));
      }
      const d = deadline!;
      const { result, reader, head } = begun;
      let next = 0;
      let settled = false;
      // The stream's end: the usage row, the breaker's verdict and the outcome on the finish part.
      const settle = async (part: LanguageModelV3StreamPart): Promise<LanguageModelV3StreamPart> => {
        if (settled) return part;
        if (part.type === 'finish') {
          settled = true;
          d.clear();
          const outcome = await finish(tags, started, t0, true, 'ok', tokensOf(part.usage), part.finishReason.unified);
          breaker.success();
          return { ...part, providerMetadata: withOutcome(part.providerMetadata, outcome) };
        }
        if (part.type === 'error') {
          settled = true;
          d.clear();
          const error = d.reason(part.error);
          const kind = classifyFailure(error).kind;
          await finish(tags, started, t0, true, kind, ZERO);
          if (kind === 'aborted') breaker.release();
          else breaker.failure();
          return error === part.error ? part : { type: 'error', error };
        }
        return part;
      };
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        async pull(controller) {
          if (next < head.length) {
            controller.enqueue(await settle(head[next++]!));
            return;
          }
          let part: LanguageModelV3StreamPart;
          let last = false;
          try {
            const { done, value } = await reader.read();
            if (d.signal.aborted && !settled) {
              // Aborted mid-stream (the idle deadline, or the caller): the error part ends the stream.
              part = { type: 'error', error: d.signal.reason };
              last = true;
            } else if (done) {
              d.clear();
              if (!settled) {
                settled = true;
                breaker.release();
                await finish(tags, started, t0, true, 'error', ZERO);
              }
              controller.close();
              return;
            } else {
              d.touch();
              part = value;
            }
          } catch (err) {
            // A broken connection mid-stream becomes an error part, as providers report their own errors.
            part = { type: 'error', error: err };
            last = true;
          }
          controller.enqueue(await settle(part));
          if (last) {
            controller.close();
            void reader.cancel().catch(() => {});
          }
        },
        cancel(reason) {
          d.clear();
          if (!settled) {
            settled = true;
            breaker.release();
          }
          return reader.cancel(reason);
        },
      });
      return { ...result, stream };
    },
  };
}
