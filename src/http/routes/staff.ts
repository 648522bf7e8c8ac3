import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { postStaffMessage, waitingQueue } from '../../chat/staff.js';
import { release, takeOver } from '../../chat/transitions.js';
import type { Conversation } from '../../db/queries/conversations.js';
import { requireStaff } from '../plugins/auth.js';
import { assertMessageSize, messageBody } from '../message-body.js';
import { conversationSchema, errorResponses, messageSchema, toConversation, toMessage, uuidParam } from '../schemas.js';

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

/** Human handoff for staff: take over, hand back, reply as a person, and the waiting queue. */
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
        response: { 200: z.object({ message: messageSchema }), 201: z.object({ message: messageSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      assertMessageSize(request.body.content, app.deps.config.MAX_MESSAGE_CHARS);
      const { message, created } = await postStaffMessage(app.deps, staff, request.params.id, request.body.content, request.body.client_id);
      return reply.status(created ? 201 : 200).send({ message: toMessage(message) });
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
