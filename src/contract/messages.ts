// The wire shapes of messages and conversations (snake_case, ISO times), as zod schemas with their
// TypeScript types inferred: the API's response schemas, the events' messages and the web app all
// use these. Browser-safe: imports only zod. The mapping from stored rows is src/chat/wire.ts.
import { z } from 'zod';

/** The kinds of thing the assistant tells a customer it did (src/chat/actions.ts derives them from its tool calls). */
export const actionTypeSchema = z.enum([
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
]);
export type ActionType = z.infer<typeof actionTypeSchema>;

export const citationSchema = z.object({
  document_id: z.string(),
  chunk_id: z.string(),
  title: z.string(),
  slug: z.string(),
  snippet: z.string(),
  score: z.number(),
});

/**
 * What the assistant did in a turn, as the customer sees it: a label and the customer's own
 * references (never tool arguments, results, passages or ticket summaries).
 */
const actionSchema = z
  .object({
    type: actionTypeSchema,
    label: z.string().describe('What the assistant did, for the customer: "Searched the help center", "Opened ticket TCK-200123"'),
    status: z.enum(['ok', 'not_found', 'error']),
    ticket_number: z.string().optional(),
    invoice_number: z.string().optional(),
    order_number: z.string().optional(),
  })
  .describe("One thing the assistant did in the turn, with the customer's own references only");
export type MessageAction = z.infer<typeof actionSchema>;

/** A tool call as staff see it: name, arguments, status, result and time. */
const toolCallSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  status: z.enum(['ok', 'error', 'not_found']),
  result: z.unknown().optional(),
  duration_ms: z.number(),
});
export type WireToolCall = z.infer<typeof toolCallSchema>;

/** An account action as the API shows it (on the message that proposes it, in the actions routes and in action events). */
export const pendingActionSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  summary: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  risk: z.enum(['auto', 'confirm', 'approve']),
  status: z.enum(['pending', 'confirmed', 'approved', 'rejected', 'declined', 'expired', 'completed', 'failed']),
  expires_at: z.string(),
  /** The money it moves as quoted (cents and ISO currency), null when none; the chat writes it in the customer's locale. */
  amount: z.object({ cents: z.number().int(), currency: z.string() }).nullable().optional(),
});
export type WireAction = z.infer<typeof pendingActionSchema>;

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

/**
 * A message as events carry it: the staff shape on the bus; a customer's socket or stream gets it
 * without `tool_calls` (src/http/audience.ts). Clients read `citations` defensively and
 * `quick_replies` as possibly absent.
 */
export const wireMessageSchema = messageSchema.extend({ citations: z.array(z.unknown()), tool_calls: z.array(toolCallSchema).optional() }).partial({ quick_replies: true });
export type WireMessage = z.infer<typeof wireMessageSchema>;

/** Who is reading: a customer (or visitor) sees answers, citations and actions; staff also see the tool calls. */
const audienceSchema = z.enum(['customer', 'staff']);
export type Audience = z.infer<typeof audienceSchema>;

/** The statuses of a conversation. */
export const conversationStatusSchema = z.enum(['active', 'waiting_human', 'human', 'resolved', 'closed']);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

export const conversationSchema = z.object({
  id: z.uuid(),
  status: conversationStatusSchema,
  channel: z.string(),
  subject: z.string().nullable(),
  customer_id: z.uuid().nullable(),
  handoff_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
