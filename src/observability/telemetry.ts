import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { Metrics } from './metrics.js';

// Spans and metrics for the steps of a chat turn. The orchestrator and the tool runner call these
// wrappers with the metrics (and agent) they already hold, so the agents and tools themselves stay
// free of observability code. No async-local scope: an AsyncLocalStorage turns on promise hooks,
// which every promise of the process then pays for (issue 15); spans nest through OpenTelemetry's
// own context when tracing is on.

/** The tracer every Switchboard span comes from. */
export const tracer = trace.getTracer('switchboard');

/** OpenTelemetry GenAI semantic-convention attribute names (incubating; copied, as the spec advises). */
export const GEN_AI = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cachedInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  timeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
} as const;

/** Runs fn inside an active span: records an exception and error status when it throws, ends it either way. */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Runs one chat turn under a `chat.turn` span. */
export function observeTurn<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
  return inSpan('chat.turn', { [GEN_AI.conversationId]: conversationId }, () => fn());
}

/** What the router decided, for its span and the fallback counter. */
export interface RouterOutcome {
  route: string;
  confidence: number;
  clarify: boolean;
  /** Which engine decided: the LLM, or the offline classifier. */
  engine?: 'llm' | 'offline';
  /** Why the offline classifier decided when an LLM was configured (timeout, parse_error, error, budget). */
  fallbackReason?: string;
}

/** Runs the router decision under a `router.decide` span and counts offline fallbacks. */
export async function observeRouter<T extends RouterOutcome>(metrics: Metrics | undefined, fn: () => Promise<T> | T): Promise<T> {
  return inSpan('router.decide', { [GEN_AI.agentName]: 'router' }, async (span) => {
    const decision = await fn();
    span.setAttributes({
      'switchboard.route': decision.route,
      'switchboard.route.confidence': decision.confidence,
      'switchboard.route.clarify': decision.clarify,
      ...(decision.engine ? { 'switchboard.engine': decision.engine } : {}),
    });
    if (decision.fallbackReason) {
      span.setAttribute('switchboard.router.fallback_reason', decision.fallbackReason);
      metrics?.routerFallbacks.inc({ reason: decision.fallbackReason });
    }
    return decision;
  });
}

/** Runs an agent under an `invoke_agent <name>` span; counts the run and its duration by outcome. */
export async function observeAgent<T>(metrics: Metrics | undefined, agent: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  return inSpan(`invoke_agent ${agent}`, { [GEN_AI.operation]: 'invoke_agent', [GEN_AI.agentName]: agent }, async (span) => {
    try {
      const result = await fn();
      const engine = (result as { engine?: unknown } | null)?.engine;
      if (typeof engine === 'string') span.setAttribute('switchboard.engine', engine);
      metrics?.agentRequests.inc({ agent_type: agent, status: 'success' });
      return result;
    } catch (err) {
      metrics?.agentRequests.inc({ agent_type: agent, status: 'error' });
      throw err;
    } finally {
      metrics?.agentDuration.observe({ agent_type: agent }, (performance.now() - started) / 1000);
    }
  });
}

/** Runs a tool under an `execute_tool <name>` span; counts it by the agent that called it and its status. */
export async function observeTool<T>(metrics: Metrics | undefined, agent: string, toolName: string, fn: () => Promise<T>): Promise<T> {
  return inSpan(`execute_tool ${toolName}`, { [GEN_AI.operation]: 'execute_tool', [GEN_AI.toolName]: toolName, [GEN_AI.toolType]: 'function', [GEN_AI.agentName]: agent }, async (span) => {
    try {
      const result = await fn();
      const notFound = typeof result === 'object' && result !== null && (result as { found?: unknown }).found === false;
      const status = notFound ? 'not_found' : 'ok';
      span.setAttribute('switchboard.tool.status', status);
      metrics?.agentToolCalls.inc({ agent_type: agent, tool_name: toolName, status });
      return result;
    } catch (err) {
      metrics?.agentToolCalls.inc({ agent_type: agent, tool_name: toolName, status: 'error' });
      throw err;
    }
  });
}

/** Times a knowledge search (vector + full text) into vector_search_duration_seconds, under its own span. */
export async function observeVectorSearch<T>(metrics: Metrics | undefined, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await inSpan('knowledge.search', { 'db.system.name': 'postgresql', 'switchboard.search': 'hybrid' }, () => fn());
  } finally {
    metrics?.vectorSearchDuration.observe((performance.now() - started) / 1000);
  }
}
