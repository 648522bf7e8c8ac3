import type { LanguageModelV3CallOptions, SharedV3ProviderMetadata, SharedV3ProviderOptions } from '@ai-sdk/provider';

// What travels with a model call in `providerOptions.switchboard` (who is asking), and what comes
// back in `providerMetadata.switchboard` (who answered). Providers ignore a namespace not their own.

/** The providerOptions / providerMetadata namespace Switchboard uses. */
export const NAMESPACE = 'switchboard';

/** Who a model call is for: the agent it serves and the conversation and customer it belongs to. */
export interface CallTags {
  agent: string;
  conversationId?: string;
  customerId?: string;
  /** Small facts the offline engine needs that are not in the prompt (e.g. `afterClarify`). */
  hints?: Record<string, string | number | boolean | null>;
}

/** Which engine answered a call, and what it cost. */
export interface CallOutcome {
  engine: 'llm' | 'offline';
  provider: string;
  model: string;
  /** Why the offline engine answered instead of the configured LLM (timeout, rate_limited, circuit_open, budget, ...). */
  fallback?: string;
  /** The llm_usage row of the call, when one was written. */
  usageId?: string;
  costUsd?: number;
}

/** providerOptions for a call with these tags. */
export function callOptions(tags: CallTags): SharedV3ProviderOptions {
  const value: Record<string, string | Record<string, string | number | boolean | null>> = { agent: tags.agent };
  if (tags.conversationId) value.conversationId = tags.conversationId;
  if (tags.customerId) value.customerId = tags.customerId;
  if (tags.hints) value.hints = tags.hints;
  return { [NAMESPACE]: value };
}

/** The tags of a call (agent 'unknown' when none were given). */
export function tagsOf(params: Pick<LanguageModelV3CallOptions, 'providerOptions'>): CallTags {
  const raw = params.providerOptions?.[NAMESPACE] as Record<string, unknown> | undefined;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const hints = raw?.hints && typeof raw.hints === 'object' ? (raw.hints as CallTags['hints']) : undefined;
  return { agent: str(raw?.agent) ?? 'unknown', conversationId: str(raw?.conversationId), customerId: str(raw?.customerId), hints };
}

/** Adds (or replaces) the outcome in a call's provider metadata. */
export function withOutcome(metadata: SharedV3ProviderMetadata | undefined, outcome: CallOutcome): SharedV3ProviderMetadata {
  const value: Record<string, string | number> = { engine: outcome.engine, provider: outcome.provider, model: outcome.model };
  if (outcome.fallback) value.fallback = outcome.fallback;
  if (outcome.usageId) value.usageId = outcome.usageId;
  if (outcome.costUsd !== undefined) value.costUsd = outcome.costUsd;
  return { ...metadata, [NAMESPACE]: value };
}

/** The outcome recorded in a call's provider metadata, if any. */
export function outcomeOf(metadata: SharedV3ProviderMetadata | undefined): CallOutcome | undefined {
  const raw = metadata?.[NAMESPACE] as Record<string, unknown> | undefined;
  if (!raw || (raw.engine !== 'llm' && raw.engine !== 'offline')) return undefined;
  return {
    engine: raw.engine,
    provider: String(raw.provider ?? ''),
    model: String(raw.model ?? ''),
    fallback: typeof raw.fallback === 'string' ? raw.fallback : undefined,
    usageId: typeof raw.usageId === 'string' ? raw.usageId : undefined,
    costUsd: typeof raw.costUsd === 'number' ? raw.costUsd : undefined,
  };
}
