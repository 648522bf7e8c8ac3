/** Conversation mechanics a customer relies on: clarifying questions, retries, continuing as a guest. */
import { randomUUID } from 'node:crypto';
import { scenario, type Scenario } from './harness.js';

export const flowScenarios: Scenario[] = [
  scenario('clarify-then-account', 'alice', 'says something vague, answers the clarifying question, gets her latest invoice', async (s) => {
    const first = await s.say('about the thing from last week');
    s.expect(first.route === 'clarify', `a vague message gets a clarifying question (got route ${first.route})`);
    const r = await s.say('my invoice');
    const [inv] = await s.invoices();
    s.expectIncludes(r, inv!.invoiceNumber, 'then the latest invoice');
  }),

  scenario('retry-is-idempotent', 'alice', 'her app retries a message with the same Idempotency-Key; it is stored and answered once', async (s) => {
    await s.say('hello');
    const key = randomUUID();
    const a = await s.say('What plan am I on?', { idempotencyKey: key });
    const b = await s.say('What plan am I on?', { idempotencyKey: key });
    s.expect(a.messageId !== null && a.messageId === b.messageId, 'the retry returns the same assistant message');
    const stored = await s.messages();
    s.expect(stored.filter((m) => m.role === 'user' && m.content === 'What plan am I on?').length === 1, 'the message is stored once');
  }),

  scenario('guest-continues', 'anonymous', 'a guest continues her conversation with its token; its history is hers', async (s) => {
    await s.say('What is your return policy?');
    const r = await s.say('And who pays for return shipping?');
    s.expect(r.agent === 'faq', `the follow-up is answered by the FAQ agent (got ${r.agent})`);
    const stored = await s.messages();
    s.expect(stored.map((m) => m.role).join(',') === 'user,assistant,user,assistant', `history is the four messages (${stored.map((m) => m.role).join(',')})`);
  }),

  scenario('account-then-faq', 'bob', 'asks about his order, then a general shipping question in the same conversation', async (s) => {
    const a = await s.say('Where is my latest order?');
    const [order] = await s.orders();
    if (order) s.expectIncludes(a, order.orderNumber, 'latest order');
    const b = await s.say('How much does express shipping cost?');
    s.expect(b.agent === 'faq', `the general question goes to the FAQ agent (got ${b.agent})`);
    s.expectIncludes(b, '$19.95', 'the express price');
  }),
];
