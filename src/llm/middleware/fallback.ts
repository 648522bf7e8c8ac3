import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3GenerateResult, LanguageModelV3Middleware, LanguageModelV3StreamPart, LanguageModelV3StreamResult } from '@ai-sdk/provider';
import type { CircuitBreaker } from '../breaker.js';
import type { CallBudget } from '../budget.js';
import { tagsOf, withOutcome } from '../call-tags.js';
import { classifyFailure } from '../failures.js';
import type { ObserverSet } from '../observer.js';
import type { UsageRecorder } from '../usage-recorder.js';

export interface FallbackOptions {
  provider: string;
  model: string;
  /** The offline engine: answers whenever the LLM cannot. */
  offline: LanguageModelV3;
  breaker: CircuitBreaker;
  /** Consulted before every call (read at call time, so a budget can be plugged in later). */
  budget: () => CallBudget;
  /** The cheaper model a budget may switch a call to (the router model). */
  cheaper?: LanguageModelV3;
  observers: ObserverSet;
  record: UsageRecorder;
}

/**
 * The outermost layer: asks the budget, checks the circuit breaker, and when the LLM may not or
 * cannot answer (budget spent, circuit open, failure after retries) lets the offline engine answer
 * the same call instead, tagged with the reason. Failures mid-stream (after tokens went out) are
 * counted by the breaker and passed on: the turn answers offline from there.
 */
export function fallbackMiddleware(opts: FallbackOptions): LanguageModelV3Middleware {
  const { provider, model, breaker } = opts;
  const OFFLINE = { engine: 'offline', provider: 'offline', model: 'offline' } as const;

  async function note(params: LanguageModelV3CallOptions, reason: string, t0: number) {
    const tags = tagsOf(params);
    opts.observers.onFallback({ provider, model, agent: tags.agent, conversationId: tags.conversationId, customerId: tags.customerId, reason });
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

  async function offlineGenerate(params: LanguageModelV3CallOptions, reason: string): Promise<LanguageModelV3GenerateResult> {
    const t0 = performance.now();
    const result = await opts.offline.doGenerate(params);
    await note(params, reason, t0);
    return { ...result, providerMetadata: withOutcome(result.providerMetadata, { ...OFFLINE, fallback: reason }) };
  }

  async function offlineStream(params: LanguageModelV3CallOptions, reason: string): Promise<LanguageModelV3StreamResult> {
    const t0 = performance.now();
    const result = await opts.offline.doStream(params);
    await note(params, reason, t0);
    const stream = result.stream.pipeThrough(
      new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
        transform(part, controller) {
          controller.enqueue(part.type === 'finish' ? { ...part, providerMetadata: withOutcome(part.providerMetadata, { ...OFFLINE, fallback: reason }) } : part);
        },
      }),
    );
    return { ...result, stream };
  }

  /** Where the call goes: 'llm', 'cheaper', or the reason it goes offline. */
  async function route(params: LanguageModelV3CallOptions): Promise<'llm' | 'cheaper' | { offline: string }> {
    const tags = tagsOf(params);
    const decision = await opts.budget().check({ agent: tags.agent, provider, model, conversationId: tags.conversationId, customerId: tags.customerId });
    if (decision === 'offline') return { offline: 'budget' };
    if (decision === 'router_model' && opts.cheaper) return 'cheaper';
    return breaker.tryAcquire() ? 'llm' : { offline: 'circuit_open' };
  }

  function failed(err: unknown): string {
    const kind = classifyFailure(err).kind;
    if (kind === 'aborted') {
      breaker.release();
      throw err;
    }
    breaker.failure();
    return kind;
  }

  return {
    specificationVersion: 'v3',
    async wrapGenerate({ doGenerate, params }) {
      const where = await route(params);
      if (where === 'cheaper') return opts.cheaper!.doGenerate(params);
      if (where !== 'llm') return offlineGenerate(params, where.offline);
      try {
        const result = await doGenerate();
        breaker.success();
        return result;
      } catch (err) {
        return offlineGenerate(params, failed(err));
      }
    },
    async wrapStream({ doStream, params }) {
      const where = await route(params);
      if (where === 'cheaper') return opts.cheaper!.doStream(params);
      if (where !== 'llm') return offlineStream(params, where.offline);
      let result: LanguageModelV3StreamResult;
      try {
        result = await doStream();
      } catch (err) {
        return offlineStream(params, failed(err));
      }
      let settled = false;
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          transform(part, controller) {
            if (!settled && part.type === 'finish') {
              settled = true;
              breaker.success();
            } else if (!settled && part.type === 'error') {
              settled = true;
              if (classifyFailure(part.error).kind === 'aborted') breaker.release();
              else breaker.failure();
            }
            controller.enqueue(part);
          },
          flush() {
            if (!settled) breaker.release();
          },
        }),
      );
      return { ...result, stream };
    },
  };
}
