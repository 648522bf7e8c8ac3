import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { postStaffMessage, waitingQueue } from '../../chat/staff.js';
import { assign, release, takeOver } from '../../chat/transitions.js';
import type { Conversation } from '../../db/queries/conversations.js';
import { getStaffConversation, listStaffConversations, type StaffConversation } from '../../db/queries/staff-conversations.js';
import { listStaffUsers } from '../../db/queries/users.js';
import { AppError } from '../../errors.js';
import { requireStaff } from '../plugins/auth.js';
import { assertMessageSize, messageBody } from '../message-body.js';
import { dayRange, reportRangeQuery } from '../report-range.js';
import { conversationSchema, staffMessageSchema } from '../../contract/messages.js';
import { toConversation, toStaffMessage } from '../../chat/wire.js';
import { errorResponses, pageQuery, uuidParam } from '../schemas.js';

const heldConversation = conversationSchema.extend({ assigned_to: z.uuid().nullable() });

const queueItem = z.object({
  conversation_id: z.uuid(),
  subject: z.string().nullable(),
  reason: z.string().nullable(),
  waiting_since: z.string(),
  age_seconds: z.number().int(),
  ticket_number: z.string().nullable(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).nullable(),
});

const queueSnapshot = z.object({
  count: z.number().int(),
  oldest_age_seconds: z.number().int().nullable(),
  items: z.array(queueItem),
  at: z.string(),
});

function toHeld(c: Conversation): z.output<typeof heldConversation> {
  return { ...toConversation(c), assigned_to: c.assignedTo };
}

const priority = z.enum(['low', 'normal', 'high', 'urgent']);

const staffConversation = heldConversation.extend({
  assignee_name: z.string().nullable(),
  customer_name: z.string().nullable(),
  customer_email: z.string().nullable(),
  first_message: z.string().nullable().describe("The customer's first message, up to 200 characters"),
  ticket: z
    .object({
      id: z.uuid(),
      ticket_number: z.string(),
      status: z.enum(['open', 'pending', 'resolved', 'closed']),
      priority,
      assigned_to: z.uuid().nullable(),
    })
    .nullable(),
});

function toStaffConversation(c: StaffConversation): z.output<typeof staffConversation> {
  return {
    ...toHeld(c),
    assignee_name: c.assigneeName,
    customer_name: c.customerName,
    customer_email: c.customerEmail,
    first_message: c.firstMessage,
    ticket: c.ticket ? { id: c.ticket.id, ticket_number: c.ticket.number, status: c.ticket.status, priority: c.ticket.priority, assigned_to: c.ticket.assignedTo } : null,
  };
}

const staffMember = z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.enum(['agent', 'admin']) });

/** A staff user's id, or `none` for nobody (unassigned). */
const assigneeFilter = z.union([z.uuid(), z.literal('none')]);

const conversationFilters = pageQuery.extend({
  status: conversationSchema.shape.status.optional(),
  route: z.string().trim().min(1).max(40).optional().describe('An answer in the conversation took this route (faq, account, escalation, …)'),
  assigned_to: assigneeFilter.optional().describe('Held by this staff user, or `none`'),
  customer_id: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional().describe("Words in the subject or the customer's name or email"),
  ...reportRangeQuery.shape,
});

/** Human handoff for staff: take over, hand back, assign, reply as a person, the waiting queue and the console's lists. */
const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/conversations/:id/takeover',
    {
      schema: {
        tags: ['handoff'],
        summary: 'A staff member takes the conversation over; the AI stays silent until release',
        params: uuidParam,
        response: { 200: heldConversation, ...errorResponses },
      },
    },
    async (request) => toHeld(await takeOver(app.deps, requireStaff(request), request.params.id)),
  );

  app.post(
    '/conversations/:id/release',
    {
      schema: {
        tags: ['handoff'],
        summary: 'Hand the conversation back to the AI',
        params: uuidParam,
        response: { 200: heldConversation, ...errorResponses },
      },
    },
    async (request) => toHeld(await release(app.deps, requireStaff(request), request.params.id)),
  );

  app.post(
    '/conversations/:id/staff-messages',
    {
      config: { idempotency: true },
      schema: {
        tags: ['handoff'],
        summary: "A staff member's reply, delivered to the customer live (takes the conversation over if the AI holds it)",
        params: uuidParam,
        body: messageBody.extend({ client_id: z.string().min(1).max(128).optional() }),
        response: { 200: z.object({ message: staffMessageSchema }), 201: z.object({ message: staffMessageSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      assertMessageSize(request.body.content, app.deps.config.MAX_MESSAGE_CHARS);
      const { message, created } = await postStaffMessage(app.deps, staff, request.params.id, request.body.content, request.body.client_id);
      return reply.status(created ? 201 : 200).send({ message: toStaffMessage(message) });
    },
  );

  app.post(
    '/conversations/:id/assign',
    {
      schema: {
        tags: ['handoff'],
        summary: 'Give the conversation to a staff member (a colleague or oneself); taking one a colleague holds is for admins',
        description:
          'The assignee holds the conversation (status `human`, the AI stays silent) and the customer is told who joined. An agent may assign a conversation nobody holds or hand on one they hold; a conversation a colleague holds is 403 `held_by_other` for agents, allowed for admins.',
        params: uuidParam,
        body: z.object({ assigned_to: z.uuid() }),
        response: { 200: heldConversation, ...errorResponses },
      },
    },
    async (request) => toHeld(await assign(app.deps, requireStaff(request), request.params.id, request.body.assigned_to)),
  );

  app.get(
    '/staff/conversations',
    {
      schema: {
        tags: ['handoff'],
        summary: 'Conversations for the staff console, newest first, filtered (status, route, assignee, customer, words, days)',
        querystring: conversationFilters,
        response: { 200: z.object({ items: z.array(staffConversation), next_cursor: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const q = request.query;
      const page = await listStaffConversations(app.deps.db, {
        status: q.status,
        route: q.route,
        assignedTo: q.assigned_to,
        customerId: q.customer_id,
        q: q.q,
        ...dayRange(q),
        limit: q.limit,
        cursor: q.cursor,
      });
      return { items: page.items.map(toStaffConversation), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/staff/conversations/:id',
    {
      schema: {
        tags: ['handoff'],
        summary: 'A conversation with who holds it, its customer and its latest ticket',
        params: uuidParam,
        response: { 200: staffConversation, ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const c = await getStaffConversation(app.deps.db, request.params.id);
      if (!c) throw new AppError('conversation_not_found', 404, 'Conversation not found');
      return toStaffConversation(c);
    },
  );

  app.get(
    '/staff/members',
    {
      schema: {
        tags: ['handoff'],
        summary: 'The support team (agents and admins): whom conversations and tickets can be assigned to',
        response: { 200: z.object({ items: z.array(staffMember) }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const rows = await listStaffUsers(app.deps.db);
      return { items: rows.flatMap((u) => (u.role === 'customer' ? [] : [{ id: u.id, name: u.name, email: u.email, role: u.role }])) };
    },
  );

  app.get(
    '/staff/queue',
    {
      schema: {
        tags: ['handoff'],
        summary: 'Conversations waiting for a human: how many, since when, why (live over the WebSocket as `queue` events)',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: queueSnapshot, ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      return waitingQueue(app.deps.db, request.query.limit);
    },
  );
};

export default staffRoutes;
