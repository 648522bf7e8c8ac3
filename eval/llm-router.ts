/**
 * The router as an LLM runs it, for evaluating a configured provider: the router's own
 * instructions and structured-output schema (src/agents/router.ts), the raw provider model (no
 * offline fallback, so the model is measured, not the fallback), one message at a time.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { generateText, Output } from 'ai';
import { AGENT_LIST } from '../src/agents/llm.js';
import { instructions, routeSchema } from '../src/agents/router.js';
import type { Config } from '../src/config.js';
import { providerModel } from '../src/llm/registry.js';
import type { RouteFn } from './routing.js';

/** Routes with a language model; a call that fails or returns no valid decision counts as `failed` (scored as out_of_scope). */
export function llmRouter(model: LanguageModelV3, opts: { threshold: number; timeoutMs: number; maxRetries: number }): RouteFn {
  return async (text) => {
    try {
      const { output } = await generateText({
        model,
        output: Output.object({ schema: routeSchema, name: 'route' }),
        system: instructions(AGENT_LIST),
        prompt: text,
        maxRetries: opts.maxRetries,
        abortSignal: AbortSignal.timeout(opts.timeoutMs),
      });
      return { route: output.route, confidence: output.confidence, clarify: output.confidence < opts.threshold };
    } catch {
      return { route: 'out_of_scope', confidence: 0, clarify: true, failed: true };
    }
  };
}

/** The configured provider's router model (LLM_ROUTER_MODEL, else LLM_MODEL), or null with the offline engine. */
export function configuredRouter(config: Config): { name: string; route: RouteFn } | null {
  if (config.LLM_PROVIDER === 'offline') return null;
  const modelId = config.LLM_ROUTER_MODEL ?? config.LLM_MODEL!;
  return {
    name: `${config.LLM_PROVIDER} ${modelId}`,
    route: llmRouter(providerModel(config, modelId), {
      threshold: config.ROUTER_CONFIDENCE_THRESHOLD,
      timeoutMs: config.LLM_TIMEOUT_MS,
      maxRetries: config.LLM_MAX_RETRIES,
    }),
  };
}
