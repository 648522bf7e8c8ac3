/**
 * What the service does with a message, measured from outside: each message is sent through the
 * public chat API (`POST /api/v1/chat`, a new anonymous conversation each), and the reply's route and
 * the tickets the database holds for that conversation are recorded. Scored per set: routed right
 * without asking, clarifying questions, tickets, and false tickets.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../src/db/client.js';
import { supportTickets } from '../src/db/schema.js';
import type { Route } from '../src/llm/offline/routes.js';

/** A message to send, with the route it should take. */
export interface ChatItem {
  text: string;
  route: Route;
}

/** What happened to one message. */
export interface ChatOutcome {
  text: string;
  gold: Route;
  /** The reply's route (`clarify` when the router asked a clarifying question); null without a reply. */
  route: string | null;
  agent: string | null;
  tickets: number;
  asksForPerson: boolean;
}

/**
 * Whether a message asks for a person in so many words ("talk to a human", "real person", "call me
 * back", "transfer me to an agent"). Written narrowly: a message this misses counts as not asking,
 * which makes the false-ticket rate stricter, never more lenient.
 */
export function asksForPerson(text: string): boolean {
  return (
    /\b(speak|talk|chat|connect|transfer|put)( me)? (to|with|through to) (a |an |your |the |some )?(human|person|agent|representative|rep|operator|manager|supervisor|someone|somebody|staff|employee|support (team|agent))\b/i.test(
      text,
    ) ||
    /\b(real|live|actual) (person|human|agent|people)\b/i.test(text) ||
    /\b(human|live) (agent|support|being)\b/i.test(text) ||
    /\bcall me( back)?\b/i.test(text) ||
    /\b(customer service|support) (rep|representative|agent)\b/i.test(text)
  );
}

/** Sends each message as a new anonymous conversation and records the reply and the tickets it opened. */
export async function askThroughChat(app: FastifyInstance, db: Db, items: readonly ChatItem[]): Promise<ChatOutcome[]> {
  const out: ChatOutcome[] = [];
  for (const item of items) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: item.text } });
    if (res.statusCode !== 200) throw new Error(`chat failed for ${JSON.stringify(item.text)}: ${res.statusCode} ${res.body}`);
    const body = res.json() as { conversation_id: string; assistant_message: { route: string | null; agent: string | null } | null };
    const tickets = await db.select({ id: supportTickets.id }).from(supportTickets).where(eq(supportTickets.conversationId, body.conversation_id));
    out.push({
      text: item.text,
      gold: item.route,
      route: body.assistant_message?.route ?? null,
      agent: body.assistant_message?.agent ?? null,
      tickets: tickets.length,
      asksForPerson: asksForPerson(item.text),
    });
  }
  return out;
}

/** Rates over a set's chat outcomes. */
export interface ChatRates {
  n: number;
  /** Routed straight to the labelled route. */
  directlyRight: number;
  clarifyRate: number;
  /** Share of messages that opened at least one ticket. */
  ticketRate: number;
  /**
   * Tickets a support team should not have got: messages that neither ask for a person nor carry an
   * `escalation` label (complaints, disputes, fraud, security incidents: the policy cases) yet opened a
   * ticket, over all such messages.
   */
  falseTicketRate: number;
  /** The brief's plain definition: tickets for messages that did not ask for a person, over all such messages. */
  ticketsWithoutAsking: number;
  /** How many messages ask for a person (left out of both false-ticket denominators). */
  askingForPerson: number;
}

const share = (xs: readonly ChatOutcome[], f: (o: ChatOutcome) => boolean) => (xs.length === 0 ? Number.NaN : xs.filter(f).length / xs.length);

/** The rates of a set's outcomes. */
export function chatRates(outcomes: readonly ChatOutcome[]): ChatRates {
  const notAsking = outcomes.filter((o) => !o.asksForPerson);
  const noPolicy = notAsking.filter((o) => o.gold !== 'escalation');
  return {
    n: outcomes.length,
    directlyRight: share(outcomes, (o) => o.route === o.gold),
    clarifyRate: share(outcomes, (o) => o.route === 'clarify'),
    ticketRate: share(outcomes, (o) => o.tickets > 0),
    falseTicketRate: share(noPolicy, (o) => o.tickets > 0),
    ticketsWithoutAsking: share(notAsking, (o) => o.tickets > 0),
    askingForPerson: outcomes.length - notAsking.length,
  };
}
