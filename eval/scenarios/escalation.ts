/** Handoffs to a human: a ticket only when asked, accepted or demanded by policy, with the right priority, once, and silence while a person holds the chat. */
import type { TicketPriority } from '../../src/db/queries/tickets.js';
import { scenario, type Scenario, type Session, type Reply } from './harness.js';

/** Exactly one ticket for this conversation, of this customer, with this priority; the customer is told its number. */
async function expectTicket(s: Session, r: Reply, priority: TicketPriority): Promise<void> {
  const tickets = await s.tickets();
  s.expect(tickets.length === 1, `one ticket for the conversation (found ${tickets.length})`);
  const t = tickets[0];
  if (!t) return;
  s.expect(t.priority === priority, `priority ${priority} (got ${t.priority})`);
  s.expect(t.customerId === s.persona.customerId, 'the ticket belongs to this customer');
  s.expectIncludes(r, t.ticketNumber, 'the customer is told the ticket number');
  const c = await s.conversation();
  s.expect(c.status === 'waiting_human', `conversation waits for a human (status ${c.status})`);
}

export const escalationScenarios: Scenario[] = [
  scenario('double-charge-refund', 'alice', 'was charged twice and wants a refund: no ticket at once; asks for a person, a high-priority ticket', async (s) => {
    await s.say('I was charged twice this month and I want a refund');
    s.expect((await s.tickets()).length === 0, 'no ticket before the customer asks for a person');
    await expectTicket(s, await s.say('Can I talk to a person about this?'), 'high');
  }),

  scenario('upset-offer-accepted', 'bob', 'an upset customer is offered a person, accepts, and gets a ticket (accepted_offer)', async (s) => {
    const offer = await s.say("This is unacceptable. I've been waiting for weeks and nobody cares.");
    s.expect((await s.tickets()).length === 0, 'no ticket for a complaint that did not ask for a person');
    s.expect(/connect you with someone\?$/.test(offer.content), 'the reply ends with the offer of a person');
    await expectTicket(s, await s.say('Yes, connect me'), 'high');
    s.expect((await s.tickets())[0]?.reason === 'accepted_offer', 'the ticket says the offer was accepted');
  }),

  scenario('offer-declined', 'alice', 'an upset customer declines the offer of a person: no ticket', async (s) => {
    await s.say('I am really frustrated with how this went.');
    const no = await s.say('No, thanks');
    s.expect((await s.tickets()).length === 0, 'no ticket after "No, thanks"');
    s.expect((await s.conversation()).status === 'active', 'the conversation stays with the assistant');
    s.expectIncludes(no, 'No problem', 'a short reply');
  }),

  scenario('outage', 'bob', 'reports that all phones are down: an urgent ticket', async (s) => {
    await expectTicket(s, await s.say('All our phones are down, complete outage, nobody can call!'), 'urgent');
  }),

  scenario('legal-threat', 'alice', 'threatens legal action: an urgent ticket', async (s) => {
    await expectTicket(s, await s.say("Nobody has fixed my account in two weeks, I'm contacting my lawyer about this"), 'urgent');
  }),

  scenario('no-rush-suggestion', 'alice', 'wants a person for a suggestion, no rush: a low-priority ticket', async (s) => {
    await expectTicket(s, await s.say("No rush, but I'd like to talk to a person about a suggestion for the dashboard"), 'low');
  }),

  scenario('anonymous-wants-human', 'anonymous', 'an anonymous visitor asks for a human: asked for an email, then a ticket with no customer and that email', async (s) => {
    const ask = await s.say('I want to talk to a human');
    s.expect((await s.tickets()).length === 0, 'no ticket before the visitor leaves an email');
    s.expectIncludes(ask, 'email address', 'the visitor is asked for an email address');
    await expectTicket(s, await s.say('my email is anon.visitor@example.net'), 'normal');
    s.expect((await s.tickets())[0]?.contactEmail === 'anon.visitor@example.net', 'the ticket keeps the email the visitor gave');
  }),

  scenario('angry-manager', 'bob', 'an angry customer demands a manager: a high-priority ticket', async (s) => {
    await expectTicket(s, await s.say('This is unacceptable, the worst service ever. Get me a manager.'), 'high');
  }),

  scenario('escalate-once', 'alice', 'asks for a person twice; only one ticket is opened', async (s) => {
    await s.say('I want to speak to a person');
    const again = await s.say('hello?? still waiting, get me a human');
    const tickets = await s.tickets();
    s.expect(tickets.length === 1, `one ticket, not ${tickets.length}`);
    if (again.messageId) s.expectIncludes(again, tickets[0]?.ticketNumber ?? 'TCK-', 'the second reply names the same ticket');
  }),

  scenario('human-takeover', 'alice', 'after the handoff a staff member takes over; the AI stays silent', async (s) => {
    await s.say('Please connect me with someone from support');
    const take = await s.world.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${s.conversationId}/takeover`,
      headers: { authorization: `Bearer ${s.world.staffToken}` },
    });
    s.expect(take.statusCode === 200, `takeover answered ${take.statusCode}`);
    const r = await s.say('Hi, are you a real person now?');
    s.expect(r.messageId === null, `the AI stays silent while a human holds the chat (it said "${r.content.slice(0, 80)}")`);
    s.expect((await s.conversation()).status === 'human', 'the conversation is held by a human');
    const stored = await s.messages();
    s.expect(stored.filter((m) => m.role === 'user').length === 2, 'both customer messages are stored');
  }),
];
