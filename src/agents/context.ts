import type { AuthContext } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Conversation } from '../db/queries/conversations.js';
import type { Message } from '../db/queries/messages.js';
import type { Citation, ToolCallRecord } from '../db/schema.js';
import type { Embedder } from '../llm/embeddings.js';
import type { IntentClassifier } from '../llm/offline/classifier.js';
import type { Route } from '../llm/offline/routes.js';
import type { Slots } from '../llm/offline/slots.js';

/** What every agent may use: the database, the embedder, the classifier and the configuration. */
export interface AgentDeps {
  db: Db;
  embedder: Embedder;
  classifier: IntentClassifier;
  config: Config;
}

/** One turn as the agents see it. Identity comes from here, never from the model or the message. */
export interface TurnContext {
  deps: AgentDeps;
  auth: AuthContext;
  conversation: Conversation;
  /** The customer whose records the account tools may read; null for anonymous visitors and staff. */
  customerId: string | null;
  /** The message being answered (already stored). */
  userMessage: Message;
  /** Recent messages, oldest first, ending with userMessage. */
  history: Message[];
  slots: Slots;
}

/** The router's decision for a turn. */
export interface RouteDecision {
  route: Route;
  confidence: number;
  reasoning: string;
  /** True when the router asks a clarifying question instead of routing. */
  clarify: boolean;
}

/** What an agent answers, before it is stored. */
export interface AgentReply {
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
