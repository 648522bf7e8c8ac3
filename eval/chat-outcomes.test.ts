import { describe, expect, it } from 'vitest';
import { asksForPerson, chatRates, type ChatOutcome } from './chat-outcomes.js';

describe('asking for a person', () => {
  it('is recognised when a message asks for a human in so many words', () => {
    for (const t of ['Can I talk to a human please', 'let me speak with your manager', 'I want a real person', 'is there a live agent', 'please call me back', 'transfer me to a support agent'])
      expect(asksForPerson(t), t).toBe(true);
  });

  it('is not read into messages that only mention people or agents', () => {
    for (const t of ['someone is using my card without permission', 'find me a travel agent in Boston', 'how many people can use the Pro plan', 'where is my order'])
      expect(asksForPerson(t), t).toBe(false);
  });
});

describe('chat rates', () => {
  const o = (gold: ChatOutcome['gold'], route: string, tickets: number, asks = false): ChatOutcome => ({ text: '', gold, route, agent: null, tickets, asksForPerson: asks });

  it('counts a ticket as false unless the message asked for a person or carries an escalation label', () => {
    const outcomes = [
      o('faq', 'escalation', 1), // false ticket
      o('account', 'account', 0),
      o('escalation', 'escalation', 1), // policy case: not false
      o('out_of_scope', 'clarify', 0),
      o('smalltalk', 'escalation', 1, true), // asked for a person: not false
    ];
    const r = chatRates(outcomes);
    expect(r).toMatchObject({ n: 5, askingForPerson: 1 });
    expect(r.directlyRight).toBeCloseTo(2 / 5);
    expect(r.clarifyRate).toBeCloseTo(1 / 5);
    expect(r.ticketRate).toBeCloseTo(3 / 5);
    expect(r.falseTicketRate).toBeCloseTo(1 / 3);
    expect(r.ticketsWithoutAsking).toBeCloseTo(2 / 4);
  });
});
