import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { openTicket, resolveByStaff } from '../../chat/transitions.js';
import { getTicket, listTickets, updateTicket, type Ticket } from '../../db/queries/tickets.js';
import { getUserById } from '../../db/queries/users.js';
import { AppError } from '../../errors.js';
import { requireStaff, requireUser } from '../plugins/auth.js';
import { dayRange, reportRangeQuery } from '../report-range.js';
import { errorResponses, pageQuery, uuidParam } from '../schemas.js';

const status = z.enum(['open', 'pending', 'resolved', 'closed']);
const priority = z.enum(['low', 'normal', 'high', 'urgent']);

export const ticketSchema = z.object({
  id: z.uuid(),
  ticket_number: z.string(),
  customer_id: z.uuid().nullable(),
  conversation_id: z.uuid().nullable(),
  subject: z.string(),
  summary: z.string(),
  reason: z.string(),
  contact_email: z.string().nullable().describe('The address an anonymous visitor gave in the chat before the ticket opened'),
  priority,
  status,
  assigned_to: z.uuid().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** A ticket as the API shows it. */
export function toTicket(t: Ticket): z.output<typeof ticketSchema> {
  return {
    id: t.id,
    ticket_number: t.ticketNumber,
    customer_id: t.customerId,
    conversation_id: t.conversationId,
    subject: t.subject,
    summary: t.summary,
    reason: t.reason,
    contact_email: t.contactEmail,
    priority: t.priority,
    status: t.status,
    assigned_to: t.assignedTo,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

const hidden = () => new AppError('ticket_not_found', 404, 'Ticket not found');
const badReference = (field: string) => new AppError('invalid_reference', 400, `Invalid body: ${field} does not name an existing record`, { field });

/** Support tickets: staff see and change all; customers read their own. */
const ticketRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Tickets, newest first, filtered (customers: their own)',
        querystring: pageQuery.extend({
          status: status.optional(),
          priority: priority.optional(),
          assigned_to: z
            .union([z.uuid(), z.literal('none')])
            .optional()
            .describe('Assigned to this staff user, or `none`'),
          customer_id: z.uuid().optional().describe("One customer's tickets (staff; a customer always sees only their own)"),
          q: z.string().trim().min(1).max(200).optional().describe("Words in the number or subject, or the customer's name or email"),
          ...reportRangeQuery.shape,
        }),
        response: { 200: z.object({ items: z.array(ticketSchema), next_cursor: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const q = request.query;
      const staff = user.role !== 'customer';
      if (!staff && !user.customerId) return { items: [], next_cursor: null };
      const page = await listTickets(app.deps.db, {
        customerId: staff ? q.customer_id : (user.customerId ?? undefined),
        status: q.status,
        priority: q.priority,
        assignedTo: q.assigned_to,
        q: q.q,
        ...dayRange(q),
        limit: q.limit,
        cursor: q.cursor,
      });
      return { items: page.items.map(toTicket), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/tickets/:id',
    {
      schema: { tags: ['tickets'], summary: 'A ticket', params: uuidParam, response: { 200: ticketSchema, ...errorResponses } },
    },
    async (request) => {
      const user = requireUser(request);
      const ticket = await getTicket(app.deps.db, request.params.id);
      // A customer asking for someone else's ticket learns nothing: the same 404 as for none at all.
      if (!ticket || (user.role === 'customer' && (!user.customerId || ticket.customerId !== user.customerId))) throw hidden();
      return toTicket(ticket);
    },
  );

  app.post(
    '/tickets',
    {
      config: { idempotency: true },
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket (staff); like every new ticket it is sent to TICKET_WEBHOOK_URL',
        body: z.object({
          subject: z.string().trim().min(1).max(200),
          summary: z.string().trim().min(1).max(8000),
          customer_id: z.uuid().optional(),
          conversation_id: z.uuid().optional(),
          priority: priority.default('normal'),
          reason: z.string().trim().min(1).max(100).default('staff_opened'),
        }),
        response: { 201: ticketSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const b = request.body;
      const ticket = await openTicket(app.deps, staff, {
        subject: b.subject,
        summary: b.summary,
        customerId: b.customer_id,
        conversationId: b.conversation_id,
        priority: b.priority,
        reason: b.reason,
      });
      return reply.status(201).send(toTicket(ticket));
    },
  );

  app.patch(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Change a ticket (staff)',
        params: uuidParam,
        body: z
          .object({
            status: status.optional(),
            priority: priority.optional(),
            assigned_to: z.uuid().nullable().optional(),
            subject: z.string().trim().min(1).max(200).optional(),
            summary: z.string().trim().min(1).max(8000).optional(),
          })
          .refine((b) => Object.values(b).some((v) => v !== undefined), 'must change at least one field'),
        response: { 200: ticketSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const b = request.body;
      if (b.assigned_to) {
        const assignee = await getUserById(app.deps.db, b.assigned_to);
        if (!assignee || assignee.role === 'customer') throw badReference('assigned_to');
      }
      const ticket = await updateTicket(app.deps.db, request.params.id, {
        status: b.status,
        priority: b.priority,
        assignedTo: b.assigned_to,
        subject: b.subject,
        summary: b.summary,
      });
      if (!ticket) throw hidden();
      // Resolving or closing the ticket of a conversation a person has resolves the conversation: its customer is asked to rate it.
      if ((b.status === 'resolved' || b.status === 'closed') && ticket.conversationId) await resolveByStaff(app.deps, ticket.conversationId);
      return toTicket(ticket);
    },
  );
};

export default ticketRoutes;
