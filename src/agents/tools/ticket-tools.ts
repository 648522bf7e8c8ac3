import { z } from 'zod';
import { escalate } from '../../chat/transitions.js';
import type { TicketPriority } from '../../db/queries/tickets.js';
import { backAtSentence, businessHoursOf } from '../../util/business-hours.js';
import type { TurnContext } from '../context.js';
import { looksLikeInjection, quoteForStaff } from '../guardrails.js';
import { type HandoffReason, REASON_LABELS } from '../handoff-policy.js';
import { defineTool, ToolError } from './tool.js';

const PRIORITY_ORDER: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
const POLICY_PRIORITY: Partial<Record<HandoffReason, TicketPriority>> = {
  legal_threat: 'urgent',
  security_incident: 'urgent',
  payment_dispute: 'urgent',
  service_outage: 'urgent',
  data_protection: 'high',
};

/** The ticket's priority: what was asked for, raised to what the reason's policy demands. */
function ticketPriority(asked: TicketPriority, reason: HandoffReason): TicketPriority {
  const floor = POLICY_PRIORITY[reason] ?? 'low';
  return PRIORITY_ORDER.indexOf(floor) > PRIORITY_ORDER.indexOf(asked) ? floor : asked;
}

/**
 * The ticket as staff read it: the reason, the summary given (unless it reads like an instruction to
 * a model), and the customer's recent messages quoted (an injection attempt is withheld, not copied).
 */
function staffTicket(input: { subject: string; summary: string; reason: HandoffReason; customerTexts: string[]; contactEmail?: string }): { subject: string; summary: string } {
  const latest = input.customerTexts.at(-1) ?? '';
  const subjectOk = !looksLikeInjection(input.subject) && !looksLikeInjection(latest);
  const label = REASON_LABELS[input.reason];
  const subject = subjectOk ? input.subject : label.replace(/ \(policy.*\)$/, '');
  const lines = [`Reason: ${label} [${input.reason}]`];
  if (!looksLikeInjection(input.summary)) lines.push(input.summary.trim());
  lines.push('Customer wrote (oldest first):', ...input.customerTexts.slice(-5).map((t) => `- "${quoteForStaff(t)}"`));
  if (input.contactEmail) lines.push(`Contact email (given in the chat): ${input.contactEmail}`);
  return { subject: subject.slice(0, 200), summary: lines.join('\n').slice(0, 4000) };
}

/** Says why create_ticket refused: the model is told to help and offer a person instead. */
const NOT_GRANTED =
  'no ticket for this message: the customer has not asked for a person, accepted an offer of one, or raised a matter policy sends to a person. Help them, then ask "Would you like me to connect you with someone?"';

export const createTicketTool = defineTool({
  name: 'create_ticket',
  description:
    'Opens a support ticket for this conversation and hands it to a human. Only works when the customer asked for a person, accepted your offer of one, or raised a legal, security, payment-dispute, data-protection or outage matter. Give a short subject, a factual summary for staff, and a priority.',
  inputSchema: z.object({
    subject: z.string().trim().min(3).max(200),
    summary: z.string().trim().min(3).max(4000),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
  }),
  async run(input, ctx: TurnContext) {
    // The server's decision for this turn, not the model's: without it no ticket is opened.
    const grant = ctx.handoff.decision;
    if (grant.kind !== 'ticket') throw new ToolError('ticket_not_granted', NOT_GRANTED);
    const customerTexts = ctx.history.filter((m) => m.role === 'user').map((m) => m.content);
    const written = staffTicket({ ...input, reason: grant.reason, customerTexts, contactEmail: grant.contactEmail });
    // The handoff event joins the turn's stream (the orchestrator sends it once the reply is stored).
    const { ticket, alreadyOpen } = await escalate(
      ctx.deps,
      ctx.conversation,
      { customerId: ctx.customerId, ...written, priority: ticketPriority(input.priority, grant.reason), reason: grant.reason, contactEmail: grant.contactEmail ?? null },
      ctx.emit,
    );
    ctx.handoff.ticketNumber = ticket.ticketNumber;
    const teamBack = backAtSentence(businessHoursOf(ctx.deps.config), ctx.deps.now?.() ?? new Date());
    return {
      ticket_number: ticket.ticketNumber,
      priority: ticket.priority,
      status: ticket.status,
      already_open: alreadyOpen,
      team_available: teamBack === null,
      ...(teamBack ? { team_back: teamBack } : {}),
      ...(ticket.contactEmail ? { contact_email: ticket.contactEmail } : {}),
    };
  },
});
