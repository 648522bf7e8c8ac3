import { z } from 'zod';
import type { Conversation } from '../db/queries/conversations.js';
import type { AuthoredMessage } from '../db/queries/messages.js';
import type { PendingActionView } from '../db/schema.js';
import { actionsOf } from '../chat/actions.js';
import type { Audience } from '../realtime/events.js';

// The API's wire shapes (snake_case, ISO times). They are the contract, kept apart from the
// tables' camelCase rows on purpose; the to*() functions below are the one mapping.

export const uuidParam = z.object({ id: z.uuid() });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const citationSchema = z.object({
  document_id: z.string(),
  chunk_id: z.string(),
  title: z.string(),
  slug: z.string(),
  snippet: z.string(),
  score: z.number(),
});

export const actionSchema = z
  .object({
    type: z.enum([
      'searched_help_center',
      'looked_up_invoice',
      'looked_up_invoices',
      'looked_up_order',
      'looked_up_orders',
      'checked_subscription',
      'looked_up_account',
      'proposed_change',
      'resent_invoice',
      'opened_ticket',
    ]),
    label: z.string().describe('What the assistant did, for the customer: "Searched the help center", "Opened ticket TCK-200123"'),
    status: z.enum(['ok', 'not_found', 'error']),
    ticket_number: z.string().optional(),
    invoice_number: z.string().optional(),
    order_number: z.string().optional(),
  })
  .describe("One thing the assistant did in the turn, with the customer's own references only");

export const toolCallSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  status: z.enum(['ok', 'error', 'not_found']),
  result: z.unknown().optional(),
  duration_ms: z.number(),
});

/** An account action as the API shows it (on the message that proposes it, and in the actions routes). */
export const pendingActionSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  summary: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  risk: z.enum(['auto', 'confirm', 'approve']),
  status: z.enum(['pending', 'confirmed', 'approved', 'rejected', 'declined', 'expired', 'completed', 'failed']),
  expires_at: z.string(),
});

/** A message as a customer or visitor sees it: the answer, its citations and what was done, no tool internals. */
export const messageSchema = z.object({
  id: z.uuid(),
  conversation_id: z.uuid(),
  role: z.enum(['user', 'assistant', 'staff', 'system']),
  content: z.string(),
  agent: z.string().nullable(),
  route: z.string().nullable(),
  confidence: z.number().nullable(),
  engine: z.string().nullable(),
  citations: z.array(citationSchema),
  actions: z.array(actionSchema),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number(), cached_tokens: z.number(), cost_usd: z.number() }).nullable(),
  pending_action: pendingActionSchema.nullable(),
  quick_replies: z.array(z.string()).describe('Answers the customer can send with one click (e.g. "Yes, connect me"); empty for most messages'),
  author_name: z.string().nullable().optional().describe("Who wrote a staff reply (its staff member's name); absent or null for other messages"),
  created_at: z.string(),
});

/** A message as staff see it: also the tool calls behind its actions (arguments, results, timings). */
export const staffMessageSchema = messageSchema.extend({ tool_calls: z.array(toolCallSchema) });

/** A message of a route both customers and staff read: the staff shape for staff, the customer shape for everyone else. */
export const audienceMessageSchema = z.union([staffMessageSchema, messageSchema]).describe("Staff get the message with `tool_calls`; the conversation's customer gets it with `actions` only");

export const conversationSchema = z.object({
  id: z.uuid(),
  status: z.enum(['active', 'waiting_human', 'human', 'resolved', 'closed']),
  channel: z.string(),
  subject: z.string().nullable(),
  customer_id: z.uuid().nullable(),
  handoff_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  correlation_id: z.string(),
});

/** The error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  413: errorSchema,
  422: errorSchema,
  429: errorSchema,
  500: errorSchema,
  503: errorSchema,
} as const;

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
export function toMessageFor(audience: Audience): (m: AuthoredMessage) => z.output<typeof audienceMessageSchema> {
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
