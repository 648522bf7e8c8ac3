import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.js';

/** Who is on the other side of a conversation, as a support agent sees it beside the conversation. */
export interface CustomerContext {
  conversation: { id: string; channel: string; status: string; createdAt: string; messages: number; contactEmail: string | null; handoffReason: string | null };
  customer: {
    id: string;
    name: string;
    email: string;
    company: string | null;
    phone: string | null;
    createdAt: string;
    plan: { plan: string; status: string; seats: number; priceCents: number; currency: string; billingCycle: string; renewsOn: string | null } | null;
  } | null;
  invoices: { id: string; invoiceNumber: string; amountCents: number; currency: string; status: string; issuedOn: string; dueDate: string }[];
  orders: { id: string; orderNumber: string; status: string; totalCents: number; currency: string; createdAt: string }[];
  conversations: { id: string; subject: string | null; status: string; outcome: string | null; createdAt: string; firstMessage: string | null }[];
  tickets: { id: string; ticketNumber: string; subject: string; status: string; priority: string; conversationId: string | null; createdAt: string }[];
}

/**
 * Everything known about the person in a conversation, in one round trip: their customer record
 * with the current plan, latest invoices and orders, their other conversations and their tickets;
 * for a visitor, what the conversation itself tells (channel, start, contact email left on a ticket).
 * Undefined when the conversation does not exist.
 */
export async function customerContext(db: Db, conversationId: string, limit = 5): Promise<CustomerContext | undefined> {
  const [row] = await queryRows<{ context: CustomerContext | null }>(
    db,
    sql`
    WITH conv AS (SELECT * FROM conversations WHERE id = ${conversationId})
    SELECT json_build_object(
      'conversation', (SELECT json_build_object(
          'id', conv.id, 'channel', conv.channel, 'status', conv.status, 'createdAt', conv.created_at,
          'messages', (SELECT count(*)::int FROM messages m WHERE m.conversation_id = conv.id),
          'contactEmail', (SELECT t.contact_email FROM support_tickets t WHERE t.conversation_id = conv.id AND t.contact_email IS NOT NULL ORDER BY t.created_at DESC LIMIT 1),
          'handoffReason', conv.handoff_reason) FROM conv),
      'customer', (SELECT json_build_object(
          'id', c.id, 'name', c.name, 'email', c.email, 'company', c.company, 'phone', c.phone, 'createdAt', c.created_at,
          'plan', (SELECT json_build_object('plan', s.plan, 'status', s.status, 'seats', s.seats, 'priceCents', s.price_cents, 'currency', s.currency,
                                            'billingCycle', s.billing_cycle, 'renewsOn', s.renews_on)
                   FROM subscriptions s WHERE s.customer_id = c.id
                   ORDER BY (s.status = 'active') DESC, s.start_date DESC LIMIT 1))
        FROM customers c JOIN conv ON conv.customer_id = c.id),
      'invoices', coalesce((SELECT json_agg(i ORDER BY i."issuedOn" DESC, i."invoiceNumber" DESC) FROM (
          SELECT i.id, i.invoice_number AS "invoiceNumber", i.amount_cents AS "amountCents", i.currency, i.status, i.issued_on AS "issuedOn", i.due_date AS "dueDate"
          FROM invoices i JOIN conv ON conv.customer_id = i.customer_id ORDER BY i.issued_on DESC, i.invoice_number DESC LIMIT ${limit}) i), '[]'::json),
      'orders', coalesce((SELECT json_agg(o ORDER BY o."createdAt" DESC) FROM (
          SELECT o.id, o.order_number AS "orderNumber", o.status, o.total_cents AS "totalCents", o.currency, o.created_at AS "createdAt"
          FROM orders o JOIN conv ON conv.customer_id = o.customer_id ORDER BY o.created_at DESC LIMIT ${limit}) o), '[]'::json),
      'conversations', coalesce((SELECT json_agg(p ORDER BY p."createdAt" DESC) FROM (
          SELECT p.id, p.subject, p.status, p.outcome, p.created_at AS "createdAt",
                 (SELECT left(m.content, 160) FROM messages m WHERE m.conversation_id = p.id AND m.role = 'user' ORDER BY m.created_at LIMIT 1) AS "firstMessage"
          FROM conversations p JOIN conv ON conv.customer_id = p.customer_id AND p.id <> conv.id
          ORDER BY p.created_at DESC LIMIT ${limit * 2}) p), '[]'::json),
      'tickets', coalesce((SELECT json_agg(t ORDER BY t."createdAt" DESC) FROM (
          SELECT t.id, t.ticket_number AS "ticketNumber", t.subject, t.status, t.priority, t.conversation_id AS "conversationId", t.created_at AS "createdAt"
          FROM support_tickets t, conv
          WHERE t.customer_id = conv.customer_id OR t.conversation_id = conv.id
          ORDER BY t.created_at DESC LIMIT ${limit * 2}) t), '[]'::json)
    ) AS context
    WHERE EXISTS (SELECT 1 FROM conv)`,
  );
  return row?.context ?? undefined;
}
