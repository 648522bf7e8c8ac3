import { accountScenarios } from './account.js';
import { actionScenarios } from './actions.js';
import { escalationScenarios } from './escalation.js';
import { faqScenarios } from './faq.js';
import { flowScenarios } from './flows.js';
import type { Scenario } from './harness.js';

/** Every scripted customer scenario of the conversation evaluation. */
export const SCENARIOS: readonly Scenario[] = [...accountScenarios, ...actionScenarios, ...faqScenarios, ...escalationScenarios, ...flowScenarios];
