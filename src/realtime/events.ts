// The one event union of the realtime layer, shared by the server (WebSocket, SSE) and the web app.
// Every server event about a conversation carries an increasing `id` per conversation once it is
// published through the event bus; producers (the turn) emit them without ids.

/** A message as events carry it (the API's message shape). */
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
  tool_calls: unknown[];
  usage: { input_tokens: number; output_tokens: number; cached_tokens: number; cost_usd: number } | null;
  created_at: string;
}

/** Events a client sends. */
export type ClientEvent =
  | { type: 'auth'; token: string }
  | { type: 'message.send'; conversation_id: string; content: string; client_id: string }
  | { type: 'typing'; conversation_id: string; on: boolean }
  | { type: 'conversation.join'; conversation_id: string; last_event_id?: number };

/** Events about one conversation, as produced by a turn or by staff (before the bus numbers them). */
export type ConversationEvent =
  | { type: 'message.created'; conversation_id: string; message: WireMessage }
  | { type: 'typing'; conversation_id: string; on: boolean; who: 'assistant' | 'customer' | 'staff' }
  | { type: 'route'; conversation_id: string; route: string; confidence: number; agent: string; clarify: boolean }
  | { type: 'token'; conversation_id: string; message_ref: string; delta: string }
  | { type: 'tool'; conversation_id: string; name: string; status: 'started' | 'ok' | 'error' | 'not_found'; arguments?: Record<string, unknown> }
  | { type: 'handoff'; conversation_id: string; status: 'waiting_human' | 'human' | 'active'; reason: string | null; ticket_number?: string }
  | { type: 'message.completed'; conversation_id: string; message: WireMessage };

/** A conversation event as delivered: numbered per conversation. */
export type NumberedEvent = ConversationEvent & { id: number };

/** Events the server sends. */
export type ServerEvent =
  | NumberedEvent
  | { type: 'ready'; user: { kind: 'user' | 'conversation'; id: string; role?: string } }
  | { type: 'error'; code: string; message: string };

/** Receives the events of a turn as they happen (streaming to SSE or the bus). */
export type EmitEvent = (event: ConversationEvent) => void;
