import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import type { Config } from '../config.js';
import { CircuitBreaker, type BreakerState } from './breaker.js';
import { UNLIMITED, type CallBudget, type TurnScope } from './budget.js';
import { type ModelCallOptions, modelCallMiddleware } from './middleware/model-call.js';
import { ObserverSet, type LlmObserver } from './observer.js';
import { loadPrices, type PriceTable } from './prices.js';
import type { UsageRecorder } from './usage-recorder.js';

/** The providers LLM_PROVIDER can name. */
export type LlmProvider = Config['LLM_PROVIDER'];

/** Every model the agents use, each behind the same middleware, plus the offline engine. */
export interface LlmRegistry {
  readonly provider: LlmProvider;
  /** The model agents answer with. */
  readonly agentModel: LanguageModelV3;
  /** The model the router (and summaries) use: LLM_ROUTER_MODEL, or the agent model. */
  readonly routerModel: LanguageModelV3;
  /** The offline engine (the default provider, and every fallback). */
  readonly offline: LanguageModelV3;
  readonly prices: PriceTable;
  /** Adds an observer (metrics, tracing) of every call. */
  addObserver(observer: LlmObserver): void;
  /** Writes a conversation's held-back usage rows, those of `usageIds` (its calls' tags) linked to the stored reply. */
  settleUsage(usageIds: readonly string[], messageId: string, conversationId: string): Promise<void>;
  /** Writes every usage row still held back (at shutdown). */
  flushUsage(): Promise<void>;
  /** Whether the budgets want a turn's spend read with its message (and so which scopes). */
  budgetScopes(): { conversation: boolean; customer: boolean };
  /** Hands the budgets a turn's spend (read with its message); `endTurn` once its reply is stored. */
  primeBudget(q: TurnScope, spend: { conversation: number | null; customer: number | null }): void;
  endTurn(q: TurnScope): void;
  /** Plugs in the cost budgets consulted before every call. */
  setBudget(budget: CallBudget): void;
  /** The circuit breaker state of each configured model. */
  breakers(): Record<string, BreakerState>;
}

export interface LlmOptions {
  offline: LanguageModelV3;
  record: UsageRecorder;
  /** Writes the turn's rows the recorder held back (see UsageBuffer); default: nothing (rows written as recorded). */
  settleUsage?: (usageIds: readonly string[], messageId: string, conversationId: string) => Promise<void>;
  flushUsage?: () => Promise<void>;
  /** Reports observer errors and the like (the logger). */
  onError?: (err: unknown) => void;
  /** The raw model for a model id (default: the configured provider's); tests pass AI SDK mock models. */
  providerModel?: (modelId: string) => LanguageModelV3;
  /** Injectable for tests. */
  sleep?: ModelCallOptions['sleep'];
  random?: () => number;
  now?: () => number;
}

/** The raw provider model for a model id (no middleware). */
export function providerModel(config: Config, modelId: string): LanguageModelV3 {
  switch (config.LLM_PROVIDER) {
    case 'openai':
      // Chat Completions (not the Responses API), so LLM_BASE_URL may point at any compatible proxy too.
      return createOpenAI({ apiKey: config.LLM_API_KEY, baseURL: config.LLM_BASE_URL }).chat(modelId);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'llm',
        baseURL: config.LLM_BASE_URL!,
        apiKey: config.LLM_API_KEY,
        includeUsage: true,
        supportsStructuredOutputs: true,
      }).chatModel(modelId);
    case 'anthropic':
      return createAnthropic({ apiKey: config.LLM_API_KEY, baseURL: config.LLM_BASE_URL }).languageModel(modelId);
    case 'offline':
      throw new Error('The offline provider has no provider model');
  }
}

/**
 * Builds the models from the configuration. With LLM_PROVIDER=offline every model is the offline
 * engine. Otherwise each model is wrapped in one middleware (model-call.ts): budget, circuit
 * breaker, a deadline per try, retries with backoff (Retry-After), llm_usage rows and observers,
 * and the offline answer when the LLM may not or cannot give one.
 */
export function createLlm(config: Config, opts: LlmOptions): LlmRegistry {
  const observers = new ObserverSet(opts.onError);
  const prices = loadPrices(config.LLM_PRICES_FILE);
  let budget: CallBudget = UNLIMITED;
  const breakers = new Map<string, CircuitBreaker>();
  const base = {
    provider: config.LLM_PROVIDER,
    offline: opts.offline,
    prices,
    addObserver: (o: LlmObserver) => observers.add(o),
    settleUsage: opts.settleUsage ?? (async () => {}),
    flushUsage: opts.flushUsage ?? (async () => {}),
    setBudget: (b: CallBudget) => {
      budget = b;
    },
    budgetScopes: () => (budget.prime ? { conversation: config.LLM_BUDGET_CONVERSATION_USD > 0, customer: config.LLM_BUDGET_CUSTOMER_DAY_USD > 0 } : { conversation: false, customer: false }),
    primeBudget: (q: TurnScope, spend: { conversation: number | null; customer: number | null }) => budget.prime?.(q, spend),
    endTurn: (q: TurnScope) => budget.forget?.(q),
    breakers: () => Object.fromEntries([...breakers].map(([k, b]) => [k, b.state])),
  };
  if (config.LLM_PROVIDER === 'offline') return { ...base, agentModel: opts.offline, routerModel: opts.offline };

  const provider = config.LLM_PROVIDER;
  function pipeline(modelId: string, cheaper?: LanguageModelV3): LanguageModelV3 {
    const breaker = new CircuitBreaker({
      failureThreshold: config.LLM_BREAKER_FAILURES,
      cooldownMs: config.LLM_BREAKER_COOLDOWN_MS,
      now: opts.now,
      onChange: (state) => observers.onBreaker({ provider, model: modelId, state }),
    });
    breakers.set(modelId, breaker);
    return wrapLanguageModel({
      model: opts.providerModel ? opts.providerModel(modelId) : providerModel(config, modelId),
      middleware: modelCallMiddleware({
        provider,
        model: modelId,
        offline: opts.offline,
        breaker,
        budget: () => budget,
        cheaper,
        prices,
        record: opts.record,
        observers,
        timeoutMs: config.LLM_TIMEOUT_MS,
        retry: { maxRetries: config.LLM_MAX_RETRIES, baseDelayMs: config.LLM_RETRY_BASE_DELAY_MS, maxDelayMs: config.LLM_RETRY_MAX_DELAY_MS },
        sleep: opts.sleep,
        random: opts.random,
      }),
    });
  }
  const mainId = config.LLM_MODEL!;
  const routerId = config.LLM_ROUTER_MODEL && config.LLM_ROUTER_MODEL !== mainId ? config.LLM_ROUTER_MODEL : undefined;
  const routerModel = routerId ? pipeline(routerId) : undefined;
  const agentModel = pipeline(mainId, routerModel);
  return { ...base, agentModel, routerModel: routerModel ?? agentModel };
}
