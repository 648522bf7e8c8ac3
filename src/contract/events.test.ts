import { describe, expect, it } from 'vitest';
import { clientEventSchema, conversationEventSchema, serverEventSchema } from './events.js';

const C = '00000000-0000-4000-8000-000000000001';

describe('the wire contract', () => {
  it('reads a numbered conversation event and a connection event as server events', () => {
    expect(serverEventSchema.safeParse({ id: 3, type: 'token', conversation_id: C, message_ref: 'r1', delta: 'Hi' }).success).toBe(true);
    expect(serverEventSchema.safeParse({ type: 'joined', conversation_id: C, status: 'active', last_event_id: 0, gap: false }).success).toBe(true);
  });

  it('refuses an event of no known type, and a conversation event without its fields', () => {
    expect(serverEventSchema.safeParse({ type: 'nonsense' }).success).toBe(false);
    expect(conversationEventSchema.safeParse({ type: 'handoff', conversation_id: C }).success).toBe(false);
    expect(clientEventSchema.safeParse({ type: 'conversation.join', conversation_id: 'not-a-uuid' }).success).toBe(false);
  });
});
