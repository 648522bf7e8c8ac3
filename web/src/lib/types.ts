// The API's wire shapes the web app reads (see docs/api.md). Messages, conversations and the
// realtime events come from the contract the server uses (src/contract/, zod schemas with their
// types inferred); the rest mirrors the server's route schemas in src/http/routes/*.ts.
import type { ConversationStatus, WireMessage } from '../../../src/contract/messages';

export type { ConversationStatus, WireAction, WireMessage } from '../../../src/contract/messages';
export type { CitablePassage, NumberedEvent, QueueItem, QueueSnapshot, ServerEvent } from '../../../src/contract/events';

export type Role = 'customer' | 'agent' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  customer_id: string | null;
}

export interface TokenPair {
  user: User;
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  channel: string;
  subject: string | null;
  customer_id: string | null;
  handoff_reason: string | null;
  created_at: string;
  updated_at: string;
  conversation_token?: string;
  assigned_to?: string | null;
  /** GET /conversations/:id: its latest ticket's number and who holds it. */
  ticket_number?: string | null;
  assignee?: { id: string; name: string } | null;
  /** The customer's CSAT rating (null: not rated). */
  feedback?: { rating: number; comment: string | null } | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Ticket {
  id: string;
  ticket_number: string;
  customer_id: string | null;
  conversation_id: string | null;
  subject: string;
  summary: string;
  reason: string;
  /** The address an anonymous visitor gave in the chat. */
  contact_email: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  status: 'open' | 'pending' | 'resolved' | 'closed';
  assigned_to: string | null;
  created_at: string;
  updated_at: string;
}

/** A knowledge-base source of an answer. */
export interface Citation {
  title: string;
  slug: string;
  snippet: string;
}

/** A tool the answering agent used. */
export interface ToolCall {
  name: string;
  status: string;
}

export interface Turn {
  user_message: WireMessage;
  assistant_message: WireMessage | null;
}
