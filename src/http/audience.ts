import type { Audience, WireMessage } from '../contract/messages.js';
import type { ConversationEvent } from '../contract/events.js';

// The bus carries every event in full (staff see tool names, arguments and tool calls); what a
// customer's socket or event stream gets is cut down here, in one place, as it is delivered.

/** A message without what only staff see. */
export function customerMessage(m: WireMessage): WireMessage {
  const { tool_calls: _staffOnly, ...rest } = m;
  return rest;
}

/**
 * An event as the audience may see it, or undefined when it has nothing for them. Customers get
 * messages without tool calls, and of a `tool` event only its action, label and citable passages (nothing for a tool
 * they are not told about).
 */
export function eventFor<E extends ConversationEvent>(audience: Audience, e: E): E | undefined {
  if (audience === 'staff') return e;
  switch (e.type) {
    case 'message.created':
    case 'message.completed':
      return { ...e, message: customerMessage(e.message) } as E;
    case 'tool': {
      if (!e.action || !e.label) return undefined;
      // Field by field: whatever a tool event gains later stays with staff unless it is added here.
      const id = (e as { id?: number }).id;
      const passages = e.passages?.map((p) => ({ ref: p.ref, title: p.title, slug: p.slug }));
      return { ...(id !== undefined ? { id } : {}), type: 'tool', conversation_id: e.conversation_id, status: e.status, action: e.action, label: e.label, ...(passages ? { passages } : {}) } as E;
    }
    default:
      return e;
  }
}
