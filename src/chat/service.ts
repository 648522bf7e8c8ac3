import type { AgentDeps } from '../agents/context.js';
import { customerIdOf, runTurn, type TurnResult } from '../agents/orchestrator.js';
import type { AuthContext } from '../auth/tokens.js';
import { createConversation, getConversation, type Conversation } from '../db/queries/conversations.js';
import { insertMessage, type Message } from '../db/queries/messages.js';
import { AppError } from '../errors.js';
import { assertOwner } from './access.js';

/** Opens a conversation for the caller: owned by the signed-in user, or by its conversation token. */
export function openConversation(deps: AgentDeps, auth: AuthContext, opts: { channel?: string; subject?: string | null } = {}): Promise<Conversation> {
  const userId = auth.kind === 'user' ? auth.userId : null;
  return createConversation(deps.db, { userId, customerId: customerIdOf(auth), channel: opts.channel, subject: opts.subject ?? null });
}

/** A customer's message and what the assistant answered (null while a human holds the conversation). */
export interface SentMessage extends TurnResult {
  conversation: Conversation;
  userMessage: Message;
}

/**
 * Stores the customer's message first (so nothing they wrote is lost whatever fails later),
 * then runs the turn.
 */
export async function sendCustomerMessage(deps: AgentDeps, auth: AuthContext, conversationId: string, content: string): Promise<SentMessage> {
  const conversation = await getConversation(deps.db, conversationId);
  assertOwner(auth, conversation);
  if (conversation.status === 'closed') throw new AppError('conversation_closed', 409, 'This conversation is closed; start a new one');
  const authorId = auth.kind === 'user' ? auth.userId : null;
  const userMessage = await insertMessage(deps.db, { conversationId, role: 'user', content, authorId });
  const turn = await runTurn(deps, { auth, conversation, userMessage });
  return { conversation, userMessage, ...turn };
}
