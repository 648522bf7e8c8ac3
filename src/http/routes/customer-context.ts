import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type CustomerContext, customerContext } from '../../db/queries/customer-context.js';
import { notFound } from '../../errors.js';
import { requireStaff } from '../plugins/auth.js';
import { errorResponses, uuidParam } from '../schemas.js';

const money = { amount_cents: z.number(), currency: z.string() };

const contextSchema = z.object({
  conversation: z.object({
    id: z.uuid(),
    channel: z.string(),
    status: z.string(),
    created_at: z.string(),
    messages: z.number(),
    contact_email: z.string().nullable().describe('The email a visitor left when asking for a person'),
    handoff_reason: z.string().nullable(),
  }),
  customer: z
    .object({
      id: z.uuid(),
      name: z.string(),
      email: z.string(),
      company: z.string().nullable(),
      phone: z.string().nullable(),
      customer_since: z.string(),
      plan: z.object({ plan: z.string(), status: z.string(), seats: z.number(), ...money, billing_cycle: z.string(), renews_on: z.string().nullable() }).nullable(),
    })
    .nullable()
    .describe('null for a visitor who is not signed in'),
  invoices: z.array(z.object({ id: z.uuid(), invoice_number: z.string(), ...money, status: z.string(), issued_on: z.string(), due_date: z.string() })),
  orders: z.array(z.object({ id: z.uuid(), order_number: z.string(), status: z.string(), ...money, created_at: z.string() })),
  conversations: z.array(z.object({ id: z.uuid(), subject: z.string().nullable(), status: z.string(), outcome: z.string().nullable(), created_at: z.string(), first_message: z.string().nullable() })),
  tickets: z.array(z.object({ id: z.uuid(), ticket_number: z.string(), subject: z.string(), status: z.string(), priority: z.string(), conversation_id: z.uuid().nullable(), created_at: z.string() })),
});

const iso = (s: string) => new Date(s).toISOString();

function toWire(c: CustomerContext): z.output<typeof contextSchema> {
  const cust = c.customer;
  return {
    conversation: {
      id: c.conversation.id,
      channel: c.conversation.channel,
      status: c.conversation.status,
      created_at: iso(c.conversation.createdAt),
      messages: c.conversation.messages,
      contact_email: c.conversation.contactEmail,
      handoff_reason: c.conversation.handoffReason,
    },
    customer: cust && {
      id: cust.id,
      name: cust.name,
      email: cust.email,
      company: cust.company,
      phone: cust.phone,
      customer_since: iso(cust.createdAt),
      plan: cust.plan && {
        plan: cust.plan.plan,
        status: cust.plan.status,
        seats: cust.plan.seats,
        amount_cents: cust.plan.priceCents,
        currency: cust.plan.currency,
        billing_cycle: cust.plan.billingCycle,
        renews_on: cust.plan.renewsOn,
      },
    },
    invoices: c.invoices.map((i) => ({ id: i.id, invoice_number: i.invoiceNumber, amount_cents: i.amountCents, currency: i.currency, status: i.status, issued_on: i.issuedOn, due_date: i.dueDate })),
    orders: c.orders.map((o) => ({ id: o.id, order_number: o.orderNumber, status: o.status, amount_cents: o.totalCents, currency: o.currency, created_at: iso(o.createdAt) })),
    conversations: c.conversations.map((p) => ({ id: p.id, subject: p.subject, status: p.status, outcome: p.outcome, created_at: iso(p.createdAt), first_message: p.firstMessage })),
    tickets: c.tickets.map((t) => ({
      id: t.id,
      ticket_number: t.ticketNumber,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      conversation_id: t.conversationId,
      created_at: iso(t.createdAt),
    })),
  };
}

/** Customer context for staff beside a conversation: who it is, their plan, invoices, orders, history. */
const customerContextRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/conversations/:id/context',
    {
      schema: {
        tags: ['staff'],
        summary: "The conversation's customer: record, plan, latest invoices and orders, other conversations and tickets; for a visitor what the conversation tells (staff)",
        params: uuidParam,
        response: { 200: contextSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const context = await customerContext(app.deps.db, request.params.id);
      if (!context) throw notFound('conversation');
      return toWire(context);
    },
  );
};

export default customerContextRoutes;
