import type { AuthContext } from '../auth/tokens.js';
import type { Conversation } from '../db/queries/conversations.js';
import { insertMessage, recentMessages, type Message } from '../db/queries/messages.js';
import { touchConversation } from '../db/queries/conversations.js';
import { extractSlots } from '../llm/offline/slots.js';
import * as account from './account.js';
import type { AgentDeps, AgentReply, RouteDecision, TurnContext } from './context.js';
import * as escalation from './escalation.js';
import * as faq from './faq.js';
import * as router from './router.js';

/** The outcome of a turn: the stored assistant message, or null when a human holds the conversation. */
export interface TurnResult {
  decision: RouteDecision | null;
  assistantMessage: Message | null;
}

/** The customer whose records a turn may read: the signed-in customer, never staff or anonymous visitors. */
export function customerIdOf(auth: AuthContext): string | null {
  return auth.kind === 'user' && auth.role === 'customer' ? auth.customerId : null;
}

async function answer(ctx: TurnContext, decision: RouteDecision): Promise<AgentReply> {
  if (decision.clarify) return router.replyOffline(ctx, decision);
  switch (decision.route) {
    case 'faq':
      return faq.answerOffline(ctx);
    case 'account':
      return account.answerOffline(ctx);
    case 'escalation':
      return escalation.answerOffline(ctx);
    default:
      return router.replyOffline(ctx, decision);
  }
}

/**
 * Answers a stored user message: memory → router → agent → the stored assistant message.
 * While a human holds the conversation the AI stays silent.
 */
export async function runTurn(deps: AgentDeps, input: { auth: AuthContext; conversation: Conversation; userMessage: Message }): Promise<TurnResult> {
  if (input.conversation.status === 'human') return { decision: null, assistantMessage: null };
  const history = await recentMessages(deps.db, input.conversation.id, deps.config.MEMORY_MESSAGES);
  const ctx: TurnContext = {
    deps,
    auth: input.auth,
    conversation: input.conversation,
    customerId: customerIdOf(input.auth),
    userMessage: input.userMessage,
    history,
    slots: extractSlots(input.userMessage.content),
  };
  const decision = router.routeOffline(ctx);
  const reply = await answer(ctx, decision);
  const assistantMessage = await insertMessage(deps.db, {
    conversationId: input.conversation.id,
    role: 'assistant',
    content: reply.content,
    replyTo: input.userMessage.id,
    agent: reply.agent,
    route: decision.clarify ? router.CLARIFY_ROUTE : decision.route,
    confidence: decision.confidence,
    engine: reply.engine,
    citations: reply.citations,
    toolCalls: reply.toolCalls,
    usage: { input_tokens: 0, output_tokens: 0, cached_tokens: 0, cost_usd: 0 },
  });
  await touchConversation(deps.db, input.conversation.id);
  return { decision, assistantMessage };
}
