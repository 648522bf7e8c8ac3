import type { z } from 'zod';
import type { Audience, conversationSchema, messageSchema, pendingActionSchema, staffMessageSchema } from '../contract/messages.js';
import type { Conversation } from '../db/queries/conversations.js';
import type { AuthoredMessage } from '../db/queries/messages.js';
import type { PendingActionView } from '../db/schema.js';
import { actionsOf } from './actions.js';

// Stored rows (camelCase) as the wire contract shows them (snake_case, ISO times): the one mapping,
// used by the HTTP routes and by everything that publishes an event with a message in it.

/** A stored message as a customer sees it (the response schemas strip anything else too). */
export function toMessage(m: AuthoredMessage): z.output<typeof messageSchema> {
  return {
    id: m.id,
    conversation_id: m.conversationId,
    role: m.role,
    content: m.content,
    agent: m.agent,
    route: m.route,
    confidence: m.confidence,
    engine: m.engine,
    citations: m.citations,
    actions: actionsOf(m.toolCalls),
    usage: m.usage ?? null,
    pending_action: m.pendingAction ? currentAction(m.pendingAction) : null,
    quick_replies: m.quickReplies ?? [],
    ...(m.role === 'staff' ? { author_name: m.authorName ?? null } : {}),
    created_at: m.createdAt.toISOString(),
  };
}

/** An action as shown now: a pending one past its time is expired, whether or not anyone has tried it since. */
export function currentAction(a: PendingActionView, now = Date.now()): z.output<typeof pendingActionSchema> {
  return a.status === 'pending' && Date.parse(a.expires_at) <= now ? { ...a, status: 'expired' } : a;
}

/** A stored message as staff see it, with its tool calls. */
export function toStaffMessage(m: AuthoredMessage): z.output<typeof staffMessageSchema> {
  return { ...toMessage(m), tool_calls: m.toolCalls };
}

/** A stored message for the given audience. */
export function toMessageFor(audience: Audience): (m: AuthoredMessage) => z.output<typeof staffMessageSchema> | z.output<typeof messageSchema> {
  return audience === 'staff' ? toStaffMessage : toMessage;
}

/** A conversation as the API shows it. */
export function toConversation(c: Conversation): z.output<typeof conversationSchema> {
  return {
    id: c.id,
    status: c.status,
    channel: c.channel,
    subject: c.subject,
    customer_id: c.customerId,
    handoff_reason: c.handoffReason,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}
