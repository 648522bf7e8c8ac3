import { z } from 'zod';
import { setConversationStatus } from '../../db/queries/conversations.js';
import { createTicket, getOpenTicketForConversation } from '../../db/queries/tickets.js';
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
    const db = ctx.deps.db;
    const existing = await getOpenTicketForConversation(db, ctx.conversation.id);
    const ticket =
      existing ??
      (await createTicket(db, {
        customerId: ctx.customerId,
        conversationId: ctx.conversation.id,
        subject: input.subject,
        summary: input.summary,
        priority: input.priority,
        reason: input.reason,
      }));
    if (ctx.conversation.status !== 'human') {
      await setConversationStatus(db, ctx.conversation.id, 'waiting_human', { handoffReason: input.reason });
    }
    return { ticket_number: ticket.ticketNumber, priority: ticket.priority, status: ticket.status, already_open: Boolean(existing) };
  },
});
