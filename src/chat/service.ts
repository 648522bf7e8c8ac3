import type { AgentDeps } from '../agents/context.js';
import { customerIdOf, runTurn, type TurnResult } from '../agents/orchestrator.js';
import type { AuthContext } from '../auth/tokens.js';
import { createConversation, getConversation, linkConversationToUser, type Conversation } from '../db/queries/conversations.js';
import { acceptMessage, getReply, messageByClientId, type Message } from '../db/queries/messages.js';
import { AppError } from '../errors.js';
import type { MemoryPrefetch } from '../memory/memory.js';
import type { EventBus } from '../realtime/bus.js';
import type { EmitEvent } from '../realtime/bus.js';
import { toStaffMessage } from './wire.js';
import { assertOwner } from './access.js';

const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** What the chat service needs: the agents' dependencies, and the realtime bus when the app has one. */
export type ChatDeps = AgentDeps & { bus?: EventBus };

/**
 * Opens a conversation for the caller: owned by the signed-in user, or by its conversation token.
 * With an `id` (derived from an idempotency key) a retry opens the conversation the first attempt did.
 */
export async function openConversation(deps: AgentDeps, auth: AuthContext, opts: { channel?: string; subject?: string | null; id?: string } = {}): Promise<Conversation> {
  const userId = auth.kind === 'user' ? auth.userId : null;
  const conversation = await createConversation(deps.db, { id: opts.id, userId, customerId: customerIdOf(auth), channel: opts.channel, subject: opts.subject ?? null });
  if (opts.id && conversation.userId !== userId) throw new AppError('idempotency_key_reused', 422, 'This Idempotency-Key was already used with a different request; use a new key');
  return conversation;
}

/**
 * A visitor who signs in keeps the conversation they started: the signed-in customer presents its
 * conversation token (proof they hold it), and the conversation becomes theirs. Refused with 404 when
 * the token is not this conversation's or the conversation already belongs to an account (theirs: no
 * change), so nobody claims a conversation that is not theirs.
 */
export async function claimConversation(deps: AgentDeps, auth: AuthContext, conversationId: string, holder: AuthContext): Promise<Conversation> {
  if (auth.kind !== 'user') throw new AppError('unauthorized', 401, 'Sign in to keep this conversation');
  if (auth.role !== 'customer') throw new AppError('forbidden', 403, 'Only a customer account can keep a visitor conversation');
  const conversation = await getConversation(deps.db, conversationId);
  if (conversation && conversation.userId === auth.userId) return conversation;
  const notYours = new AppError('conversation_not_found', 404, 'Conversation not found');
  if (!conversation || holder.kind !== 'conversation' || holder.conversationId !== conversationId) throw notYours;
  const linked = await linkConversationToUser(deps.db, conversationId, { userId: auth.userId, customerId: customerIdOf(auth) });
  if (!linked) throw notYours;
  return linked;
}

/** A customer's message and what the assistant answered (null while a human holds the conversation). */
export interface SentMessage extends TurnResult {
  conversation: Conversation;
  userMessage: Message;
}

/** A stored customer message; `created` is false when its client_id had already been used (nothing stored twice). */
export interface AcceptedMessage {
  conversation: Conversation;
  userMessage: Message;
  created: boolean;
  /** The conversation's first message: the turn has no memory to read. */
  firstMessage: boolean;
}

/**
 * Stores the customer's message before anything else runs (so nothing they wrote is lost whatever
 * fails later) and announces it to the conversation's live listeners. With a `clientId` a repeat
 * returns the message already stored.
 */
export async function acceptCustomerMessage(deps: ChatDeps, auth: AuthContext, conversationId: string, content: string, clientId?: string): Promise<AcceptedMessage> {
  const authorId = auth.kind === 'user' ? auth.userId : null;
  // One statement: the conversation, the ownership and status checks, and the insert.
  // …and the cost budgets' one read for the turn (their conversation and customer-day spend).
  const scopes = deps.llm.budgetScopes();
  const customerId = customerIdOf(auth);
  const accepted = await acceptMessage(
    deps.db,
    { conversationId, content, authorId, clientId },
    { userId: authorId, conversationId: auth.kind === 'conversation' ? auth.conversationId : null },
    { conversation: scopes.conversation, customerId: scopes.customer ? customerId : null, since: startOfUtcDay(new Date()) },
  );
  const conversation = accepted.conversation;
  assertOwner(auth, conversation);
  if (conversation.status === 'closed') throw new AppError('conversation_closed', 409, 'This conversation is closed; start a new one');
  let userMessage = accepted.message;
  const created = userMessage !== null;
  // Nothing stored by the owner of an open conversation: the client id was used before (a retry).
  if (!userMessage && clientId) userMessage = (await messageByClientId(deps.db, conversationId, clientId)) ?? null;
  if (!userMessage) throw new Error(`message to ${conversationId} was neither stored nor found`);
  // Fire and forget: the bus keeps each conversation's order and reports a failed publish (Redis down:
  // realtime is degraded, the turn goes on).
  if (created) deps.llm.primeBudget({ conversationId, customerId }, accepted.spend);
  if (created && deps.bus) deps.bus.emit({ type: 'message.created', conversation_id: conversationId, message: toStaffMessage(userMessage) });
  return { conversation, userMessage, created, firstMessage: created && !accepted.hadMessages };
}

/** Runs the turn for a stored message; its events go to the conversation's live listeners and to `emit`. */
export function answerMessage(
  deps: ChatDeps,
  auth: AuthContext,
  conversation: Conversation,
  userMessage: Message,
  emit?: EmitEvent,
  opts: { firstMessage?: boolean; memory?: MemoryPrefetch | null } = {},
): Promise<TurnResult> {
  const bus = deps.bus;
  const fanOut: EmitEvent | undefined = bus
    ? (event) => {
        emit?.(event);
        bus.emit(event);
      }
    : emit;
  return runTurn(deps, { auth, conversation, userMessage, firstMessage: opts.firstMessage, memory: opts.memory }, fanOut);
}

/**
 * Stores the customer's message, then runs the turn (REST and SSE; the WebSocket debounces bursts
 * first). With a `clientId` (the request's Idempotency-Key) a retry after any failure finds the
 * message the first attempt stored: it returns its reply when one was stored, and otherwise answers
 * it now, so a message is stored once and answered once. `memory`: the conversation's cached memory
 * as the route prefetched it.
 */
export async function sendCustomerMessage(
  deps: ChatDeps,
  auth: AuthContext,
  conversationId: string,
  content: string,
  opts: { emit?: EmitEvent; clientId?: string; memory?: MemoryPrefetch | null } = {},
): Promise<SentMessage> {
  const { conversation, userMessage, created, firstMessage } = await acceptCustomerMessage(deps, auth, conversationId, content, opts.clientId);
  if (!created) {
    if (userMessage.content !== content) {
      throw new AppError('idempotency_key_reused', 422, 'This Idempotency-Key was already used with a different request; use a new key');
    }
    const reply = await getReply(deps.db, userMessage.id);
    if (reply) return { conversation, userMessage, decision: null, assistantMessage: reply };
  }
  const turn = await answerMessage(deps, auth, conversation, userMessage, opts.emit, { firstMessage, memory: opts.memory });
  return { conversation, userMessage, ...turn };
}
