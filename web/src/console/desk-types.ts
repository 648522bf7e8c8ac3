// Wire shapes of the staff console's own routes (src/http/routes/staff.ts, notes.ts,
// canned-replies.ts): the server's zod schemas are the source.
import type { Conversation, Ticket } from '../lib/types';

/** A colleague conversations and tickets can be assigned to (GET /staff/members). */
export interface StaffMember {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'admin';
}

/** A conversation as staff see it (GET /staff/conversations). */
export interface StaffConversation extends Conversation {
  assigned_to: string | null;
  assignee_name: string | null;
  customer_name: string | null;
  customer_email: string | null;
  /** The customer's first message (up to 200 characters). */
  first_message: string | null;
  ticket: Pick<Ticket, 'id' | 'ticket_number' | 'status' | 'priority' | 'assigned_to'> | null;
}

/** A private note on a conversation (never shown to the customer). */
export interface Note {
  id: string;
  conversation_id: string;
  author_id: string | null;
  author_name: string | null;
  body: string;
  created_at: string;
}

/** A canned reply template (GET /staff/canned-replies). */
export interface CannedReply {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A canned reply filled in for one conversation (GET /conversations/:id/canned-replies). */
export interface FilledReply extends CannedReply {
  text: string;
  missing: string[];
}

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** An approve-tier action the customer confirmed, waiting for a staff decision (GET /actions?status=pending). */
export interface PendingApproval {
  id: string;
  type: string;
  summary: string;
  arguments: Record<string, unknown>;
  risk: 'auto' | 'confirm' | 'approve';
  status: string;
  conversation_id: string;
  created_at: string;
  confirmed_at: string | null;
  customer: { id: string; name: string; email: string; company: string | null };
  conversation_subject: string | null;
  amount_cents: number | null;
  currency: string | null;
  order: { order_number: string; status: string; items: { name: string; quantity: number }[]; total_cents: number; currency: string; delivered_at: string | null } | null;
}
