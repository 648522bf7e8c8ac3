/**
 * The account agent's offline behaviour (no LLM): choose the reads a message asks for from its
 * words and slots (several in one step), drive the action protocol, and answer from what the tools
 * returned with one templated part per result. The agent's definition is in ../account.ts.
 */
import type { OfflineBehaviour, OfflineReply, OfflineRequest, OfflineToolResult } from '../../llm/offline/offline-model.js';
import { extractSlots } from '../../llm/offline/slots.js';
import { actionIntent, actionStep, TYPED_YES_REPLY, typedConfirmation } from '../actions/offline.js';
import { getInvoiceTool, getOrderTool, getProfile, type invoiceView, listInvoicesTool, listOrdersTool, listSubscriptionsTool, type orderView, type subscriptionView } from '../tools/account-tools.js';

type InvoiceView = ReturnType<typeof invoiceView>;
type OrderView = ReturnType<typeof orderView>;
type SubscriptionView = ReturnType<typeof subscriptionView>;

const describeInvoice = (i: InvoiceView) =>
  `Invoice ${i.invoice_number} for ${i.amount}, issued ${i.issued_on}, due ${i.due_date}: ${i.status}${i.paid_at ? ` (paid ${i.paid_at.slice(0, 10)})` : ''}.`;

function describeOrder(o: OrderView): string {
  const items = o.items.map((it) => `${it.quantity} × ${it.name}`).join(', ');
  const tracking = o.tracking_number ? ` Tracking: ${o.carrier ?? 'carrier'} ${o.tracking_number}.` : '';
  const when = o.delivered_at ? ` Delivered ${o.delivered_at.slice(0, 10)}.` : o.shipped_at ? ` Shipped ${o.shipped_at.slice(0, 10)}.` : '';
  return `Order ${o.order_number} (${items}, ${o.total}) is ${o.status}.${when}${tracking}`;
}

const describeSubscription = (s: SubscriptionView) =>
  `${capitalise(s.plan)} plan, ${s.status}, ${s.seats} seat${s.seats === 1 ? '' : 's'} × ${s.price_per_seat} = ${s.total} (${s.billing_cycle})` +
  (s.renews_on && s.status !== 'canceled' ? `, renews on ${s.renews_on}` : s.end_date ? `, ended ${s.end_date}` : '') +
  '.';

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const INVOICE_WORDS = /\b(invoices?|bills?|billing|billed|charged?|charges|paid|pay|payments?|receipts?|owe|due|amount|statement)\b/i;
const ORDER_WORDS = /\b(orders?|ordered|package|parcel|delivery|delivered|deliver|shipping|shipped|ship|tracking|track|arrive|headset|phone|webcam)\b/i;
const PLAN_WORDS = /\b(plan|subscription|subscribed|renew|renewal|renews|seats?|tier|trial|upgrade|downgrade)\b/i;
const PROFILE_WORDS = /\b(profile|my (email|name|account details|company)|customer since)\b/i;
const LATEST = /\b(last|latest|most recent|recent|newest|current)\b/i;

/** Which records a message asks about, as tool calls (independent ones together, in one step). */
export function chooseTools(text: string, now: Date = new Date()): OfflineReply {
  const slots = extractSlots(text, now);
  const calls: { toolName: string; input: Record<string, unknown> }[] = [];
  const invoiceTalk = INVOICE_WORDS.test(text);
  const orderTalk = ORDER_WORDS.test(text);
  for (const n of slots.invoiceNumbers) calls.push({ toolName: getInvoiceTool.name, input: { invoice_number: n } });
  for (const n of slots.orderNumbers) calls.push({ toolName: getOrderTool.name, input: { order_number: n } });
  // A number in another format ("purchase 3707955617") is looked up as given (an order also by its
  // tracking number); the customer's recent records come along, in case it is not one of ours.
  let foreignInvoice = false;
  let foreignOrder = false;
  for (const r of slots.references) {
    const kind = r.kind !== 'unknown' ? r.kind : invoiceTalk && !orderTalk ? 'invoice' : 'order';
    if (kind === 'invoice') {
      foreignInvoice = true;
      calls.push({ toolName: getInvoiceTool.name, input: { invoice_number: r.number } });
    } else {
      foreignOrder = true;
      calls.push({ toolName: getOrderTool.name, input: { order_number: r.number } });
    }
  }
  const latest = LATEST.test(text);
  const month = slots.months[0] ?? (invoiceTalk ? slots.dates[0]?.slice(0, 7) : undefined);
  if (slots.invoiceNumbers.length === 0 && (invoiceTalk || foreignInvoice || (slots.months.length > 0 && !orderTalk))) {
    const status = /\b(unpaid|outstanding|open)\b/i.test(text) ? 'open' : /\boverdue|late\b/i.test(text) ? 'overdue' : undefined;
    calls.push({
      toolName: listInvoicesTool.name,
      input: { limit: latest && !month ? 1 : 5, ...(status ? { status } : {}), ...(month ? { month } : {}) },
    });
  }
  if (slots.orderNumbers.length === 0 && (orderTalk || foreignOrder)) {
    calls.push({ toolName: listOrdersTool.name, input: { limit: latest ? 1 : 5 } });
  }
  if (PLAN_WORDS.test(text) || slots.plans.length > 0 || calls.length === 0) calls.push({ toolName: listSubscriptionsTool.name, input: {} });
  if (PROFILE_WORDS.test(text)) calls.push({ toolName: getProfile.name, input: {} });
  return { toolCalls: calls };
}

/** "2026-03" → "March 2026". */
function monthName(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const OUR_INVOICE_NUMBER = /^INV-\d{4}-\d{5}$/;
const OUR_ORDER_NUMBER = /^ORD-\d{6}$/;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** One tool result in words. */
export function describeResult(r: OfflineToolResult): string {
  const input = (r.input ?? {}) as Record<string, unknown>;
  const out = (r.output ?? {}) as Record<string, unknown>;
  if (r.isError) return "I couldn't read that part of your account just now. Please try again in a moment.";
  switch (r.toolName) {
    case getInvoiceTool.name: {
      if (out.invoice) return describeInvoice(out.invoice as InvoiceView);
      const n = str(input.invoice_number);
      return OUR_INVOICE_NUMBER.test(n)
        ? `I couldn't find invoice ${n} on your account.`
        : `I couldn't find invoice ${n} on your account. Our invoice numbers look like INV-YYYY-NNNNN and are printed at the top of each invoice.`;
    }
    case getOrderTool.name: {
      if (out.order) return describeOrder(out.order as OrderView);
      const n = str(input.order_number);
      return OUR_ORDER_NUMBER.test(n)
        ? `I couldn't find order ${n} on your account.`
        : `I couldn't find order ${n} on your account. Our order numbers are ORD- followed by 6 digits (in your confirmation email and under Account → Orders); a parcel's tracking number works too.`;
    }
    case listInvoicesTool.name: {
      const invoices = (out.invoices ?? []) as InvoiceView[];
      const status = str(input.status);
      const month = str(input.month);
      if (month) {
        const when = monthName(month);
        if (invoices.length === 0) return `I found no ${status ? `${status} ` : ''}invoice issued in ${when} on your account.`;
        if (invoices.length === 1) return `Your invoice from ${when}: ${describeInvoice(invoices[0]!)}`;
        return `Your invoices from ${when}:\n${invoices.map((i) => `- ${describeInvoice(i)}`).join('\n')}`;
      }
      if (invoices.length === 0) return status ? `You have no ${status} invoices.` : 'You have no invoices yet.';
      if (input.limit === 1) return `Your latest invoice is ${describeInvoice(invoices[0]!).replace(/^Invoice /, '')}`;
      return `Your ${status ? `${status} ` : 'recent '}invoices:\n${invoices.map((i) => `- ${describeInvoice(i)}`).join('\n')}`;
    }
    case listOrdersTool.name: {
      const orders = (out.orders ?? []) as OrderView[];
      if (orders.length === 0) return 'You have no orders with us yet.';
      if (input.limit === 1) return `Your latest order: ${describeOrder(orders[0]!)}`;
      return `Your recent orders:\n${orders.map((o) => `- ${describeOrder(o)}`).join('\n')}`;
    }
    case listSubscriptionsTool.name: {
      const subs = (out.subscriptions ?? []) as SubscriptionView[];
      if (subs.length === 0) return 'You have no subscriptions with us.';
      return `Your subscription${subs.length > 1 ? 's' : ''}:\n${subs.map((s) => `- ${describeSubscription(s)}`).join('\n')}`;
    }
    case getProfile.name:
      return out.name ? `Your account: ${str(out.name)}${out.company ? `, ${str(out.company)}` : ''}, ${str(out.email)}, customer since ${str(out.customer_since)}.` : "I couldn't find your profile.";
    default:
      return '';
  }
}

const found = (r: OfflineToolResult, key: string): boolean => !r.isError && typeof r.output === 'object' && r.output !== null && key in r.output;

/** The answer from the tool results, one part each; a list is left out when the record it stood in for was found. */
export function answerFrom(results: OfflineToolResult[]): string {
  const foundInvoice = results.some((r) => r.toolName === getInvoiceTool.name && found(r, 'invoice'));
  const foundOrder = results.some((r) => r.toolName === getOrderTool.name && found(r, 'order'));
  const wanted = results.filter(
    (r) => !(foundInvoice && r.toolName === listInvoicesTool.name && !(r.input as { month?: string } | undefined)?.month) && !(foundOrder && r.toolName === listOrdersTool.name),
  );
  return wanted.map(describeResult).filter(Boolean).join('\n\n');
}

/**
 * Offline: pick the records the message asks about from its words and slots (several reads in one
 * step), then answer from what the tools returned, one templated part per result.
 */
export function offline(): OfflineBehaviour {
  return (req: OfflineRequest) => {
    if (typedConfirmation(req)) return { text: TYPED_YES_REPLY };
    const intent = actionIntent(req.userText);
    if (intent) return actionStep(intent, req);
    if (req.toolResults.length === 0) return chooseTools(req.userText);
    return { text: answerFrom(req.toolResults) };
  };
}
