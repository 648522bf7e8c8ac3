import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { LlmObserver } from '../llm/observer.js';
import type { Metrics } from './metrics.js';
import { GEN_AI, tracer } from './telemetry.js';

const CIRCUIT = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Turns what the LLM middleware reports into Prometheus metrics and an OpenTelemetry span per call
 * (`chat <model>`, GenAI semantic conventions: provider, model, tokens). The span is recorded when
 * the call finishes, with the call's real start time, under whatever span is active then (the agent's).
 */
export function llmObserver(metrics: Metrics): LlmObserver {
  return {
    onCall(e) {
      const seconds = e.latencyMs / 1000;
      metrics.llmRequests.inc({ model: e.model, status: e.status });
      metrics.llmDuration.observe({ model: e.model }, seconds);
      if (e.usage.inputTokens) metrics.llmTokens.inc({ model: e.model, type: 'input' }, e.usage.inputTokens);
      if (e.usage.outputTokens) metrics.llmTokens.inc({ model: e.model, type: 'output' }, e.usage.outputTokens);
      if (e.usage.cachedTokens) metrics.llmTokens.inc({ model: e.model, type: 'cached' }, e.usage.cachedTokens);
      if (e.costUsd > 0) metrics.llmCost.inc({ model: e.model, agent_type: e.agent }, e.costUsd);

      const span = tracer.startSpan(`chat ${e.model}`, {
        kind: SpanKind.CLIENT,
        startTime: e.startedAt,
        attributes: {
          [GEN_AI.operation]: 'chat',
          [GEN_AI.provider]: e.provider,
          [GEN_AI.requestModel]: e.model,
          [GEN_AI.agentName]: e.agent,
          [GEN_AI.inputTokens]: e.usage.inputTokens,
          [GEN_AI.outputTokens]: e.usage.outputTokens,
          [GEN_AI.cachedInputTokens]: e.usage.cachedTokens,
          'switchboard.llm.cost_usd': e.costUsd,
          'switchboard.llm.streamed': e.streamed,
          ...(e.conversationId ? { [GEN_AI.conversationId]: e.conversationId } : {}),
          ...(e.finishReason ? { [GEN_AI.finishReasons]: [e.finishReason] } : {}),
        },
      });
      if (e.status !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: e.status });
      span.end(e.startedAt + e.latencyMs);
    },
    onFirstToken(e) {
      metrics.llmTimeToFirstToken.observe({ model: e.model }, e.ms / 1000);
    },
    onRetry(e) {
      metrics.llmRetries.inc({ model: e.model, reason: e.reason });
    },
    onFallback(e) {
      metrics.llmFallbacks.inc({ agent_type: e.agent, reason: e.reason });
    },
    onBreaker(e) {
      metrics.llmCircuitState.set({ model: e.model }, CIRCUIT[e.state]);
    },
  };
}
