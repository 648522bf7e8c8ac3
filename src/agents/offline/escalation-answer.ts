/**
 * The escalation agent's offline behaviour (no LLM): open the ticket the server granted, with a
 * subject from the message that raised the matter and a priority by rule, and confirm it with its
 * number; or help and offer a person. The agent's definition (instructions, precheck, check,
 * hints) is in ../escalation.ts.
 */
import type { TicketPriority } from '../../db/queries/tickets.js';
import type { OfflineBehaviour, OfflineRequest } from '../../llm/offline/offline-model.js';
import { emailIn, isAffirmative, isNegative, OFFER_QUESTION } from '../handoff-policy.js';
import { createTicketTool } from '../tools/ticket-tools.js';

const URGENT = /\b(outage|down for everyone|completely down|security (breach|incident)|hacked|breach|fraud|stolen|lawyer|legal action|sue|lawsuit|gdpr complaint)\b/i;
const HIGH =
  /\b(charged twice|double charged|overcharged|refund|billing error|wrong charge|locked out|can'?t access|cannot access|furious|angry|unacceptable|terrible|worst|cancel|cancellation|urgent|asap|immediately)\b/i;
const LOW = /\b(when you have time|no rush|not urgent|minor|feedback|suggestion)\b/i;
const UPSET = /\b(angry|furious|unacceptable|terrible|worst|useless|ridiculous|disappointed|frustrat\w*|annoyed|fed up|not helping|complain\w*)\b/i;

/** The ticket priority a conversation's words suggest. */
function priorityFrom(text: string): TicketPriority {
  if (URGENT.test(text)) return 'urgent';
  if (HIGH.test(text) || /!{2,}/.test(text)) return 'high';
  if (LOW.test(text)) return 'low';
  return 'normal';
}

/** A message that only answers the assistant (yes, no, an email address) says nothing about the matter. */
const isAnswerOnly = (t: string) => isAffirmative(t) || isNegative(t) || (emailIn(t) !== null && t.trim().split(/\s+/).length <= 4);

/** The ticket the offline engine opens: subject from the message that raised the matter, priority by rule (the tool adds the reason and the quotes). */
function ticketFrom(req: OfflineRequest): { subject: string; summary: string; priority: TicketPriority } {
  const userTexts = req.messages.filter((m) => m.role === 'user').map((m) => m.text);
  const matter = [...userTexts].reverse().find((t) => !isAnswerOnly(t)) ?? req.userText;
  const flat = matter.replace(/\s+/g, ' ').trim();
  const subject = flat.length > 80 ? `${flat.slice(0, 77).trimEnd()}...` : flat.length >= 3 ? flat : 'Customer asked for a person';
  return { subject, summary: 'Handed over by the assistant; the customer is waiting in the chat.', priority: priorityFrom(userTexts.join('\n')) };
}

/** The offline offer: what the assistant can say about the matter, then the offer of a person. */
function offerText(userText: string): string {
  const opener = UPSET.test(userText) ? "I'm sorry about this; that's not the experience we want you to have." : "I'd like to help with this.";
  return `${opener} Here I can answer questions about our products, plans, shipping and returns, and look up your own orders, invoices and subscription once you're signed in. If this needs someone from our support team, I can hand the conversation over. ${OFFER_QUESTION}`;
}

/** Offline: open the granted ticket and confirm it with its number, or help and offer a person. */
export function offline(): OfflineBehaviour {
  return (req) => {
    if (req.hints.handoff !== 'ticket') return { text: offerText(req.userText) };
    const result = req.toolResults.find((r) => r.toolName === createTicketTool.name);
    if (!result) return { toolCalls: [{ toolName: createTicketTool.name, input: ticketFrom(req) }] };
    if (result.isError) return { text: "I'm sorry, I couldn't open a ticket just now. Please try again in a moment, or email support@example.com." };
    const t = result.output as { ticket_number: string; priority: string; already_open: boolean; team_back?: string; contact_email?: string };
    const when = t.team_back ? `${t.team_back} A person will reply here then.` : 'A person will reply here as soon as possible.';
    if (t.already_open) return { text: `Your request is already with our team as ticket ${t.ticket_number}. ${when}` };
    const reach = t.contact_email ? ` They can also reach you at ${t.contact_email}.` : req.hints.anonymous === true ? ' Keep this conversation open (or come back to it) to see their reply.' : '';
    return { text: `I've opened ticket ${t.ticket_number} (priority: ${t.priority}) and passed this conversation to our support team. ${when}${reach}` };
  };
}
