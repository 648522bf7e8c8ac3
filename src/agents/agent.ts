import type { Citation } from '../db/schema.js';
import type { OfflineBehaviour } from '../llm/offline/offline-model.js';
import type { OfflineServices, TurnContext } from './context.js';
import type { AgentTool } from './tools/tool.js';

/** What an agent's check of a finished answer decides: keep it (reshaped), or ask once more. */
export type Checked = { ok: true; content: string; citations: Citation[] } | { ok: false; feedback: string };

/**
 * One agent: what the router reads about it, what the model is told, the tools it may call, how
 * many model steps an answer may take, and its offline logic. The runner does the rest.
 */
export interface Agent {
  readonly name: string;
  /** What the router reads to choose it. */
  readonly description: string;
  /** The system prompt: a pure function of the turn. */
  instructions(ctx: TurnContext): string;
  readonly tools: readonly AgentTool[];
  /** The loop limit: model steps per answer (tool rounds plus the final answer). */
  readonly maxSteps: number;
  /** An answer given without any model when the agent must not run (e.g. sign-in required). */
  precheck?(ctx: TurnContext): string | undefined;
  /** Checks and shapes the final answer (e.g. citations); a failed check is regenerated once, then answered offline. */
  check?(ctx: TurnContext, text: string): Checked;
  /** Facts for the offline engine that are not in the prompt (they travel as call tags). */
  hints?(ctx: TurnContext): Record<string, string | number | boolean | null>;
  /** The agent's logic in the offline engine. */
  offline(services: OfflineServices): OfflineBehaviour;
}
