import { describe, expect, it } from 'vitest';
import { conversationReducer as reduce, emptyConversation, type ConversationAction, type ConversationView } from './conversation';
import type { NumberedEvent, WireMessage } from './types';

const C = '00000000-0000-4000-8000-000000000001';
let seq = 0;

function msg(role: WireMessage['role'], content: string, id = `m${++seq}`, at = `2026-01-01T00:00:${String(seq).padStart(2, '0')}.000Z`): WireMessage {
  return {
    id,
    conversation_id: C,
    role,
    content,
    agent: role === 'assistant' ? 'faq' : null,
    route: null,
    confidence: null,
    engine: null,
    citations: [],
    actions: [],
    usage: null,
    pending_action: null,
    created_at: at,
  };
}

type EventBody = NumberedEvent extends infer E ? (E extends NumberedEvent ? Omit<E, 'id' | 'conversation_id'> : never) : never;
const ev = (e: EventBody, id = ++seq): ConversationAction => ({ type: 'event', event: { ...e, id, conversation_id: C } as NumberedEvent });
const run = (actions: ConversationAction[], from: ConversationView = emptyConversation) => actions.reduce(reduce, from);

describe('conversation view', () => {
  it("shows a proposed action's current status from its events and from a decision's reply", () => {
    const action = {
      id: 'act1',
      type: 'cancel_order',
      summary: 'Cancel order ORD-190001',
      arguments: {},
      risk: 'confirm' as const,
      status: 'pending' as const,
      expires_at: '2026-01-01T01:00:00.000Z',
    };
    const proposal = { ...msg('assistant', 'I can cancel it.', 'p1'), pending_action: action };
    const s = run([ev({ type: 'message.completed', message: proposal }), ev({ type: 'action.completed', action: { ...action, status: 'completed' } })]);
    expect(s.messages[0]!.pending_action?.status).toBe('completed');
    const declined = run([ev({ type: 'message.completed', message: proposal }), { type: 'action', action: { ...action, status: 'declined' } }]);
    expect(declined.messages[0]!.pending_action?.status).toBe('declined');
    // An event for an action no message here proposes changes nothing.
    expect(run([ev({ type: 'action.failed', action: { ...action, id: 'other', status: 'failed' } })], s)).toEqual(s);
  });

  it('shows a sent message once whether its ack or its message.created arrives first', () => {
    for (const ackFirst of [true, false]) {
      const stored = msg('user', 'hello', 'u1');
      const pending: ConversationAction = { type: 'pending', client_id: 'c1', content: 'hello', conversation_id: C };
      const ack: ConversationAction = { type: 'ack', client_id: 'c1', message_id: 'u1' };
      const created = ev({ type: 'message.created', message: stored });
      const s = run(ackFirst ? [pending, ack, created] : [pending, created, ack]);
      expect(s.messages.map((m) => [m.id, m.content, !!m.pending])).toEqual([['u1', 'hello', false]]);
    }
  });

  it('streams tokens into a live answer that the stored reply replaces, and ignores late tokens of it', () => {
    const reply = msg('assistant', 'Three to five days.', 'a1');
    const s = run([
      ev({ type: 'route', route: 'faq', confidence: 0.9, agent: 'faq', clarify: false }),
      ev({ type: 'tool', action: 'searched_help_center', label: 'Searching the help center', status: 'started' }),
      ev({ type: 'tool', action: 'searched_help_center', label: 'Searched the help center', status: 'ok' }),
      ev({ type: 'token', message_ref: 'a1', delta: 'Three ' }),
      ev({ type: 'token', message_ref: 'a1', delta: 'to five' }),
    ]);
    expect(s.live).toMatchObject({ ref: 'a1', agent: 'faq', text: 'Three to five', tools: [{ key: 'searched_help_center', status: 'ok', label: 'Searched the help center' }] });
    const done = run([ev({ type: 'message.completed', message: reply }), ev({ type: 'token', message_ref: 'a1', delta: ' again' })], s);
    expect(done.live).toBeNull();
    expect(done.messages.map((m) => m.content)).toEqual(['Three to five days.']);
  });

  it('labels live tools: the server label for a customer, the tool summary for a staff event without one', () => {
    const s = run([
      ev({ type: 'tool', action: 'looked_up_invoices', label: 'Looking up your invoices', status: 'started' }),
      ev({ type: 'tool', name: 'brand_new_tool', arguments: { secret: 1 }, status: 'started' }),
    ]);
    expect(s.live?.tools).toEqual([
      { key: 'looked_up_invoices', status: 'started', label: 'Looking up your invoices…' },
      { key: 'brand_new_tool', status: 'started', label: 'Running brand new tool…' },
    ]);
  });

  it('merges REST history with live messages by id, in time order', () => {
    const a = msg('user', 'first');
    const b = msg('assistant', 'second');
    const c = msg('staff', 'third');
    const s = run([ev({ type: 'message.created', message: c }), { type: 'history', messages: [a, b, c], status: 'human' }]);
    expect(s.messages.map((m) => m.content)).toEqual(['first', 'second', 'third']);
    expect(s.status).toBe('human');
  });

  it('replaces a message shown as not sent with its stored copy when it was delivered after all', () => {
    const failed = run([
      { type: 'pending', client_id: 'c1', content: 'Where is my parcel?', conversation_id: C },
      { type: 'send_failed', client_id: 'c1' },
    ]);
    expect(failed.messages[0]).toMatchObject({ pending: true, failed: true });
    const stored = run([{ type: 'history', messages: [msg('user', 'Where is my parcel?', 'u1')] }], failed);
    expect(stored.messages).toHaveLength(1);
    expect(stored.messages[0]).toMatchObject({ id: 'u1', client_id: 'c1' });
    expect(stored.messages[0]!.failed).toBeUndefined();
    const retried = run([{ type: 'retry', client_id: 'c1' }], failed);
    expect(retried.messages[0]).toMatchObject({ pending: true, failed: false });
  });

  it('keeps the ticket number and the holder a reloaded history brings', () => {
    const waiting = run([{ type: 'history', messages: [], status: 'waiting_human', handoff_reason: 'customer_request', ticket_number: 'TCK-7', assignee: null }]);
    expect(waiting.handoff).toEqual({ status: 'waiting_human', reason: 'customer_request', ticket_number: 'TCK-7', by: null });
    const held = run([{ type: 'history', messages: [], status: 'human', handoff_reason: 'customer_request', ticket_number: 'TCK-7', assignee: { id: 's1', name: 'Sam' } }]);
    expect(held.handoff).toMatchObject({ status: 'human', ticket_number: 'TCK-7', by: { name: 'Sam' } });
  });

  it('follows the handoff: waiting with its ticket, held by a person, back to the assistant', () => {
    const waiting = run([ev({ type: 'handoff', status: 'waiting_human', reason: 'customer_request', ticket_number: 'TCK-1' })]);
    expect(waiting).toMatchObject({ status: 'waiting_human', handoff: { ticket_number: 'TCK-1', reason: 'customer_request' } });
    const held = run([ev({ type: 'handoff', status: 'human', reason: 'customer_request', by: { id: 's1', name: 'Sam' } })], waiting);
    expect(held).toMatchObject({ status: 'human', handoff: { by: { name: 'Sam' }, ticket_number: 'TCK-1' } });
    const back = run([ev({ type: 'handoff', status: 'active', reason: null, by: { id: 's1', name: 'Sam' } })], held);
    expect(back).toMatchObject({ status: 'active', handoff: { status: 'active', by: { name: 'Sam' } } });
  });

  it('shows who is typing and clears it when their message arrives', () => {
    const typing = run([ev({ type: 'typing', on: true, who: 'staff' })]);
    expect(typing.typing.staff).toBe(true);
    expect(run([ev({ type: 'message.created', message: msg('staff', 'hi') })], typing).typing.staff).toBe(false);
  });

  it('keeps a failed message visible as not sent, and reports a failed turn', () => {
    const s = run([
      { type: 'pending', client_id: 'c9', content: 'hello', conversation_id: C },
      { type: 'send_failed', client_id: 'c9' },
    ]);
    expect(s.messages[0]).toMatchObject({ content: 'hello', failed: true });
    const failed = run([ev({ type: 'turn.failed', code: 'llm_unavailable', message: 'try again' })], s);
    expect(failed.failure).toEqual({ code: 'llm_unavailable', message: 'try again' });
  });
});
