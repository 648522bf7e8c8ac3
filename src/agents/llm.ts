import type { LanguageModelV3 } from '@ai-sdk/provider';
import { createOfflineModel } from '../llm/offline/offline-model.js';
import { offlineSummary, SUMMARY_AGENT } from '../memory/summary.js';
import type { AgentRoute } from '../llm/offline/routes.js';
import { account } from './account.js';
import type { Agent } from './agent.js';
import type { OfflineServices } from './context.js';
import { escalation } from './escalation.js';
import { faq } from './faq.js';
import * as router from './router.js';

/** The specialist agents the router chooses between, by route. */
export const AGENTS = { faq, account, escalation } as const satisfies Record<AgentRoute, Agent>;

/** What the router reads about each agent: its route name and description. */
export const AGENT_LIST: readonly { name: string; description: string }[] = Object.values(AGENTS).map((a) => ({ name: a.name, description: a.description }));

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
