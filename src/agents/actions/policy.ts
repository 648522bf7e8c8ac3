import type { OrderRow, SubscriptionRow } from '../../db/queries/actions.js';
import type { ShippingAddress } from '../../db/schema.js';
import { formatMoney } from '../context.js';

// The written policies of the demo company (src/demo/knowledge-articles.ts) as code: what an
// account action may do to a record, and why not when it may not. Pure functions of the record,
// the request and the time, so the proposal and the execution (with the record locked) decide alike.

/** A refusal the customer reads: a stable code and a sentence. */
export interface Refusal {
  ok: false;
  code: string;
  reason: string;
}

const refuse = (code: string, reason: string): Refusal => ({ ok: false, code, reason });

const DAY_MS = 86_400_000;

/** Resending an invoice: the same invoice at most once in this many minutes (the email may take a few). */
export const RESEND_COOLDOWN_MINUTES = 10;
/** Resending an invoice: at most this many resends per customer in 24 hours. */
export const RESENDS_PER_DAY = 5;

/**
 * "Invoices, receipts and your billing email": an issued invoice (not a draft) can be sent again to
 * the billing email; a void one was replaced and needs no payment. Repeats are limited so a loop (or
 * a hostile model) cannot flood the inbox.
 */
export function checkResend(invoice: { invoiceNumber: string; status: string }, sentAt: Date[], sentToday: number, now: Date): { ok: true } | Refusal {
  if (invoice.status === 'draft') return refuse('invoice_draft', `Invoice ${invoice.invoiceNumber} hasn't been issued yet, so there is nothing to send.`);
  if (invoice.status === 'void') {
    return refuse('invoice_void', `Invoice ${invoice.invoiceNumber} is void (it was canceled and replaced), so you don't need to pay it; I can resend the invoice that replaced it.`);
  }
  const last = sentAt[0];
  if (last && now.getTime() - last.getTime() < RESEND_COOLDOWN_MINUTES * 60_000) {
    return refuse(
      'invoice_recently_sent',
      `I already sent invoice ${invoice.invoiceNumber} to your billing email at ${last.toISOString().slice(11, 16)} UTC; it can take a few minutes to arrive, so please check your spam folder too.`,
    );
  }
  if (sentToday >= RESENDS_PER_DAY) {
    return refuse('resend_limit', `I've resent ${RESENDS_PER_DAY} invoices in the last 24 hours, which is the limit; you can download any invoice under Settings → Billing → Invoices.`);
  }
  return { ok: true };
}

/** "Return policy": hardware can be returned within 30 days of the delivery date. */
export const RETURN_WINDOW_DAYS = 30;
/** "Return policy": a change-of-mind return from a US address pays the $9.95 label. */
export const RETURN_LABEL_CENTS = 995;

/** "Tracking your hardware order": a pending or processing order can be canceled, a shipped one cannot. */
export function checkCancel(order: Pick<OrderRow, 'orderNumber' | 'status'>): { ok: true } | Refusal {
  switch (order.status) {
    case 'pending':
    case 'processing':
      return { ok: true };
    case 'shipped':
      return refuse('order_shipped', `Order ${order.orderNumber} has already shipped, so it can't be canceled. Once it's delivered you can return it within ${RETURN_WINDOW_DAYS} days for a refund.`);
    case 'delivered':
      return refuse('order_delivered', `Order ${order.orderNumber} has been delivered, so it can't be canceled; you can return it within ${RETURN_WINDOW_DAYS} days of delivery instead.`);
    case 'canceled':
      return refuse('order_canceled', `Order ${order.orderNumber} is already canceled.`);
    case 'returned':
      return refuse('order_returned', `Order ${order.orderNumber} was returned and refunded already.`);
  }
}

// "International shipping": desk phones are certified for North America, the EU, the UK, Australia and New Zealand.
const DESK_PHONE_COUNTRIES = new Set('US CA MX GB AU NZ AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE'.split(' '));
const PO_BOX = /\b(p\.?\s*o\.?\s*box|post\s+office\s+box)\b/i;

/** "Tracking your hardware order": only a pending order's address can change (a processing one is being packed). */
export function checkAddressChange(order: Pick<OrderRow, 'orderNumber' | 'status' | 'items'>, address: ShippingAddress): { ok: true } | Refusal {
  if (order.status === 'processing') {
    return refuse('order_processing', `Order ${order.orderNumber} is already being picked and packed, so its address can't change any more. You can still cancel it and order again.`);
  }
  if (order.status !== 'pending') {
    const already = order.status === 'canceled' ? 'is canceled' : order.status === 'returned' ? 'was returned' : `has ${order.status === 'shipped' ? 'shipped' : 'been delivered'}`;
    return refuse(`order_${order.status}`, `Order ${order.orderNumber} ${already}, so its shipping address can't be changed.`);
  }
  if (address.country !== 'US' && PO_BOX.test(`${address.line1} ${address.line2 ?? ''}`)) {
    return refuse('po_box_abroad', "We don't ship to PO boxes outside the United States; please give a street address.");
  }
  if (order.items.some((i) => i.sku.startsWith('DP-')) && !DESK_PHONE_COUNTRIES.has(address.country)) {
    return refuse('desk_phone_country', `Desk phones are certified for North America, the EU, the UK, Australia and New Zealand, so we can't ship order ${order.orderNumber} to ${address.country}.`);
  }
  return { ok: true };
}

/** Why a hardware item comes back; the customer's choice decides who pays the label. */
export const RETURN_REASONS = ['changed_mind', 'defective', 'damaged', 'wrong_item'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** What a return refunds. */
export interface RefundQuote {
  ok: true;
  amountCents: number;
  labelCents: number;
  /** The last day the return may be started (yyyy-mm-dd). */
  windowEnds: string;
}

/**
 * "Return policy": a delivered order, within 30 days of delivery, refunded once; the item price
 * back, less the $9.95 label for a change-of-mind return from a US address.
 */
export function quoteRefund(
  order: Pick<OrderRow, 'orderNumber' | 'status' | 'deliveredAt' | 'totalCents' | 'currency' | 'shippingAddress'>,
  reason: ReturnReason,
  alreadyRefunded: boolean,
  now: Date,
): RefundQuote | Refusal {
  if (order.status === 'returned' || alreadyRefunded) return refuse('already_refunded', `Order ${order.orderNumber} has already been returned and refunded.`);
  if (order.status !== 'delivered' || !order.deliveredAt) {
    if (order.status === 'pending' || order.status === 'processing') {
      return refuse('order_not_delivered', `Order ${order.orderNumber} hasn't shipped yet: you can cancel it instead, and the charge is refunded in full.`);
    }
    if (order.status === 'shipped') return refuse('order_not_delivered', `Order ${order.orderNumber} is on its way; once it's delivered you can return it within ${RETURN_WINDOW_DAYS} days.`);
    return refuse('order_canceled', `Order ${order.orderNumber} was canceled, so there is nothing to return.`);
  }
  const windowEnds = new Date(order.deliveredAt.getTime() + RETURN_WINDOW_DAYS * DAY_MS);
  if (now.getTime() > windowEnds.getTime()) {
    return refuse(
      'return_window_closed',
      `Order ${order.orderNumber} was delivered on ${order.deliveredAt.toISOString().slice(0, 10)}, more than ${RETURN_WINDOW_DAYS} days ago, so it's outside the return window. If an item is faulty, the hardware warranty still covers it.`,
    );
  }
  const us = (order.shippingAddress?.country ?? 'US') === 'US';
  const labelCents = reason === 'changed_mind' && us ? RETURN_LABEL_CENTS : 0;
  const amountCents = order.totalCents - labelCents;
  if (amountCents <= 0) return refuse('nothing_to_refund', `After the return label, nothing of order ${order.orderNumber} would be refunded.`);
  return { ok: true, amountCents, labelCents, windowEnds: windowEnds.toISOString().slice(0, 10) };
}

/** Refunds above the threshold wait for a staff member (REFUND_AUTO_APPROVE_USD). */
export function refundRisk(amountCents: number, thresholdUsd: number): 'confirm' | 'approve' {
  return amountCents > Math.round(thresholdUsd * 100) ? 'approve' : 'confirm';
}

// ---------------------------------------------------------------- plans and seats

/** "Plans and pricing": list price per seat per month and the seats each plan allows. */
export const PLAN_CATALOG = {
  starter: { rank: 0, monthlyCents: 1900, minSeats: 1, maxSeats: 5 },
  pro: { rank: 1, monthlyCents: 4900, minSeats: 1, maxSeats: 50 },
  business: { rank: 2, monthlyCents: 9900, minSeats: 1, maxSeats: 500 },
} as const;
export type SelfServePlan = keyof typeof PLAN_CATALOG;
export const SELF_SERVE_PLANS = Object.keys(PLAN_CATALOG) as SelfServePlan[];

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return isoDate(new Date(Date.UTC(y, m - 1 + months, d)));
}

/** The billing period that contains `now`: [start, end), end being the next renewal date. */
export function currentPeriod(sub: Pick<SubscriptionRow, 'renewsOn' | 'startDate' | 'billingCycle'>, now: Date): { start: string; end: string; days: number; daysLeft: number } {
  const months = sub.billingCycle === 'annual' ? 12 : 1;
  const today = isoDate(now);
  let end = sub.renewsOn ?? addMonths(sub.startDate, months);
  // A renewal date in the past (the renewal ran since the row was written) rolls forward.
  while (end <= today) end = addMonths(end, months);
  let start = addMonths(end, -months);
  while (start > today) {
    end = start;
    start = addMonths(end, -months);
  }
  const days = Math.round((Date.parse(end) - Date.parse(start)) / DAY_MS);
  const daysLeft = Math.round((Date.parse(end) - Date.parse(today)) / DAY_MS);
  return { start, end, days, daysLeft };
}

/** What a plan or seat change does, as "Upgrading, downgrading and changing seats" and "Subscription refunds and proration" say. */
export type PlanQuote =
  | {
      ok: true;
      direction: 'upgrade';
      plan: SelfServePlan;
      seats: number;
      priceCents: number;
      /** The prorated difference, invoiced today. */
      chargeCents: number;
      period: { start: string; end: string; days: number; daysLeft: number };
    }
  | {
      ok: true;
      direction: 'downgrade';
      plan: SelfServePlan;
      seats: number;
      priceCents: number;
      /** `renewal`: from the next renewal, nothing credited (the policy); `now`: at once, the unused difference as credit (needs staff approval). */
      effective: 'renewal' | 'now';
      effectiveOn: string;
      creditCents: number;
      period: { start: string; end: string; days: number; daysLeft: number };
    };

/**
 * Prices a change of plan and/or seats. Upgrades and added seats apply now with the prorated
 * difference invoiced; downgrades and removed seats apply at the next renewal with nothing
 * credited, unless the customer asks for it now (the unused difference as account credit, which
 * is outside the written policy and so needs a staff member).
 */
export function quotePlanChange(
  sub: Pick<SubscriptionRow, 'plan' | 'seats' | 'status' | 'priceCents' | 'currency' | 'billingCycle' | 'renewsOn' | 'startDate'>,
  target: { plan?: SelfServePlan; seats?: number; effective?: 'renewal' | 'now' },
  now: Date,
): PlanQuote | Refusal {
  if (sub.status === 'canceled') return refuse('subscription_canceled', 'Your subscription has ended; choose a plan under Settings → Billing → Plan to subscribe again.');
  if (sub.status === 'trialing') return refuse('subscription_trialing', 'During the free trial, pick your plan under Settings → Billing → Plan when you subscribe.');
  if (sub.status === 'past_due') return refuse('subscription_past_due', 'Your subscription has an unpaid invoice; once it is paid the plan and seats can change.');
  if (!(sub.plan in PLAN_CATALOG)) return refuse('enterprise_contract', 'Enterprise plans change through your contract; our sales team will help.');
  const from = PLAN_CATALOG[sub.plan as SelfServePlan];
  const plan = target.plan ?? (sub.plan as SelfServePlan);
  const to = PLAN_CATALOG[plan];
  const seats = target.seats ?? sub.seats;
  if (seats < to.minSeats || seats > to.maxSeats) {
    const name = plan.charAt(0).toUpperCase() + plan.slice(1);
    return refuse('seat_limit', `${name} allows ${to.minSeats} to ${to.maxSeats} seats${seats > to.maxSeats ? '; to go beyond that, upgrade the plan first' : ''}.`);
  }
  if (plan === sub.plan && seats === sub.seats) return refuse('no_change', `You're already on ${plan} with ${seats} seat${seats === 1 ? '' : 's'}.`);
  const planUp = to.rank > from.rank;
  const planDown = to.rank < from.rank;
  if ((planUp && seats < sub.seats) || (planDown && seats > sub.seats)) {
    return refuse('mixed_change', 'Upgrades apply now and downgrades at renewal, so please change the plan and the seat count one at a time.');
  }
  const cycleMonths = sub.billingCycle === 'annual' ? 10 : 1; // annual: 10 × the monthly price for 12 months
  const priceCents = to.monthlyCents * cycleMonths;
  // The customer's current per-seat price (a discount stays with the plan it was given on).
  const oldTotal = sub.priceCents * sub.seats;
  const newTotal = (plan === sub.plan ? sub.priceCents : priceCents) * seats;
  const period = currentPeriod(sub, now);
  const unitCents = plan === sub.plan ? sub.priceCents : priceCents;
  if (planUp || seats > sub.seats) {
    const chargeCents = Math.max(0, Math.round(((newTotal - oldTotal) * period.daysLeft) / period.days));
    return { ok: true, direction: 'upgrade', plan, seats, priceCents: unitCents, chargeCents, period };
  }
  const effective = target.effective ?? 'renewal';
  const creditCents = effective === 'now' ? Math.max(0, Math.round(((oldTotal - newTotal) * period.daysLeft) / period.days)) : 0;
  return { ok: true, direction: 'downgrade', plan, seats, priceCents: unitCents, effective, effectiveOn: effective === 'now' ? isoDate(now) : period.end, creditCents, period };
}

/** Money in words. */
export const money = (cents: number, currency = 'USD') => formatMoney(cents, currency);
