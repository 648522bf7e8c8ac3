import { describe, expect, it } from 'vitest';
import { eventFor } from './audience.js';
import type { WireMessage } from '../contract/messages.js';
import type { NumberedEvent } from '../contract/events.js';

const C = '00000000-0000-4000-8000-000000000001';
const message: WireMessage = {
  id: '00000000-0000-4000-8000-000000000002',
  conversation_id: C,
  role: 'assistant',
  content: 'I opened ticket TCK-200001.',
  agent: 'escalation',
  route: 'escalation',
  confidence: 0.9,
  engine: 'offline',
  citations: [],
  actions: [{ type: 'opened_ticket', label: 'Opened ticket TCK-200001', status: 'ok', ticket_number: 'TCK-200001' }],
  tool_calls: [{ name: 'create_ticket', arguments: { summary: 'for staff' }, status: 'ok', result: { ticket_number: 'TCK-200001' }, duration_ms: 5 }],
  usage: null,
  pending_action: null,
  quick_replies: ['Yes, connect me'],
  created_at: '2026-12-07T10:00:00.000Z',
};

describe('eventFor', () => {
  it('gives staff every event as it is', () => {
    const e: NumberedEvent = {
      id: 3,
      type: 'tool',
      conversation_id: C,
      status: 'started',
      name: 'create_ticket',
      arguments: { summary: 'for staff' },
      action: 'opened_ticket',
      label: 'Opening a support ticket',
    };
    expect(eventFor('staff', e)).toBe(e);
    const m: NumberedEvent = { id: 4, type: 'message.completed', conversation_id: C, message };
    expect(eventFor('staff', m)).toBe(m);
  });

  it('gives customers messages without tool calls, keeping the actions and the event id', () => {
    for (const type of ['message.created', 'message.completed'] as const) {
      const shown = eventFor('customer', { id: 4, type, conversation_id: C, message } as NumberedEvent) as Extract<NumberedEvent, { type: typeof type }>;
      expect(shown.id).toBe(4);
      expect(shown.message.tool_calls).toBeUndefined();
      expect(shown.message.actions).toEqual(message.actions);
      // Everything else the customer's view of a message has stays: the offer of a person, the proposed action.
      const { tool_calls: _staffOnly, ...customerView } = message;
      expect(shown.message).toEqual(customerView);
      expect(shown.message.quick_replies).toEqual(['Yes, connect me']);
      expect(JSON.stringify(shown)).not.toContain('for staff');
    }
  });

  it("gives customers a tool event's action and label only, and nothing for a tool they are not told about", () => {
    const known: NumberedEvent = {
      id: 5,
      type: 'tool',
      conversation_id: C,
      status: 'started',
      name: 'create_ticket',
      arguments: { summary: 'for staff' },
      action: 'opened_ticket',
      label: 'Opening a support ticket',
    };
    expect(eventFor('customer', known)).toEqual({ id: 5, type: 'tool', conversation_id: C, status: 'started', action: 'opened_ticket', label: 'Opening a support ticket' });
    expect(eventFor('customer', { id: 6, type: 'tool', conversation_id: C, status: 'ok', name: 'internal_tool', arguments: { secret: 1 } })).toBeUndefined();
  });

  it("passes an account action's events on to the customer who decides on it", () => {
    const action = {
      id: '00000000-0000-4000-8000-000000000003',
      type: 'cancel_order',
      summary: 'Cancel order ORD-190001',
      arguments: { order_number: 'ORD-190001' },
      risk: 'confirm' as const,
      status: 'pending' as const,
      expires_at: '2026-12-07T10:30:00.000Z',
    };
    const e: NumberedEvent = { id: 8, type: 'action.proposed', conversation_id: C, action };
    expect(eventFor('customer', e)).toBe(e);
    const withProposal = { ...message, pending_action: action };
    const shown = eventFor('customer', { id: 9, type: 'message.completed', conversation_id: C, message: withProposal } as NumberedEvent) as Extract<NumberedEvent, { type: 'message.completed' }>;
    expect(shown.message.pending_action).toEqual(action);
  });

  it('passes other events on unchanged', () => {
    const e: NumberedEvent = { id: 7, type: 'handoff', conversation_id: C, status: 'waiting_human', reason: 'customer_request', ticket_number: 'TCK-200001' };
    expect(eventFor('customer', e)).toBe(e);
  });
});
