import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actionView, decideAsCustomer, decideAsStaff } from '../../agents/actions/protocol.js';
import { listActions, listAudit, listConversationActions, type ActionStatus } from '../../db/queries/actions.js';
import { getConversation } from '../../db/queries/conversations.js';
import { assertCanRead } from '../../chat/access.js';
import { requireStaff } from '../plugins/auth.js';
import { messageSchema, pendingActionSchema } from '../../contract/messages.js';
import { currentAction, toMessage } from '../../chat/wire.js';
import { errorResponses } from '../schemas.js';

const actionParams = z.object({ id: z.uuid(), action_id: z.uuid() });
const decisionReply = z.object({ action: pendingActionSchema, message: messageSchema });

const queuedAction = pendingActionSchema.extend({
  conversation_id: z.uuid(),
  created_at: z.string(),
  confirmed_at: z.string().nullable(),
  customer: z.object({ id: z.uuid(), name: z.string(), email: z.string(), company: z.string().nullable() }),
  conversation_subject: z.string().nullable(),
  amount_cents: z.number().int().nullable().describe('The money the action moves (refund, credit, charge) as quoted to the customer'),
  currency: z.string().nullable(),
  order: z
    .object({
      order_number: z.string(),
      status: z.string(),
      items: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
      total_cents: z.number().int(),
      currency: z.string(),
      delivered_at: z.string().nullable(),
    })
    .nullable()
    .describe('The order the action is about, as it is now (null when it names none)'),
});

const auditEntry = z.object({
  id: z.uuid(),
  actor_type: z.string(),
  actor_id: z.uuid().nullable(),
  action: z.string(),
  action_id: z.uuid().nullable(),
  outcome: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  before: z.unknown(),
  after: z.unknown(),
  result: z.unknown(),
  approver_id: z.uuid().nullable(),
  conversation_id: z.uuid().nullable(),
  message_id: z.uuid().nullable(),
  created_at: z.string(),
});

/** Account actions: the customer's decision, the staff approval queue and decision, and the audit trail. */
const actionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/conversations/:id/actions/:action_id',
    {
      schema: {
        tags: ['actions'],
        summary: 'Confirm or decline an action the assistant proposed (the only way it runs; a typed "yes" is not a confirmation)',
        description:
          'confirm: a confirm-tier action runs now (exactly once), an approve-tier one waits for staff; decline: nothing changes. 404 for an unknown or foreign action, 409 when it expired (action_expired) or was already decided (action_already_decided; nothing changes).',
        params: actionParams,
        body: z.object({ decision: z.enum(['confirm', 'decline']) }),
        response: { 200: decisionReply, ...errorResponses },
      },
    },
    async (request) => {
      const d = await decideAsCustomer(app.deps, request.auth, request.params.id, request.params.action_id, request.body.decision);
      return { action: d.action, message: toMessage(d.message) };
    },
  );

  app.get(
    '/conversations/:id/actions',
    {
      schema: {
        tags: ['actions'],
        summary: "A conversation's actions with their current status, oldest first",
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ items: z.array(pendingActionSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const conversation = await getConversation(app.deps.db, request.params.id);
      assertCanRead(request.auth, conversation);
      const rows = await listConversationActions(app.deps.db, conversation.id);
      return { items: rows.map((a) => currentAction(actionView(a))) };
    },
  );

  app.get(
    '/actions',
    {
      schema: {
        tags: ['actions'],
        summary: 'Actions for staff; status=pending (the default) lists those waiting for a staff decision',
        description:
          'pending: approve-tier actions the customer has confirmed, waiting for approval (oldest wait first in the console). Any other status filters by the action status (awaiting_customer: proposals the customer has not decided yet).',
        querystring: z.object({
          status: z.enum(['pending', 'awaiting_customer', 'approved', 'rejected', 'declined', 'expired', 'completed', 'failed']).default('pending'),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(queuedAction), next_cursor: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const { status, limit, cursor } = request.query;
      const filter: { statuses: ActionStatus[]; risk?: 'approve' } =
        status === 'pending' ? { statuses: ['confirmed'], risk: 'approve' } : status === 'awaiting_customer' ? { statuses: ['pending'] } : { statuses: [status] };
      const page = await listActions(app.deps.db, { ...filter, limit, cursor });
      return {
        items: page.items.map((q) => ({
          ...currentAction(actionView(q.action)),
          conversation_id: q.action.conversationId,
          created_at: q.action.createdAt.toISOString(),
          confirmed_at: q.action.decidedAt?.toISOString() ?? null,
          customer: q.customer,
          conversation_subject: q.conversationSubject,
          amount_cents: q.action.amountCents,
          currency: q.action.currency,
          order: q.order
            ? {
                order_number: q.order.orderNumber,
                status: q.order.status,
                items: q.order.items.map((i) => ({ name: i.name, quantity: i.quantity })),
                total_cents: q.order.totalCents,
                currency: q.order.currency,
                delivered_at: q.order.deliveredAt?.toISOString() ?? null,
              }
            : null,
        })),
        next_cursor: page.nextCursor,
      };
    },
  );

  app.post(
    '/actions/:action_id/approval',
    {
      schema: {
        tags: ['actions'],
        summary: 'Approve (runs it, exactly once) or reject an approve-tier action the customer confirmed (staff)',
        params: z.object({ action_id: z.uuid() }),
        body: z.object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().min(1).max(1000).optional() }),
        response: { 200: decisionReply, ...errorResponses },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const d = await decideAsStaff(app.deps, staff, request.params.action_id, request.body.decision, request.body.note);
      return { action: d.action, message: toMessage(d.message) };
    },
  );

  app.get(
    '/actions/:action_id/audit',
    {
      schema: {
        tags: ['actions'],
        summary: "An action's audit trail: who decided, what it changed (before/after), the result (staff)",
        params: z.object({ action_id: z.uuid() }),
        response: { 200: z.object({ items: z.array(auditEntry) }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const rows = await listAudit(app.deps.db, { actionId: request.params.action_id });
      return {
        items: rows.map((r) => ({
          id: r.id,
          actor_type: r.actorType,
          actor_id: r.actorId,
          action: r.action,
          action_id: r.actionId,
          outcome: r.outcome,
          arguments: r.arguments,
          before: r.before ?? null,
          after: r.after ?? null,
          result: r.result ?? null,
          approver_id: r.approverId,
          conversation_id: r.conversationId,
          message_id: r.messageId,
          created_at: r.createdAt.toISOString(),
        })),
      };
    },
  );
};

export default actionRoutes;
