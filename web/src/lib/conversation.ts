// One conversation as a chat window shows it, built from REST history and realtime events.
// Pure: (state, action) → state, so the customer chat and the staff console share it and it is
// tested without a browser.
import { toolSummary } from './format';
import type { CitablePassage, ConversationStatus, NumberedEvent, WireAction, WireMessage } from './types';

/** A message on screen: stored, or the customer's own still on its way (`pending`). */
export interface ChatMessage extends WireMessage {
  pending?: boolean;
  /** The client id of a message sent from this window (matches its ack). */
  client_id?: string;
  /** Sending failed; the text can be sent again. */
  failed?: boolean;
}

/** The assistant's answer while it streams. */
export interface LiveTurn {
  ref: string | null;
  agent: string | null;
  route: string | null;
  /** What the assistant is doing: keyed by tool (staff) or action (customers), labelled for the viewer. */
  tools: LiveTool[];
  text: string;
  /** The passages the turn may cite (from its search), so the streaming text numbers its sources as the stored answer will. */
  passages?: CitablePassage[];
}

/** One tool call of the live turn, as the viewer may see it. */
export interface LiveTool {
  key: string;
  status: string;
  label: string;
}

/** A live `tool` event as a line on screen: the server's label (all a customer gets), or the tool's summary for staff. */
export function liveTool(e: { name?: string; action?: string; label?: string; status: string }): LiveTool | null {
  const key = e.action ?? e.name;
  if (!key) return null;
  const label = e.label ? (e.status === 'started' ? `${e.label}…` : e.label) : toolSummary(e.name ?? key, e.status);
  return { key, status: e.status, label };
}

export interface Handoff {
  status: 'waiting_human' | 'human' | 'active';
  reason: string | null;
  ticket_number: string | null;
  by: { id: string; name: string } | null;
}

export interface ConversationView {
  messages: ChatMessage[];
  live: LiveTurn | null;
  status: ConversationStatus;
  handoff: Handoff | null;
  /** Who is typing right now (besides the viewer). */
  typing: { assistant: boolean; customer: boolean; staff: boolean };
  /** Replies already stored: late tokens for them are ignored (e.g. replayed after a REST turn). */
  completed: string[];
  /** The last turn failure, shown until the next message. */
  failure: { code: string; message: string } | null;
}

export type ConversationAction =
  | { type: 'reset' }
  | {
      type: 'history';
      messages: WireMessage[];
      status?: ConversationStatus;
      handoff_reason?: string | null;
      /** The conversation's latest ticket and who holds it, as the server has them (a reload keeps them on screen). */
      ticket_number?: string | null;
      assignee?: { id: string; name: string } | null;
    }
  | { type: 'status'; status: ConversationStatus }
  | { type: 'event'; event: NumberedEvent }
  | { type: 'pending'; client_id: string; content: string; conversation_id: string }
  | { type: 'ack'; client_id: string; message_id: string }
  | { type: 'send_failed'; client_id: string }
  /** Sending a failed message again (same client id, so it is stored once). */
  | { type: 'retry'; client_id: string }
  | { type: 'stored'; messages: WireMessage[] }
  | { type: 'live'; live: LiveTurn | null }
  /** An account action's new status (a decision's reply, or an action.* event). */
  | { type: 'action'; action: WireAction };

/** An empty conversation. */
export const emptyConversation: ConversationView = {
  messages: [],
  live: null,
  status: 'active',
  handoff: null,
  typing: { assistant: false, customer: false, staff: false },
  completed: [],
  failure: null,
};

const byTime = (a: ChatMessage, b: ChatMessage) => {
  if (a.pending !== b.pending) return a.pending ? 1 : -1;
  return a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0;
};

/** Adds or replaces stored messages by id; a stored customer message replaces its pending twin. */
function upsert(messages: ChatMessage[], incoming: WireMessage[]): ChatMessage[] {
  let out = messages.slice();
  for (const m of incoming) {
    const at = out.findIndex((x) => x.id === m.id);
    if (at >= 0) {
      out[at] = { ...m, client_id: out[at]!.client_id };
      continue;
    }
    // Created before its ack arrived: the oldest pending message with the same text is this one; one
    // shown as not sent was delivered after all (the ack was lost with the network), so it is replaced too.
    const twinOf = (failed: boolean) => out.findIndex((x) => x.pending && !!x.failed === failed && x.id.startsWith('pending:') && x.content === m.content);
    const waiting = m.role === 'user' ? twinOf(false) : -1;
    const twin = waiting >= 0 || m.role !== 'user' ? waiting : twinOf(true);
    if (twin >= 0) out[twin] = { ...m, client_id: out[twin]!.client_id };
    else out = [...out, m];
  }
  return out.sort(byTime);
}

function handoffOf(status: ConversationStatus, reason: string | null | undefined, prev: Handoff | null, known: { ticket_number?: string | null; assignee?: Handoff['by'] } = {}): Handoff | null {
  if (status === 'waiting_human' || status === 'human') {
    const by = status === 'human' ? (known.assignee ?? prev?.by ?? null) : (prev?.by ?? null);
    return { status, reason: reason ?? prev?.reason ?? null, ticket_number: known.ticket_number ?? prev?.ticket_number ?? null, by };
  }
  return prev && prev.status !== 'active' ? null : prev;
}

/** The message that proposes an action shows its current status. */
function withAction(s: ConversationView, action: WireAction): ConversationView {
  if (!s.messages.some((m) => m.pending_action?.id === action.id)) return s;
  return { ...s, messages: s.messages.map((m) => (m.pending_action?.id === action.id ? { ...m, pending_action: action } : m)) };
}

function onEvent(s: ConversationView, e: NumberedEvent): ConversationView {
  switch (e.type) {
    case 'message.created': {
      const typing = e.message.role === 'staff' ? { ...s.typing, staff: false } : e.message.role === 'user' ? { ...s.typing, customer: false } : s.typing;
      return { ...s, messages: upsert(s.messages, [e.message]), typing, failure: e.message.role === 'user' ? null : s.failure };
    }
    case 'message.completed': {
      const live = s.live && (s.live.ref === null || s.live.ref === e.message.id) ? null : s.live;
      return { ...s, messages: upsert(s.messages, [e.message]), live, completed: [...s.completed.slice(-50), e.message.id] };
    }
    case 'typing':
      return { ...s, typing: { ...s.typing, [e.who]: e.on } };
    case 'route':
      return { ...s, live: { ref: null, agent: e.agent, route: e.route, tools: [], text: '' } };
    case 'tool': {
      const live = s.live ?? { ref: null, agent: null, route: null, tools: [], text: '' };
      const shown = liveTool(e);
      if (!shown) return { ...s, live: { ...live, passages: e.passages ?? live.passages } };
      const tools = live.tools.filter((t) => t.key !== shown.key);
      return { ...s, live: { ...live, tools: [...tools, shown], passages: e.passages ?? live.passages } };
    }
    case 'token': {
      if (s.completed.includes(e.message_ref)) return s;
      const live = s.live ?? { ref: null, agent: null, route: null, tools: [], text: '' };
      if (live.ref !== null && live.ref !== e.message_ref) {
        // A later draft of the same turn: it cites the same retrieved passages.
        return { ...s, live: { ref: e.message_ref, agent: null, route: null, tools: [], text: e.delta, passages: live.passages } };
      }
      return { ...s, live: { ...live, ref: e.message_ref, text: live.text + e.delta } };
    }
    case 'handoff': {
      const handoff: Handoff = {
        status: e.status,
        reason: e.reason,
        ticket_number: e.ticket_number ?? s.handoff?.ticket_number ?? null,
        by: e.by ?? (e.status === 'active' ? (s.handoff?.by ?? null) : null),
      };
      return { ...s, status: e.status, handoff };
    }
    case 'action.proposed':
    case 'action.confirmed':
    case 'action.declined':
    case 'action.expired':
    case 'action.rejected':
    case 'action.completed':
    case 'action.failed':
      return withAction(s, e.action);
    case 'conversation.resolved':
      return { ...s, status: 'resolved', handoff: null, typing: { assistant: false, customer: false, staff: false } };
    case 'turn.failed':
      return { ...s, live: null, typing: { ...s.typing, assistant: false }, failure: { code: e.code, message: e.message } };
    default:
      return s;
  }
}

/** The next view of a conversation after an action. */
export function conversationReducer(s: ConversationView, a: ConversationAction): ConversationView {
  switch (a.type) {
    case 'reset':
      return emptyConversation;
    case 'history': {
      const status = a.status ?? s.status;
      return { ...s, messages: upsert(s.messages, a.messages), status, handoff: handoffOf(status, a.handoff_reason, s.handoff, a) };
    }
    case 'status':
      return { ...s, status: a.status, handoff: handoffOf(a.status, null, s.handoff) };
    case 'event':
      return onEvent(s, a.event);
    case 'pending': {
      const now = new Date().toISOString();
      const m: ChatMessage = {
        id: `pending:${a.client_id}`,
        client_id: a.client_id,
        pending: true,
        conversation_id: a.conversation_id,
        role: 'user',
        content: a.content,
        agent: null,
        route: null,
        confidence: null,
        engine: null,
        citations: [],
        actions: [],
        usage: null,
        pending_action: null,
        created_at: now,
      };
      return { ...s, messages: [...s.messages, m], failure: null };
    }
    case 'ack': {
      // The stored message may already be here (message.created came first): drop the pending copy.
      if (s.messages.some((m) => m.id === a.message_id)) {
        return { ...s, messages: s.messages.filter((m) => !(m.pending && m.client_id === a.client_id)) };
      }
      return { ...s, messages: s.messages.map((m) => (m.client_id === a.client_id && m.pending ? { ...m, id: a.message_id } : m)) };
    }
    case 'retry':
      return { ...s, messages: s.messages.map((m) => (m.client_id === a.client_id && m.pending ? { ...m, failed: false } : m)) };
    case 'send_failed':
      return { ...s, messages: s.messages.map((m) => (m.client_id === a.client_id && m.pending ? { ...m, failed: true } : m)) };
    case 'stored': {
      const ids = a.messages.filter((m) => m.role === 'assistant').map((m) => m.id);
      return { ...s, messages: upsert(s.messages, a.messages), live: null, completed: [...s.completed.slice(-50), ...ids] };
    }
    case 'action':
      return withAction(s, a.action);
    case 'live':
      return { ...s, live: a.live };
    default:
      return s;
  }
}
