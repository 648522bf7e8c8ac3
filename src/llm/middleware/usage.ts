import type { LanguageModelV3Middleware, LanguageModelV3StreamPart, LanguageModelV3Usage } from '@ai-sdk/provider';
import { tagsOf, withOutcome, type CallTags } from '../call-tags.js';
import { classifyFailure } from '../failures.js';
import type { ObserverSet, TokenUsage } from '../observer.js';
import type { PriceTable } from '../prices.js';
import type { UsageRecorder } from '../usage-recorder.js';
import { isContent } from './stream-utils.js';

export interface UsageOptions {
  provider: string;
  model: string;
  prices: PriceTable;
  record: UsageRecorder;
  observers: ObserverSet;
}

/** Token counts from a provider's usage report (missing counts are 0). */
export function tokensOf(usage: LanguageModelV3Usage | undefined): TokenUsage {
  return {
    inputTokens: usage?.inputTokens.total ?? 0,
    outputTokens: usage?.outputTokens.total ?? 0,
    cachedTokens: usage?.inputTokens.cacheRead ?? 0,
  };
}

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };

/**
 * Records every call to the configured LLM (after its retries) in llm_usage: tokens, cost from the
 * price table, latency and status; reports it to the observers; and tags the result with who
 * answered and what it cost, so the turn can add it up.
 */
export function usageMiddleware(opts: UsageOptions): LanguageModelV3Middleware {
  const { provider, model } = opts;

  async function finish(tags: CallTags, started: number, t0: number, streamed: boolean, status: string, usage: TokenUsage, finishReason?: string) {
    const costUsd = status === 'ok' ? opts.prices.cost(model, usage) : 0;
    const latencyMs = performance.now() - t0;
    const usageId = await opts.record({ conversationId: tags.conversationId, customerId: tags.customerId, provider, model, agent: tags.agent, status, ...usage, costUsd, latencyMs });
    opts.observers.onCall({
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
    return { usageId, costUsd };
  }

  return {
    specificationVersion: 'v3',
    async wrapGenerate({ doGenerate, params }) {
      const tags = tagsOf(params);
      const started = Date.now();
      const t0 = performance.now();
      try {
        const result = await doGenerate();
        const { usageId, costUsd } = await finish(tags, started, t0, false, 'ok', tokensOf(result.usage), result.finishReason.unified);
        return { ...result, providerMetadata: withOutcome(result.providerMetadata, { engine: 'llm', provider, model, usageId, costUsd }) };
      } catch (err) {
        const kind = classifyFailure(err).kind;
        if (kind !== 'aborted') await finish(tags, started, t0, false, kind, ZERO);
        throw err;
      }
    },
    async wrapStream({ doStream, params }) {
      const tags = tagsOf(params);
      const started = Date.now();
      const t0 = performance.now();
      let result: Awaited<ReturnType<typeof doStream>>;
      try {
        result = await doStream();
      } catch (err) {
        const kind = classifyFailure(err).kind;
        if (kind !== 'aborted') await finish(tags, started, t0, true, kind, ZERO);
        throw err;
      }
      let firstSeen = false;
      let done = false;
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          async transform(part, controller) {
            if (!firstSeen && isContent(part)) {
              firstSeen = true;
              opts.observers.onFirstToken({ provider, model, agent: tags.agent, conversationId: tags.conversationId, ms: performance.now() - t0 });
            }
            if (part.type === 'finish' && !done) {
              done = true;
              const { usageId, costUsd } = await finish(tags, started, t0, true, 'ok', tokensOf(part.usage), part.finishReason.unified);
              controller.enqueue({ ...part, providerMetadata: withOutcome(part.providerMetadata, { engine: 'llm', provider, model, usageId, costUsd }) });
              return;
            }
            if (part.type === 'error' && !done) {
              done = true;
              await finish(tags, started, t0, true, classifyFailure(part.error).kind, ZERO);
            }
            controller.enqueue(part);
          },
          async flush() {
            if (!done) await finish(tags, started, t0, true, 'error', ZERO);
          },
        }),
      );
      return { ...result, stream };
    },
  };
}
