import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { getCustomerById } from '../../db/queries/customers.js';
import { getInvoiceByNumber, listInvoices, type Invoice } from '../../db/queries/invoices.js';
import { getOrderByNumber, listOrders, type Order } from '../../db/queries/orders.js';
import { listSubscriptions, type Subscription } from '../../db/queries/subscriptions.js';
import { AppError } from '../../errors.js';
import { formatMoney, type TurnContext } from '../context.js';
import { defineTool, NOT_FOUND } from './tool.js';

/** The signed-in customer of the turn; the account tools never take identity from their arguments. */
function customerOf(ctx: TurnContext): string {
  if (!ctx.customerId) throw new AppError('sign_in_required', 401, 'Sign in to see account details');
  return ctx.customerId;
}

/** The invoice fields a tool returns. */
export function invoiceView(i: Invoice) {
  return {
    invoice_number: i.invoiceNumber,
    amount: formatMoney(i.amountCents, i.currency),
    amount_cents: i.amountCents,
    currency: i.currency,
    status: i.status,
    issued_on: i.issuedOn,
    due_date: i.dueDate,
    paid_at: i.paidAt?.toISOString() ?? null,
    description: i.description,
  };
}

/** The order fields a tool returns. */
export function orderView(o: Order) {
  return {
    order_number: o.orderNumber,
    status: o.status,
    total: formatMoney(o.totalCents, o.currency),
    items: o.items.map((it) => ({ name: it.name, quantity: it.quantity })),
    carrier: o.carrier,
    tracking_number: o.trackingNumber,
    ordered_at: o.createdAt.toISOString(),
    shipped_at: o.shippedAt?.toISOString() ?? null,
    delivered_at: o.deliveredAt?.toISOString() ?? null,
  };
}

/** The subscription fields a tool returns. */
export function subscriptionView(s: Subscription) {
  return {
    plan: s.plan,
    status: s.status,
    price_per_seat: formatMoney(s.priceCents, s.currency),
    total: formatMoney(s.priceCents * s.seats, s.currency),
    billing_cycle: s.billingCycle,
    seats: s.seats,
    start_date: s.startDate,
    end_date: s.endDate,
    renews_on: s.renewsOn,
  };
}

/** The days of a YYYY-MM month, as the [from, before) range the invoice query takes. */
function monthRange(month: string): { issuedFrom: string; issuedBefore: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { issuedFrom: `${month}-01`, issuedBefore: `${next}-01` };
}

const invoiceNumber = z.string().trim().min(3).max(40).describe('An invoice number such as INV-2026-98765');
const orderNumber = z.string().trim().min(3).max(40).describe('An order number such as ORD-987654, or the tracking number of its parcel');

/**
 * A tool that reads one of the signed-in customer's own records by its number (`{ [field]: number }`
 * in, `{ found: true, [key]: view }` out); not found when no record of theirs has that number.
 */
function recordByNumber<F extends string, K extends string, R, V>(t: {
  name: string;
  description: string;
  field: F;
  number: z.ZodString;
  key: K;
  find: (db: Db, customerId: string, number: string) => Promise<R | undefined>;
  view: (row: R) => V;
}) {
  const shape = { [t.field]: t.number } as { [P in F]: z.ZodString };
  return defineTool({
    name: t.name,
    description: t.description,
    inputSchema: z.object(shape),
    async run(input, ctx) {
      const row = await t.find(ctx.deps.db, customerOf(ctx), (input as Record<F, string>)[t.field]);
      return row ? ({ found: true, [t.key]: t.view(row) } as { found: true } & { [P in K]: V }) : NOT_FOUND;
    },
  });
}

export const getProfile = defineTool({
  name: 'get_profile',
  description: "The signed-in customer's name, email and company.",
  inputSchema: z.object({}),
  async run(_input, ctx) {
    const c = await getCustomerById(ctx.deps.db, customerOf(ctx));
    if (!c) return NOT_FOUND;
    return { found: true, name: c.name, email: c.email, company: c.company, customer_since: c.createdAt.toISOString().slice(0, 10) };
  },
});

export const listSubscriptionsTool = defineTool({
  name: 'list_subscriptions',
  description: "The signed-in customer's subscriptions: plan, status, price, seats, renewal date.",
  inputSchema: z.object({}),
  async run(_input, ctx) {
    const subs = await listSubscriptions(ctx.deps.db, customerOf(ctx));
    return { subscriptions: subs.map(subscriptionView) };
  },
});

export const listInvoicesTool = defineTool({
  name: 'list_invoices',
  description: "The signed-in customer's invoices, latest first; optionally only one status, or only those issued in one month.",
  inputSchema: z.object({
    status: z.enum(['draft', 'open', 'paid', 'overdue', 'void']).optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional()
      .describe('Only invoices issued in this month, as YYYY-MM ("the bill from March")'),
    limit: z.number().int().min(1).max(50).default(5),
  }),
  async run(input, ctx) {
    const range = input.month ? monthRange(input.month) : {};
    const rows = await listInvoices(ctx.deps.db, customerOf(ctx), { limit: input.limit, status: input.status, ...range });
    return { invoices: rows.map(invoiceView) };
  },
});

export const getInvoiceTool = recordByNumber({
  name: 'get_invoice',
  description: 'One invoice of the signed-in customer by its number; not found if it is not theirs.',
  field: 'invoice_number',
  number: invoiceNumber,
  key: 'invoice',
  find: getInvoiceByNumber,
  view: invoiceView,
});

export const listOrdersTool = defineTool({
  name: 'list_orders',
  description: "The signed-in customer's hardware orders, newest first, with status and tracking.",
  inputSchema: z.object({ limit: z.number().int().min(1).max(50).default(5) }),
  async run(input, ctx) {
    const rows = await listOrders(ctx.deps.db, customerOf(ctx), { limit: input.limit });
    return { orders: rows.map(orderView) };
  },
});

export const getOrderTool = recordByNumber({
  name: 'get_order',
  description: 'One order of the signed-in customer by its order or tracking number; not found if it is not theirs.',
  field: 'order_number',
  number: orderNumber,
  key: 'order',
  find: getOrderByNumber,
  view: orderView,
});

/** Every account tool, by name (what the LLM sees). */
export const ACCOUNT_TOOLS = [getProfile, listSubscriptionsTool, listInvoicesTool, getInvoiceTool, listOrdersTool, getOrderTool] as const;
