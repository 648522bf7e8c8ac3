import type { TicketPriority } from '../db/queries/tickets.js';
import type { OfflineBehaviour, OfflineRequest } from '../llm/offline/offline-model.js';
import type { Agent } from './agent.js';
import { createTicketTool, type HandoffReason } from './tools/ticket-tools.js';

export const name = 'escalation';
export const description =
  'Hands the conversation to a human: the customer asks for a person, is upset, reports an outage, a legal or security matter, or needs a change only staff can make (refund, cancellation, deletion).';

/** Instructions for an LLM running this agent. */
export function instructions(): string {
  return [
    'The customer needs a human. Call create_ticket once with a short subject, a factual summary of what they need (with any order/invoice numbers), a reason, and a priority:',
    'urgent for outages, security incidents, legal threats or fraud; high for billing errors, refunds, angry customers or account lockouts; normal otherwise; low for minor requests.',
    'Then tell the customer the ticket number and that a member of the team will reply in this conversation.',
  ].join('\n');
}

const URGENT = /\b(outage|down for everyone|completely down|security (breach|incident)|hacked|breach|fraud|stolen|lawyer|legal action|sue|lawsuit|gdpr complaint)\b/i;
const HIGH = /\b(charged twice|double charged|overcharged|refund|billing error|wrong charge|locked out|can'?t access|cannot access|furious|angry|unacceptable|terrible|worst|cancel|cancellation|urgent|asap|immediately)\b/i;
const LOW = /\b(when you have time|no rush|not urgent|minor|feedback|suggestion)\b/i;

/** The ticket priority a conversation's words suggest. */
export function priorityFrom(text: string): TicketPriority {
  if (URGENT.test(text)) return 'urgent';
  if (HIGH.test(text) || /!{2,}/.test(text)) return 'high';
  if (LOW.test(text)) return 'low';
  return 'normal';
}

/** The reason recorded for the handoff. */
export function reasonFrom(text: string): HandoffReason {
  if (URGENT.test(text)) return 'urgent_issue';
  if (/\b(refund|charged|billing|invoice|payment)\b/i.test(text)) return 'billing_dispute';
  if (/\b(cancel|cancellation|delete my (account|data))\b/i.test(text)) return 'account_change';
  if (/\b(angry|furious|unacceptable|terrible|worst|useless|not helping)\b/i.test(text)) return 'dissatisfied';
  return 'customer_request';
}

/** The ticket the offline engine opens: subject from the latest message, summary from the recent ones, priority by rule. */
export function ticketFrom(req: OfflineRequest): { subject: string; summary: string; priority: TicketPriority; reason: HandoffReason } {
  const userTexts = req.messages.filter((m) => m.role === 'user').map((m) => m.text);
  const latest = req.userText;
  const all = userTexts.join('\n');
  const subject = latest.length > 80 ? `${latest.slice(0, 77).trimEnd()}...` : latest;
  const summary = `Customer asked for help from a person. Recent messages:\n${userTexts.slice(-5).map((t) => `- ${t}`).join('\n')}`;
  return { subject, summary, priority: priorityFrom(all), reason: reasonFrom(all) };
}

/** Offline: open the ticket, then confirm it with its number. */
export function offline(): OfflineBehaviour {
  return (req) => {
    const result = req.toolResults.find((r) => r.toolName === createTicketTool.name);
    if (!result) return { toolCalls: [{ toolName: createTicketTool.name, input: ticketFrom(req) }] };
    if (result.isError) return { text: "I'm sorry, I couldn't open a ticket just now. Please try again in a moment, or email support@example.com." };
    const t = result.output as { ticket_number: string; priority: string; already_open: boolean };
    return {
      text: t.already_open
        ? `Your request is already with our team as ticket ${t.ticket_number}. A member of our support team will reply here as soon as possible.`
        : `I've opened ticket ${t.ticket_number} (priority: ${t.priority}) and passed this conversation to our support team. A person will reply here as soon as possible.`,
    };
  };
}

/** The escalation agent. */
export const escalation: Agent = { name, description, instructions, tools: [createTicketTool], maxSteps: 3, offline };
