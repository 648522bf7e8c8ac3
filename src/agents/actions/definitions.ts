import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import {
  insertNextInvoice,
  insertRefund,
  lockCurrentSubscription,
  lockInvoice,
  lockOrder,
  recentCompletedActions,
  refundsForOrder,
  updateOrder,
  updateSubscription,
  type OrderRow,
  type SubscriptionRow,
} from '../../db/queries/actions.js';
import { getCustomerById } from '../../db/queries/customers.js';
import { getInvoiceByNumber } from '../../db/queries/invoices.js';
import { getOrderByNumber } from '../../db/queries/orders.js';
import { listSubscriptions } from '../../db/queries/subscriptions.js';
import type { ShippingAddress } from '../../db/schema.js';
import type { InvoiceResendEvent } from '../../jobs/ticket-notifications.js';
import { checkAddressChange, checkCancel, checkResend, money, quotePlanChange, quoteRefund, RETURN_REASONS, refundRisk, SELF_SERVE_PLANS, type Refusal } from './policy.js';

// Every account action in one place: its arguments, its risk tier, its policy (policy.ts) and the
// record change it makes. An action reads the signed-in customer's own records only (identity comes
// from the caller, never from the arguments), so another customer's order is simply not found.

/** Who must decide before an action runs. */
export type Risk = 'auto' | 'confirm' | 'approve';

/** What an action runs against: the customer from the auth context, a database (a transaction when executing), the time. */
export interface ActionEnv {
  db: Db;
  customerId: string;
  now: Date;
  config: Pick<Config, 'REFUND_AUTO_APPROVE_USD'>;
}

/** The record change an executed action made, and what the customer is told. */
export interface Outcome {
  before: unknown;
  after: unknown;
  result: Record<string, unknown>;
  message: string;
  /** A notification to queue once the change has committed (the auto tier's resend). */
  notify?: Omit<InvoiceResendEvent, 'conversation_id'>;
}

/** An action the policy allows: its tier, what it will do in words, and (when executing) how to do it. */
export interface Assessment {
  ok: true;
  risk: Risk;
  summary: string;
  /** What the customer is told when proposing it (the summary plus its consequences). */
  proposal: string;
  /** The money it moves (refund, credit, charge) as quoted now, for the staff who approve it. */
  amount?: { cents: number; currency: string };
  apply(actionId: string): Promise<Outcome>;
}

/** One action: its type, what it is for, its arguments and its policy. */
export interface ActionDefinition<A = unknown> {
  type: string;
  description: string;
  /** The tiers it can take (docs/agents.md): the assessment picks one. */
  tiers: readonly Risk[];
  schema: z.ZodType<A>;
  /**
   * Reads the customer's record (locked for the rest of the transaction when `lock`) and decides
   * what the action would do, at which tier, or why it may not.
   */
  assess(env: ActionEnv, args: A, lock: boolean): Promise<Assessment | Refusal>;
}

const orderNumber = z
  .string()
  .trim()
  .regex(/^ORD-?\d{6}$/i, 'an order number such as ORD-104233')
  .transform((s) => `ORD-${s.replace(/\D/g, '')}`);

export const addressSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  line1: z.string().trim().min(3).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postal_code: z.string().trim().min(2).max(20),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as US')
    .transform((c) => c.toUpperCase()),
});

const items = (o: OrderRow) => o.items.map((i) => `${i.quantity} × ${i.name}`).join(', ');
const orderNotFound = (n: string): Refusal => ({ ok: false, code: 'order_not_found', reason: `I couldn't find order ${n} on your account.` });
const orderSnapshot = (o: OrderRow) => ({ order_number: o.orderNumber, status: o.status, total_cents: o.totalCents, shipping_address: o.shippingAddress ?? null });
const addressLine = (a: ShippingAddress) => [a.name, a.line1, a.line2, a.city, [a.region, a.postal_code].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');

/** A return authorisation number, the same for the same action (RMA- and 8 digits). */
function rmaNumber(actionId: string): string {
  const n = Number.parseInt(createHash('sha256').update(actionId).digest('hex').slice(0, 12), 16) % 100_000_000;
  return `RMA-${String(n).padStart(8, '0')}`;
}

async function findOrder(env: ActionEnv, n: string, lock: boolean): Promise<OrderRow | undefined> {
  return lock ? lockOrder(env.db, env.customerId, n) : getOrderByNumber(env.db, env.customerId, n);
}

const cancelArgs = z.object({ order_number: orderNumber });

export const cancelOrder: ActionDefinition<z.output<typeof cancelArgs>> = {
  type: 'cancel_order',
  description: 'Cancel a hardware order that has not shipped (pending or processing); the charge is refunded in full.',
  tiers: ['confirm'],
  schema: cancelArgs,
  async assess(env, args, lock) {
    const order = await findOrder(env, args.order_number, lock);
    if (!order) return orderNotFound(args.order_number);
    const allowed = checkCancel(order);
    if (!allowed.ok) return allowed;
    const amount = money(order.totalCents, order.currency);
    return {
      ok: true,
      risk: 'confirm',
      summary: `Cancel order ${order.orderNumber} (${items(order)}, ${amount})`,
      amount: { cents: order.totalCents, currency: order.currency },
      proposal: `I can cancel order ${order.orderNumber} (${items(order)}, ${amount}); the ${amount} goes back to your original payment method.`,
      async apply(actionId) {
        const after = await updateOrder(env.db, order.id, { status: 'canceled' }, env.now);
        const refund = await insertRefund(env.db, {
          customerId: env.customerId,
          orderId: order.id,
          actionId,
          kind: 'refund',
          amountCents: order.totalCents,
          currency: order.currency,
          reason: 'order_canceled',
        });
        return {
          before: orderSnapshot(order),
          after: orderSnapshot(after),
          result: { order_number: order.orderNumber, status: after.status, refund_id: refund.id, refunded_cents: refund.amountCents },
          message: `Order ${order.orderNumber} is canceled. ${amount} is on its way back to your original payment method and usually shows within 5–10 business days.`,
        };
      },
    };
  },
};

const addressArgs = z.object({ order_number: orderNumber, address: addressSchema });

export const changeShippingAddress: ActionDefinition<z.output<typeof addressArgs>> = {
  type: 'change_shipping_address',
  description: "Change a pending order's shipping address (a processing order is being packed and can only be canceled).",
  tiers: ['confirm'],
  schema: addressArgs,
  async assess(env, args, lock) {
    const order = await findOrder(env, args.order_number, lock);
    if (!order) return orderNotFound(args.order_number);
    const allowed = checkAddressChange(order, args.address);
    if (!allowed.ok) return allowed;
    const to = addressLine(args.address);
    return {
      ok: true,
      risk: 'confirm',
      summary: `Ship order ${order.orderNumber} to ${to}`,
      proposal: `I can change the shipping address of order ${order.orderNumber} (${items(order)}) to ${to}.`,
      async apply() {
        const after = await updateOrder(env.db, order.id, { shippingAddress: args.address }, env.now);
        return {
          before: orderSnapshot(order),
          after: orderSnapshot(after),
          result: { order_number: order.orderNumber, shipping_address: args.address },
          message: `Order ${order.orderNumber} will now ship to ${to}.`,
        };
      },
    };
  },
};

const refundArgs = z.object({ order_number: orderNumber, reason: z.enum(RETURN_REASONS).default('changed_mind') });

export const requestRefund: ActionDefinition<z.output<typeof refundArgs>> = {
  type: 'request_refund',
  description:
    'Return a delivered order within 30 days of delivery for a refund of the item price (less the $9.95 label for a change-of-mind return from a US address); above REFUND_AUTO_APPROVE_USD a staff member approves it after the customer confirms.',
  tiers: ['confirm', 'approve'],
  schema: refundArgs,
  async assess(env, args, lock) {
    const order = await findOrder(env, args.order_number, lock);
    if (!order) return orderNotFound(args.order_number);
    const refunded = (await refundsForOrder(env.db, order.id)).length > 0;
    const quote = quoteRefund(order, args.reason, refunded, env.now);
    if (!quote.ok) return quote;
    const amount = money(quote.amountCents, order.currency);
    const risk = refundRisk(quote.amountCents, env.config.REFUND_AUTO_APPROVE_USD);
    const label = quote.labelCents ? ` (the item price less the ${money(quote.labelCents)} return label)` : '';
    const approval = risk === 'approve' ? ` Refunds over ${money(Math.round(env.config.REFUND_AUTO_APPROVE_USD * 100))} are approved by our team after you confirm.` : '';
    return {
      ok: true,
      risk,
      summary: `Return order ${order.orderNumber} (${items(order)}) for a refund of ${amount}`,
      amount: { cents: quote.amountCents, currency: order.currency },
      proposal: `I can start a return of order ${order.orderNumber} (${items(order)}) with a refund of ${amount}${label} to your original payment method.${approval}`,
      async apply(actionId) {
        const rma = rmaNumber(actionId);
        const refund = await insertRefund(env.db, {
          customerId: env.customerId,
          orderId: order.id,
          actionId,
          kind: 'refund',
          amountCents: quote.amountCents,
          currency: order.currency,
          reason: `return_${args.reason}`,
          rmaNumber: rma,
        });
        const after = await updateOrder(env.db, order.id, { status: 'returned' }, env.now);
        return {
          before: orderSnapshot(order),
          after: { ...orderSnapshot(after), refund_cents: refund.amountCents, rma_number: rma },
          result: { order_number: order.orderNumber, refund_id: refund.id, refunded_cents: refund.amountCents, rma_number: rma },
          message: `Your return of order ${order.orderNumber} is approved: return authorization ${rma}. ${amount} is refunded to your original payment method and usually shows within 5–10 business days. We'll email the prepaid label within 1 business day; drop the parcel off within 14 days.`,
        };
      },
    };
  },
};

const planArgs = z
  .object({
    plan: z.enum(SELF_SERVE_PLANS as [string, ...string[]]).optional(),
    seats: z.number().int().min(1).max(500).optional(),
    effective: z.enum(['renewal', 'now']).optional(),
  })
  .refine((a) => a.plan !== undefined || a.seats !== undefined, 'a plan or a seat count');

async function findSubscription(env: ActionEnv, lock: boolean): Promise<SubscriptionRow | undefined> {
  if (lock) return lockCurrentSubscription(env.db, env.customerId);
  return (await listSubscriptions(env.db, env.customerId)).find((s) => s.status !== 'canceled');
}

const planName = (p: string) => p.charAt(0).toUpperCase() + p.slice(1);
const planLine = (plan: string, seats: number) => `${planName(plan)} with ${seats} seat${seats === 1 ? '' : 's'}`;
const subSnapshot = (s: SubscriptionRow) => ({ plan: s.plan, seats: s.seats, price_cents: s.priceCents, scheduled_change: s.scheduledChange ?? null });

export const changePlan: ActionDefinition<z.output<typeof planArgs>> = {
  type: 'change_plan',
  description:
    'Change the plan and/or seat count: upgrades and added seats apply now with the prorated difference invoiced; downgrades and removed seats apply at the next renewal with nothing credited, or now with the unused difference as account credit, which a staff member approves.',
  tiers: ['confirm', 'approve'],
  schema: planArgs,
  async assess(env, args, lock) {
    const sub = await findSubscription(env, lock);
    if (!sub) return { ok: false, code: 'no_subscription', reason: "You don't have a subscription that can change; choose a plan under Settings → Billing → Plan." };
    const quote = quotePlanChange(sub, { plan: args.plan as never, seats: args.seats, effective: args.effective }, env.now);
    if (!quote.ok) return quote;
    const from = planLine(sub.plan, sub.seats);
    const to = planLine(quote.plan, quote.seats);
    const newTotal = money(quote.priceCents * quote.seats, sub.currency);
    const cycle = sub.billingCycle === 'annual' ? 'year' : 'month';
    if (quote.direction === 'upgrade') {
      const charge = money(quote.chargeCents, sub.currency);
      return {
        ok: true,
        risk: 'confirm',
        summary: `Change ${from} to ${to}`,
        amount: { cents: quote.chargeCents, currency: sub.currency },
        proposal: `I can change your subscription from ${from} to ${to}, starting now. You'd be charged ${charge} today for the ${quote.period.daysLeft} days left of this billing period (prorated), then ${newTotal} a ${cycle} from ${quote.period.end}.`,
        async apply() {
          const after = await updateSubscription(env.db, sub.id, { plan: quote.plan, seats: quote.seats, priceCents: quote.priceCents, scheduledChange: null });
          const today = env.now.toISOString().slice(0, 10);
          const invoice =
            quote.chargeCents > 0
              ? await insertNextInvoice(env.db, {
                  customerId: env.customerId,
                  subscriptionId: sub.id,
                  amountCents: quote.chargeCents,
                  currency: sub.currency,
                  status: 'open',
                  issuedOn: today,
                  dueDate: new Date(env.now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
                  description: `Prorated change from ${from} to ${to}, ${today} to ${quote.period.end} (${quote.period.daysLeft} of ${quote.period.days} days)`,
                })
              : undefined;
          return {
            before: subSnapshot(sub),
            after: subSnapshot(after),
            result: { plan: after.plan, seats: after.seats, invoice_number: invoice?.invoiceNumber ?? null, charged_cents: quote.chargeCents },
            message: `Done: you're now on ${to}.${invoice ? ` Invoice ${invoice.invoiceNumber} for ${charge} covers the rest of this billing period;` : ''} from ${quote.period.end} you pay ${newTotal} a ${cycle}.`,
          };
        },
      };
    }
    const credit = money(quote.creditCents, sub.currency);
    const now = quote.effective === 'now';
    return {
      ok: true,
      risk: now && quote.creditCents > 0 ? 'approve' : 'confirm',
      summary: now ? `Change ${from} to ${to} now, with ${credit} account credit` : `Change ${from} to ${to} from ${quote.effectiveOn}`,
      amount: now && quote.creditCents > 0 ? { cents: quote.creditCents, currency: sub.currency } : undefined,
      proposal: now
        ? `I can change your subscription from ${from} to ${to} today and credit ${credit} for the unused part of this period. Downgrades normally apply at renewal without a credit, so our team approves this after you confirm.`
        : `I can schedule your change from ${from} to ${to} for your next renewal on ${quote.effectiveOn}; you keep ${from} until then, and from then on you pay ${newTotal} a ${cycle}. The current period isn't refunded or credited.`,
      async apply(actionId) {
        if (!now) {
          const after = await updateSubscription(env.db, sub.id, {
            scheduledChange: { plan: quote.plan, seats: quote.seats, price_cents: quote.priceCents, effective_on: quote.effectiveOn },
          });
          return {
            before: subSnapshot(sub),
            after: subSnapshot(after),
            result: { plan: sub.plan, seats: sub.seats, scheduled_change: after.scheduledChange },
            message: `Scheduled: your subscription changes to ${to} on ${quote.effectiveOn}. Until then you keep ${from}; you can cancel the change any time before that date.`,
          };
        }
        const after = await updateSubscription(env.db, sub.id, { plan: quote.plan, seats: quote.seats, priceCents: quote.priceCents, scheduledChange: null });
        const refund =
          quote.creditCents > 0
            ? await insertRefund(env.db, {
                customerId: env.customerId,
                subscriptionId: sub.id,
                actionId,
                kind: 'credit',
                amountCents: quote.creditCents,
                currency: sub.currency,
                reason: 'downgrade_credit',
              })
            : undefined;
        return {
          before: subSnapshot(sub),
          after: subSnapshot(after),
          result: { plan: after.plan, seats: after.seats, credit_id: refund?.id ?? null, credited_cents: quote.creditCents },
          message: `Done: you're now on ${to}.${refund ? ` ${credit} of account credit goes towards your next invoices.` : ''}`,
        };
      },
    };
  },
};

const invoiceNumber = z
  .string()
  .trim()
  .regex(/^INV-?\d{4}-?\d{5}$/i, 'an invoice number such as INV-2026-98765')
  .transform((s) => {
    const d = s.replace(/\D/g, '');
    return `INV-${d.slice(0, 4)}-${d.slice(4)}`;
  });
const resendArgs = z.object({ invoice_number: invoiceNumber });

export const resendInvoice: ActionDefinition<z.output<typeof resendArgs>> = {
  type: 'resend_invoice',
  description: "Send one of the customer's invoices again to the billing email on their account (at once: safe and repeatable, so no confirmation).",
  tiers: ['auto'],
  schema: resendArgs,
  async assess(env, args, lock) {
    const invoice = lock ? await lockInvoice(env.db, env.customerId, args.invoice_number) : await getInvoiceByNumber(env.db, env.customerId, args.invoice_number);
    if (!invoice) return { ok: false, code: 'invoice_not_found', reason: `I couldn't find invoice ${args.invoice_number} on your account.` };
    const today = await recentCompletedActions(env.db, env.customerId, 'resend_invoice', new Date(env.now.getTime() - 86_400_000));
    const sameInvoice = today.filter((a) => a.arguments.invoice_number === invoice.invoiceNumber).map((a) => a.createdAt);
    const allowed = checkResend(invoice, sameInvoice, today.length, env.now);
    if (!allowed.ok) return allowed;
    const customer = await getCustomerById(env.db, env.customerId);
    if (!customer) return { ok: false, code: 'customer_not_found', reason: "I couldn't find your account's billing email." };
    const amount = money(invoice.amountCents, invoice.currency);
    return {
      ok: true,
      risk: 'auto',
      summary: `Resend invoice ${invoice.invoiceNumber} (${amount}) to ${customer.email}`,
      proposal: `I'll send invoice ${invoice.invoiceNumber} (${amount}, ${invoice.status}) to ${customer.email}.`,
      async apply(actionId) {
        const snapshot = { invoice_number: invoice.invoiceNumber, status: invoice.status, amount_cents: invoice.amountCents, billing_email: customer.email };
        return {
          before: snapshot,
          after: snapshot,
          result: { invoice_number: invoice.invoiceNumber, sent_to: customer.email },
          message: `I've sent invoice ${invoice.invoiceNumber} (${amount}) to ${customer.email}; it should arrive within a few minutes (check your spam folder too). You can also download it any time under Settings → Billing → Invoices.`,
          notify: {
            event: 'invoice.resend_requested',
            action_id: actionId,
            invoice_number: invoice.invoiceNumber,
            amount_cents: invoice.amountCents,
            currency: invoice.currency,
            status: invoice.status,
            customer_id: customer.id,
            customer_name: customer.name,
            billing_email: customer.email,
          },
        };
      },
    };
  },
};

/** Every action, by type. */
export const ACTIONS = {
  [cancelOrder.type]: cancelOrder,
  [changeShippingAddress.type]: changeShippingAddress,
  [requestRefund.type]: requestRefund,
  [changePlan.type]: changePlan,
  [resendInvoice.type]: resendInvoice,
} as Record<string, ActionDefinition<unknown>>;

export const ACTION_TYPES = ['cancel_order', 'change_shipping_address', 'request_refund', 'change_plan'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
