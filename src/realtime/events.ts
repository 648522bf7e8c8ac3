// The one event union of the realtime layer, shared by the server (WebSocket, SSE) and the web app.
// Every server event about a conversation carries an increasing `id` per conversation once it is
// published through the event bus; producers (the turn, staff) emit them without ids.
// Browser-safe: no Node imports here.

/** The kinds of thing the assistant tells a customer it did (src/chat/actions.ts derives them from its tool calls). */
export type ActionType =
  | 'searched_help_center'
  | 'looked_up_invoice'
  | 'looked_up_invoices'
  | 'looked_up_order'
  | 'looked_up_orders'
  | 'checked_subscription'
  | 'looked_up_account'
  | 'proposed_change'
  | 'resent_invoice'
  | 'opened_ticket';

/**
 * What the assistant did in a turn, as the customer sees it: a label and the customer's own
 * references (never tool arguments, results, passages or ticket summaries).
 */
export interface MessageAction {
  type: ActionType;
  /** "Searched the help center", "Opened ticket TCK-200123". */
  label: string;
  status: 'ok' | 'not_found' | 'error';
  ticket_number?: string;
  invoice_number?: string;
  order_number?: string;
}

/** A tool call as staff see it: name, arguments, status, result and time. */
export interface WireToolCall {
  name: string;
  arguments: Record<string, unknown>;
  status: 'ok' | 'error' | 'not_found';
  result?: unknown;
  duration_ms: number;
}

/**
 * A message as events carry it (the API's message shape). `tool_calls` is for staff only: the
 * bus carries it, and a customer's socket or stream gets the message without it (see audience.ts).
 */
export interface WireMessage {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant' | 'staff' | 'system';
  content: string;
  agent: string | null;
  route: string | null;
  confidence: number | null;
  engine: string | null;
  citations: unknown[];
  actions: MessageAction[];
  tool_calls?: WireToolCall[];
  usage: { input_tokens: number; output_tokens: number; cached_tokens: number; cost_usd: number } | null;
  /** The account action this assistant message proposes, with its current status (null: none). */
  pending_action: WireAction | null;
  /** Answers the customer can send with one click (the offer of a person, the clarifying question). */
  quick_replies?: string[];
  /** Who wrote a staff reply (their name), so a chat shows it after a reload too. */
  author_name?: string | null;
  created_at: string;
}

/** A passage an answer may cite as `[ref]`: which article it comes from. */
export interface CitablePassage {
  ref: number;
  title: string;
  slug: string;
}
/** Who is reading: a customer (or visitor) sees answers, citations and actions; staff also see the tool calls. */
export type Audience = 'customer' | 'staff';

/** An account action as messages and events carry it. */
export interface WireAction {
  id: string;
  type: string;
  summary: string;
  arguments: Record<string, unknown>;
  risk: 'auto' | 'confirm' | 'approve';
  status: 'pending' | 'confirmed' | 'approved' | 'rejected' | 'declined' | 'expired' | 'completed' | 'failed';
  expires_at: string;
}

/** The statuses of a conversation. */
export type ConversationStatus = 'active' | 'waiting_human' | 'human' | 'resolved' | 'closed';

/** Events a client sends. */
export type ClientEvent =
  | { type: 'auth'; token: string }
  | { type: 'message.send'; conversation_id: string; content: string; client_id: string }
  | { type: 'typing'; conversation_id: string; on: boolean }
  | { type: 'conversation.join'; conversation_id: string; last_event_id?: number }
  | { type: 'conversation.leave'; conversation_id: string }
  /** Staff only: the live feed of conversations waiting for a human. */
  | { type: 'queue.subscribe' }
  | { type: 'queue.unsubscribe' }
  /** An application-level ping for clients that cannot send WebSocket ping frames (browsers). */
  | { type: 'ping' };

/** Events about one conversation, as produced by a turn or by staff (before the bus numbers them). */
export type ConversationEvent =
  | { type: 'message.created'; conversation_id: string; message: WireMessage }
  | { type: 'typing'; conversation_id: string; on: boolean; who: 'assistant' | 'customer' | 'staff' }
  | { type: 'route'; conversation_id: string; route: string; confidence: number; agent: string; clarify: boolean }
  | { type: 'token'; conversation_id: string; message_ref: string; delta: string }
  | {
      type: 'tool';
      conversation_id: string;
      status: 'started' | 'ok' | 'error' | 'not_found';
      /** What the customer is shown ("Searching the help center"); absent for a tool customers are not told about. */
      action?: ActionType;
      label?: string;
      /** Staff only: the tool and its arguments. */
      name?: string;
      arguments?: Record<string, unknown>;
      /**
       * After a tool that retrieved knowledge passages: every passage the turn may cite so far, by the
       * `[ref]` the answer cites it with, so a client can number the sources while the answer streams
       * (article titles and slugs only, as citations show them: customers get it too).
       */
      passages?: CitablePassage[];
    }
  | {
      type: 'handoff';
      conversation_id: string;
      status: 'waiting_human' | 'human' | 'active';
      reason: string | null;
      ticket_number?: string;
      /** The staff member who took over (status `human`) or handed back (`active`). */
      by?: { id: string; name: string };
    }
  | { type: 'message.completed'; conversation_id: string; message: WireMessage }
  /**
   * An account action: proposed by the assistant (nothing changed yet), confirmed by the customer
   * (waiting for staff), declined, expired, rejected by staff, or carried out (completed) or not (failed).
   */
  | {
      type: 'action.proposed' | 'action.confirmed' | 'action.declined' | 'action.expired' | 'action.rejected' | 'action.completed' | 'action.failed';
      conversation_id: string;
      action: WireAction;
    }
  /** A turn that could not answer; the customer's message is stored and may be sent again. */
  | { type: 'turn.failed'; conversation_id: string; code: string; message: string }
  /** A person resolved the conversation (its ticket resolved or closed): the customer's chat asks them to rate it. */
  | { type: 'conversation.resolved'; conversation_id: string; by: 'staff' | 'assistant' };

/** A conversation event as delivered: numbered per conversation. */
export type NumberedEvent = ConversationEvent & { id: number };

/** One conversation waiting for a human, as the staff feed shows it. */
export interface QueueItem {
  conversation_id: string;
  subject: string | null;
  reason: string | null;
  /** When the conversation started waiting (ISO-8601). */
  waiting_since: string;
  age_seconds: number;
  ticket_number: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
}

/** The staff feed: how many conversations wait for a human, oldest first. */
export interface QueueSnapshot {
  count: number;
  oldest_age_seconds: number | null;
  items: QueueItem[];
  at: string;
}

/** Events the server sends. */
export type ServerEvent =
  | NumberedEvent
  /** Authenticated. `max_message_chars` is the longest `message.send` content the server accepts (MAX_MESSAGE_CHARS). */
  | { type: 'ready'; user: { kind: 'user' | 'conversation'; id: string; role?: string }; max_message_chars: number }
  /**
   * Joined a conversation. `last_event_id` is the newest event id at join time; `gap` is true when
   * events after the client's `last_event_id` are no longer kept (reload the history over REST).
   */
  | { type: 'joined'; conversation_id: string; status: ConversationStatus; last_event_id: number; gap: boolean }
  | { type: 'left'; conversation_id: string }
  /** The stored message for a `message.send` (duplicate: the client_id was already used; nothing ran twice). */
  | { type: 'ack'; conversation_id: string; client_id: string; message_id: string; duplicate: boolean }
  | ({ type: 'queue' } & QueueSnapshot)
  | { type: 'pong' }
  /** An event the server could not act on; the connection stays open. `ref` names what it answers. */
  | {
      type: 'error';
      code: string;
      message: string;
      ref?: string;
      /** With `dependency_unavailable` (the database or Redis is down): seconds to wait before sending it again, as HTTP's Retry-After. */
      retry_after_seconds?: number;
    };

/** Receives the events of a turn as they happen (streaming to SSE or the bus). */
export type EmitEvent = (event: ConversationEvent) => void;

/** WebSocket close codes the server uses. */
export const CLOSE_CODES = {
  /** The server is shutting down: reconnect (to another instance) and resume with last_event_id. */
  goingAway: 1001,
  /** Authentication did not happen in time, or too many connections for this user. */
  policyViolation: 1008,
  /** A frame larger than the server accepts. */
  tooBig: 1009,
  /** The client reads too slowly; reconnect and resume with last_event_id. */
  tryAgainLater: 1013,
  /** The token's session ended (sign-out, or its refresh token was reused): sign in again, do not reconnect with it. */
  sessionEnded: 4401,
} as const;
