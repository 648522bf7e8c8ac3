import type { AuthContext } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Conversation } from '../db/queries/conversations.js';
import type { SearchHit } from '../db/queries/knowledge.js';
import type { Message } from '../db/queries/messages.js';
import type { Citation, MessageUsage, ToolCallRecord } from '../db/schema.js';
import type { Cache } from '../infra/cache.js';
import type { RememberedMessage } from '../memory/memory.js';
import type { Embedder } from '../llm/embeddings.js';
import type { IntentClassifier } from '../llm/offline/classifier.js';
import type { DetectedLanguage } from '../llm/offline/language.js';
import type { Route } from '../llm/offline/routes.js';
import type { LlmRegistry } from '../llm/registry.js';
import type { JobRunner } from '../jobs/job.js';
import type { Metrics } from '../observability/metrics.js';
import type { CitablePassage } from '../contract/events.js';
import type { EmitEvent } from '../realtime/bus.js';
import type { HandoffDecision } from './handoff-policy.js';

/** What every agent may use: the database, the embedder, the classifier, the models and the configuration. */
export interface AgentDeps {
  db: Db;
  embedder: Embedder;
  classifier: IntentClassifier;
  config: Config;
  /** The models: the provider registry with its middleware, observers and budgets (built by createDeps). */
  llm: LlmRegistry;
  /** The shared cache for conversation memory (none: memory is read from the database every turn). */
  cache?: Cache;
  /** Prometheus metrics (agent, tool, LLM, handoff counters); none: nothing is counted. */
  metrics?: Metrics;
  /** Background jobs (ticket notifications); none: nothing is queued. */
  jobs?: JobRunner;
  /** The clock business hours are read against (tests fix it); default: the system clock. */
  now?: () => Date;
}

/** The services an agent's offline logic uses (no database: tools read it, the offline engine reads their results). */
export type OfflineServices = Pick<AgentDeps, 'classifier' | 'embedder' | 'config'>;

/** A passage the knowledge search returned in this turn, with the number the model cites it by. */
export interface RetrievedPassage extends SearchHit {
  ref: number;
}

/** The passages retrieved in one turn: the only ones an answer may cite. */
export class RetrievedPassages {
  private readonly list: RetrievedPassage[] = [];

  /** Registers a search hit (once per chunk) and returns it with its citation number. */
  add(hit: SearchHit): RetrievedPassage {
    const known = this.list.find((p) => p.chunkId === hit.chunkId);
    if (known) return known;
    const passage = { ...hit, ref: this.list.length + 1 };
    this.list.push(passage);
    return passage;
  }

  byRef(ref: number): RetrievedPassage | undefined {
    return this.list[ref - 1];
  }

  byChunkId(id: string): RetrievedPassage | undefined {
    return this.list.find((p) => p.chunkId === id.toLowerCase());
  }

  get size(): number {
    return this.list.length;
  }

  /** Every passage so far as a client may show it (which article each `[ref]` cites). */
  citable(): CitablePassage[] {
    return this.list.map((p) => ({ ref: p.ref, title: p.title, slug: p.slug }));
  }
}

/** One turn as the agents see it. Identity comes from here, never from the model or the message. */
export interface TurnContext {
  deps: AgentDeps;
  llm: LlmRegistry;
  auth: AuthContext;
  conversation: Conversation;
  /** The customer whose records the account tools may read; null for anonymous visitors and staff. */
  customerId: string | null;
  /** The message being answered (already stored). */
  userMessage: Message;
  /** The id the assistant's reply will be stored under; its streamed tokens carry it as message_ref. */
  messageId: string;
  /** Recent messages, oldest first, ending with userMessage. */
  history: RememberedMessage[];
  /** The running summary of what came before `history` in a long conversation. */
  summary: string | null;
  /** The message's language when it is confidently not English (a hint for the LLM; offline, a notice); null otherwise. */
  language: DetectedLanguage | null;
  /** Receives the turn's events (route, tokens, tools) as they happen. */
  emit: EmitEvent;
  retrieved: RetrievedPassages;
  /** What the server decided about a person for this turn, and the ticket create_ticket opened or found under it. */
  handoff: HandoffState;
}

/** The turn's handoff: only a `ticket` decision lets create_ticket open one (a model's word never does). */
interface HandoffState {
  decision: HandoffDecision;
  ticketNumber?: string;
}

/** Tokens and cost of the model calls behind a message. */
export type TurnUsage = MessageUsage;

/** Which model calls of a turn cost what, and whether the offline engine had to stand in. */
export interface CallLedger {
  usage: TurnUsage;
  /** llm_usage rows written for these calls (linked to the stored message afterwards). */
  usageIds: string[];
  /** Why the offline engine answered (a call) instead of the LLM, when it did. */
  fallback?: string;
}

/** The router's decision for a turn. */
export interface RouteDecision extends Partial<CallLedger> {
  route: Route;
  confidence: number;
  reasoning: string;
  /** True when the router asks a clarifying question instead of routing. */
  clarify: boolean;
  /** Who decided: the LLM, or the offline classifier. */
  engine?: 'llm' | 'offline';
  /** Why the offline classifier decided when an LLM was configured (timeout, parse_error, error, budget, ...). */
  fallbackReason?: string;
}

/** What an agent answers, before it is stored. */
export interface AgentReply extends Partial<CallLedger> {
  agent: string;
  content: string;
  citations: Citation[];
  toolCalls: ToolCallRecord[];
  engine: 'offline' | 'llm';
}

/** Formats an amount in cents as money, e.g. 9800 USD → "$98.00". */
export function formatMoney(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

/** No tokens, no cost. */
export const NO_USAGE: TurnUsage = { input_tokens: 0, output_tokens: 0, cached_tokens: 0, cost_usd: 0 };

/** The sum of two usages (cost rounded to the micro-dollar). */
export function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
    cost_usd: Math.round((a.cost_usd + b.cost_usd) * 1e6) / 1e6,
  };
}
