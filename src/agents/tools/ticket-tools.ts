import { z } from 'zod';
import { escalate } from '../../chat/transitions.js';
import { defineTool } from './tool.js';

/** Why a conversation is handed to a human (the handoff reasons analytics count). */
export const HANDOFF_REASONS = ['customer_request', 'billing_dispute', 'account_change', 'dissatisfied', 'urgent_issue'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export const createTicketTool = defineTool({
  name: 'create_ticket',
  description:
    'Opens a support ticket for this conversation and hands it to a human. Give a short subject, a summary of what the customer needs, and a priority from the conversation.',
  inputSchema: z.object({
    subject: z.string().trim().min(3).max(200),
    summary: z.string().trim().min(3).max(4000),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
    reason: z.enum(HANDOFF_REASONS).default('customer_request').describe('Why a human is needed'),
  }),
  async run(input, ctx) {
    // The handoff event joins the turn's stream (the orchestrator sends it once the reply is stored).
    const { ticket, alreadyOpen } = await escalate(ctx.deps, ctx.conversation, { customerId: ctx.customerId, ...input }, ctx.emit);
    return { ticket_number: ticket.ticketNumber, priority: ticket.priority, status: ticket.status, already_open: alreadyOpen };
  },
});
