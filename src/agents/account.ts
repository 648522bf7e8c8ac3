import type { OfflineBehaviour, OfflineReply, OfflineRequest, OfflineToolResult } from '../llm/offline/offline-model.js';
import { extractSlots } from '../llm/offline/slots.js';
import type { Agent } from './agent.js';
import type { TurnContext } from './context.js';
import {
  ACCOUNT_TOOLS,
  getInvoiceTool,
  getOrderTool,
  getProfile,
  invoiceView,
  listInvoicesTool,
  listOrdersTool,
  listSubscriptionsTool,
  orderView,
  subscriptionView,
} from './tools/account-tools.js';

export const name = 'account';
export const description =
  "Answers questions about the signed-in customer's own records: subscriptions and plan, invoices and payments, hardware orders and tracking, profile.";

/** Instructions for an LLM running this agent. */
export function instructions(): string {
  return [
    "You help a signed-in customer of Switchboard Demo Co with their own subscriptions, invoices and orders.",
    'Use the tools to read their records; the tools only ever return this customer\'s data.',
    'Quote numbers, amounts, dates and statuses exactly as the tools return them. If a tool says not found, say you could not find it on their account.',
    'Call independent tools in the same step. Never ask for or use a customer id: the tools already know who is signed in. Be concise.',
  ].join('\n');
}

/** Asked of anonymous visitors who ask about an account. */
export const SIGN_IN_REQUIRED =
  'I can help with your account, invoices and orders once you sign in, so I can be sure the details are yours. Please sign in and ask again.';

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
export function chooseTools(text: string): OfflineReply {
  const slots = extractSlots(text);
  const calls: { toolName: string; input: Record<string, unknown> }[] = [];
  for (const n of slots.invoiceNumbers) calls.push({ toolName: getInvoiceTool.name, input: { invoice_number: n } });
  for (const n of slots.orderNumbers) calls.push({ toolName: getOrderTool.name, input: { order_number: n } });
  const latest = LATEST.test(text);
  if (slots.invoiceNumbers.length === 0 && INVOICE_WORDS.test(text)) {
    const status = /\b(unpaid|outstanding|open)\b/i.test(text) ? 'open' : /\boverdue|late\b/i.test(text) ? 'overdue' : undefined;
    calls.push({ toolName: listInvoicesTool.name, input: { limit: latest ? 1 : 5, ...(status ? { status } : {}) } });
  }
  if (slots.orderNumbers.length === 0 && ORDER_WORDS.test(text)) calls.push({ toolName: listOrdersTool.name, input: { limit: latest ? 1 : 5 } });
  if (PLAN_WORDS.test(text) || slots.plans.length > 0 || calls.length === 0) calls.push({ toolName: listSubscriptionsTool.name, input: {} });
  if (PROFILE_WORDS.test(text)) calls.push({ toolName: getProfile.name, input: {} });
  return { toolCalls: calls };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** One tool result in words. */
export function describeResult(r: OfflineToolResult): string {
  const input = (r.input ?? {}) as Record<string, unknown>;
  const out = (r.output ?? {}) as Record<string, unknown>;
  if (r.isError) return "I couldn't read that part of your account just now. Please try again in a moment.";
  switch (r.toolName) {
    case getInvoiceTool.name:
      return out.invoice ? describeInvoice(out.invoice as InvoiceView) : `I couldn't find invoice ${str(input.invoice_number)} on your account.`;
    case getOrderTool.name:
      return out.order ? describeOrder(out.order as OrderView) : `I couldn't find order ${str(input.order_number)} on your account.`;
    case listInvoicesTool.name: {
      const invoices = (out.invoices ?? []) as InvoiceView[];
      const status = str(input.status);
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
      return out.name
        ? `Your account: ${str(out.name)}${out.company ? `, ${str(out.company)}` : ''}, ${str(out.email)}, customer since ${str(out.customer_since)}.`
        : "I couldn't find your profile.";
    default:
      return '';
  }
}

/**
 * Offline: pick the records the message asks about from its words and slots (several reads in one
 * step), then answer from what the tools returned, one templated part per result.
 */
export function offline(): OfflineBehaviour {
  return (req: OfflineRequest) => {
    if (req.toolResults.length === 0) return chooseTools(req.userText);
    return { text: req.toolResults.map(describeResult).filter(Boolean).join('\n\n') };
  };
}

/** Anonymous visitors are asked to sign in; no tool runs without a signed-in customer. */
export function precheck(ctx: TurnContext): string | undefined {
  return ctx.customerId ? undefined : SIGN_IN_REQUIRED;
}

/** The account agent. */
export const account: Agent = { name, description, instructions, tools: ACCOUNT_TOOLS, maxSteps: 5, precheck, offline };
