import { describe, expect, it } from 'vitest';
import { actionIntent, parseAddress } from './offline.js';
import { checkAddressChange, checkCancel, checkResend, currentPeriod, quotePlanChange, quoteRefund, RESENDS_PER_DAY, refundRisk } from './policy.js';

const NOW = new Date('2026-12-07T10:00:00Z');
const US = { line1: '42 Elm Street', city: 'Portland', region: 'OR', postal_code: '97201', country: 'US' };
const order = (status: string, extra: Record<string, unknown> = {}) =>
  ({
    orderNumber: 'ORD-190001',
    status,
    items: [{ sku: 'HS-100', name: 'HS-100 Wired Headset', quantity: 1, unit_price_cents: 7900 }],
    totalCents: 7900,
    currency: 'USD',
    deliveredAt: null,
    shippingAddress: null,
    ...extra,
  }) as never;
const sub = (extra: Record<string, unknown> = {}) =>
  ({ plan: 'pro', seats: 2, status: 'active', priceCents: 4900, currency: 'USD', billingCycle: 'monthly', renewsOn: '2026-12-17', startDate: '2026-03-17', ...extra }) as never;

describe('order policy (tracking-your-order, return-policy)', () => {
  it('cancels pending and processing orders only', () => {
    expect(checkCancel(order('pending')).ok).toBe(true);
    expect(checkCancel(order('processing')).ok).toBe(true);
    for (const s of ['shipped', 'delivered', 'canceled', 'returned']) expect(checkCancel(order(s))).toMatchObject({ ok: false, code: `order_${s}` });
  });

  it('changes the address of a pending order only, not to a PO box abroad, and ships desk phones only where certified', () => {
    expect(checkAddressChange(order('pending'), US).ok).toBe(true);
    expect(checkAddressChange(order('processing'), US)).toMatchObject({ ok: false, code: 'order_processing' });
    expect(checkAddressChange(order('shipped'), US)).toMatchObject({ ok: false, code: 'order_shipped' });
    expect(checkAddressChange(order('pending'), { ...US, line1: 'PO Box 12', country: 'CA' })).toMatchObject({ ok: false, code: 'po_box_abroad' });
    expect(checkAddressChange(order('pending'), { ...US, line1: 'PO Box 12' }).ok).toBe(true);
    const phone = order('pending', { items: [{ sku: 'DP-400', name: 'DP-400 Desk Phone', quantity: 1, unit_price_cents: 18900 }] });
    expect(checkAddressChange(phone, { ...US, country: 'BR' })).toMatchObject({ ok: false, code: 'desk_phone_country' });
    expect(checkAddressChange(phone, { ...US, country: 'DE' }).ok).toBe(true);
  });

  it('refunds a delivered order within 30 days, once, less the label for a change of mind from the US', () => {
    const delivered = (daysAgo: number, extra = {}) => order('delivered', { deliveredAt: new Date(NOW.getTime() - daysAgo * 86_400_000), totalCents: 37500, ...extra });
    expect(quoteRefund(delivered(6), 'changed_mind', false, NOW)).toMatchObject({ ok: true, amountCents: 37500 - 995, labelCents: 995 });
    expect(quoteRefund(delivered(6), 'defective', false, NOW)).toMatchObject({ ok: true, amountCents: 37500, labelCents: 0 });
    expect(quoteRefund(delivered(6, { shippingAddress: { ...US, country: 'GB' } }), 'changed_mind', false, NOW)).toMatchObject({ amountCents: 37500 });
    expect(quoteRefund(delivered(30), 'changed_mind', false, NOW).ok).toBe(true);
    expect(quoteRefund(delivered(31), 'changed_mind', false, NOW)).toMatchObject({ ok: false, code: 'return_window_closed' });
    expect(quoteRefund(delivered(6), 'changed_mind', true, NOW)).toMatchObject({ ok: false, code: 'already_refunded' });
    expect(quoteRefund(order('shipped'), 'defective', false, NOW)).toMatchObject({ ok: false, code: 'order_not_delivered' });
  });

  it('sends refunds above REFUND_AUTO_APPROVE_USD to staff, at or below it to the customer alone', () => {
    expect(refundRisk(10_000, 100)).toBe('confirm');
    expect(refundRisk(10_001, 100)).toBe('approve');
    expect(refundRisk(2805, 0)).toBe('approve');
  });
});

describe('plan policy (changing-plans-and-seats, subscription-refunds-and-proration)', () => {
  it("prorates an upgrade as the KB's example: Pro → Business halfway through a 30-day period is $50.00", () => {
    const s = sub({ renewsOn: '2026-12-22', startDate: '2026-11-22' });
    const q = quotePlanChange(s, { plan: 'business' }, new Date('2026-12-07T12:00:00Z'));
    expect(q).toMatchObject({ ok: true, direction: 'upgrade', plan: 'business', seats: 2, priceCents: 9900, chargeCents: 5000, period: { days: 30, daysLeft: 15 } });
  });

  it('adds seats at the current price per seat, prorated', () => {
    const q = quotePlanChange(sub({ renewsOn: '2026-12-22' }), { seats: 4 }, new Date('2026-12-07T12:00:00Z'));
    expect(q).toMatchObject({ ok: true, direction: 'upgrade', seats: 4, priceCents: 4900, chargeCents: Math.round((2 * 4900 * 15) / 30) });
  });

  it('schedules downgrades and seat removals for the renewal with nothing credited; now with credit is the exception', () => {
    expect(quotePlanChange(sub(), { plan: 'starter' }, NOW)).toMatchObject({ ok: true, direction: 'downgrade', effective: 'renewal', effectiveOn: '2026-12-17', creditCents: 0 });
    const now = quotePlanChange(sub(), { seats: 1, effective: 'now' }, NOW);
    expect(now).toMatchObject({ ok: true, direction: 'downgrade', effective: 'now', seats: 1 });
    expect((now as { creditCents: number }).creditCents).toBeGreaterThan(0);
  });

  it('keeps seat limits, refuses mixed and empty changes, and canceled, trial, past-due and enterprise subscriptions', () => {
    expect(quotePlanChange(sub({ seats: 8 }), { plan: 'starter' }, NOW)).toMatchObject({ ok: false, code: 'seat_limit' });
    expect(quotePlanChange(sub(), { seats: 51 }, NOW)).toMatchObject({ ok: false, code: 'seat_limit' });
    expect(quotePlanChange(sub(), { plan: 'business', seats: 1 }, NOW)).toMatchObject({ ok: false, code: 'mixed_change' });
    expect(quotePlanChange(sub(), { plan: 'pro', seats: 2 }, NOW)).toMatchObject({ ok: false, code: 'no_change' });
    for (const status of ['canceled', 'trialing', 'past_due']) expect(quotePlanChange(sub({ status }), { plan: 'business' }, NOW)).toMatchObject({ ok: false, code: `subscription_${status}` });
    expect(quotePlanChange(sub({ plan: 'enterprise' }), { seats: 80 }, NOW)).toMatchObject({ ok: false, code: 'enterprise_contract' });
  });

  it('rolls a renewal date in the past forward to the period that contains today', () => {
    expect(currentPeriod(sub({ renewsOn: '2026-10-01' }), NOW)).toEqual({ start: '2026-12-01', end: '2027-01-01', days: 31, daysLeft: 25 });
    expect(currentPeriod(sub({ renewsOn: '2027-06-01', billingCycle: 'annual' }), NOW)).toMatchObject({ start: '2026-06-01', end: '2027-06-01', days: 365 });
  });
});

describe('offline action intents', () => {
  it('reads what the customer asks to change, and leaves questions and status checks alone', () => {
    expect(actionIntent('Please cancel my order ORD-190001')).toEqual({ type: 'cancel_order', orderNumber: 'ORD-190001' });
    expect(actionIntent('I want to return the headset, it stopped working')).toMatchObject({ type: 'request_refund', reason: 'defective' });
    expect(actionIntent('upgrade me to business')).toEqual({ type: 'change_plan', plan: 'business' });
    expect(actionIntent('add 3 seats please')).toMatchObject({ type: 'change_plan', seatDelta: 3 });
    expect(actionIntent('remove a seat')).toMatchObject({ type: 'change_plan', seatDelta: -1 });
    expect(actionIntent('change us to 5 seats')).toMatchObject({ type: 'change_plan', seats: 5 });
    expect(actionIntent('What is your return policy?')).toBeUndefined();
    expect(actionIntent('How do I cancel my order?')).toBeUndefined();
    expect(actionIntent('Where is my order ORD-190001?')).toBeUndefined();
    expect(actionIntent('was the return of ORD-103377 received?')).toBeUndefined();
    expect(actionIntent('I want to cancel my subscription')).toBeUndefined();
  });

  it('parses a one-line address, with or without a country', () => {
    expect(parseAddress('change the address of ORD-190001 to 42 Elm Street, Apt 3, Portland, OR 97201, US')).toEqual({ ...US, line2: 'Apt 3' });
    expect(parseAddress('ship it to 42 Elm Street, Portland, OR 97201')).toEqual(US);
    expect(parseAddress('new address: 10 Downing Street, London, SW1A 2AA, United Kingdom')).toEqual({ line1: '10 Downing Street', city: 'London', postal_code: 'SW1A 2AA', country: 'GB' });
    expect(parseAddress('change my address please')).toBeUndefined();
  });
});

describe('invoice resend policy (invoices-and-billing-email)', () => {
  const inv = (status: string) => ({ invoiceNumber: 'INV-2026-00042', status });
  it('resends an issued invoice, not a draft or a void one', () => {
    for (const s of ['open', 'paid', 'overdue']) expect(checkResend(inv(s), [], 0, NOW).ok).toBe(true);
    expect(checkResend(inv('draft'), [], 0, NOW)).toMatchObject({ ok: false, code: 'invoice_draft' });
    expect(checkResend(inv('void'), [], 0, NOW)).toMatchObject({ ok: false, code: 'invoice_void' });
  });

  it('sends the same invoice at most once in ten minutes and at most five a day', () => {
    const nineMinutesAgo = new Date(NOW.getTime() - 9 * 60_000);
    const refused = checkResend(inv('open'), [nineMinutesAgo], 1, NOW);
    expect(refused).toMatchObject({ ok: false, code: 'invoice_recently_sent' });
    expect(refused.ok === false && refused.reason).toContain('09:51 UTC');
    expect(checkResend(inv('open'), [new Date(NOW.getTime() - 11 * 60_000)], 1, NOW).ok).toBe(true);
    expect(checkResend(inv('open'), [], RESENDS_PER_DAY, NOW)).toMatchObject({ ok: false, code: 'resend_limit' });
  });

  it('reads a resend request from the words, with the invoice number or month', () => {
    expect(actionIntent('Can you resend invoice INV-2026-00042?')).toEqual({ type: 'resend_invoice', invoiceNumber: 'INV-2026-00042' });
    expect(actionIntent("I didn't get my last invoice, please send it again")).toEqual({ type: 'resend_invoice', invoiceNumber: undefined });
    expect(actionIntent('please email me the invoice from March 2026')).toMatchObject({ type: 'resend_invoice', month: '2026-03' });
    expect(actionIntent('How do I resend an invoice to my accountant?')).toBeUndefined();
    expect(actionIntent('What is my latest invoice?')).toBeUndefined();
  });
});
