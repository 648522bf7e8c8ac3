import type { LanguageModelV3 } from '@ai-sdk/provider';
import { createOfflineModel } from '../llm/offline/offline-model.js';
import { createLlm, type LlmRegistry } from '../llm/registry.js';
import { dbUsageRecorder } from '../llm/usage-recorder.js';
import { instrumentLlm } from '../observability/wiring.js';
import { offlineSummary, SUMMARY_AGENT } from '../memory/summary.js';
import { account } from './account.js';
import type { AgentDeps, OfflineServices } from './context.js';
import { escalation } from './escalation.js';
import { faq } from './faq.js';
import * as router from './router.js';

/** The specialist agents the router chooses between, by route. */
export const AGENTS = { faq, account, escalation } as const;

/** The offline engine with every agent's offline logic (and the summary's). */
export function createOfflineEngine(services: OfflineServices): LanguageModelV3 {
  return createOfflineModel({
    [router.name]: router.offline(services),
    [faq.name]: faq.offline(services),
    [account.name]: account.offline(services),
    [escalation.name]: escalation.offline(services),
    [SUMMARY_AGENT]: offlineSummary(),
  });
}

/** Builds the models for the service: the configured provider behind the middleware, the offline engine as fallback. */
export function buildLlm(deps: Pick<AgentDeps, 'config' | 'db' | 'classifier' | 'embedder' | 'metrics'>, onError: (err: unknown) => void = () => {}): LlmRegistry {
  const llm = createLlm(deps.config, { offline: createOfflineEngine(deps), record: dbUsageRecorder(deps.db, onError), onError });
  // Metrics and spans for every call, and the cost budgets (src/observability/wiring.ts).
  return instrumentLlm(llm, deps);
}

const built = new WeakMap<AgentDeps, LlmRegistry>();

/** The models of these deps: `deps.llm`, or built from the configuration on first use. */
export function llmOf(deps: AgentDeps): LlmRegistry {
  if (deps.llm) return deps.llm;
  let llm = built.get(deps);
  if (!llm) {
    llm = buildLlm(deps);
    built.set(deps, llm);
  }
  return llm;
}
