import type { ToolCallRecord } from '../db/schema.js';
import type { AgentReply, TurnContext } from './context.js';
import {
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
import { callTool } from './tools/tool.js';

export const name = 'account';
export const description =
  "Answers questions about the signed-in customer's own records: subscriptions and plan, invoices and payments, hardware orders and tracking, profile.";

/** Instructions for an LLM running this agent. */
export function instructions(): string {
  return [
    "You help a signed-in customer of Switchboard Demo Co with their own subscriptions, invoices and orders.",
    'Use the tools to read their records; the tools only ever return this customer\'s data.',
    'Quote numbers, amounts, dates and statuses exactly as the tools return them. If a tool says not found, say you could not find it on their account.',
    'Call independent tools in the same step. Be concise.',
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

/**
 * The offline answer: decide from the message and its slots which of the customer's records are
 * asked about, read them with the tools (independent reads in parallel), and answer from the results.
 */
export async function answerOffline(ctx: TurnContext): Promise<AgentReply> {
  if (!ctx.customerId) return { agent: name, content: SIGN_IN_REQUIRED, citations: [], toolCalls: [], engine: 'offline' };
  const text = ctx.userMessage.content;
  const toolCalls: ToolCallRecord[] = [];
  const parts: Promise<string>[] = [];
  const { invoiceNumbers, orderNumbers } = ctx.slots;

  for (const n of invoiceNumbers) {
    parts.push(
      callTool(getInvoiceTool, { invoice_number: n }, ctx, toolCalls).then((r) =>
        'invoice' in r ? describeInvoice(r.invoice) : `I couldn't find invoice ${n} on your account.`,
      ),
    );
  }
  for (const n of orderNumbers) {
    parts.push(
      callTool(getOrderTool, { order_number: n }, ctx, toolCalls).then((r) =>
        'order' in r ? describeOrder(r.order) : `I couldn't find order ${n} on your account.`,
      ),
    );
  }
  const latest = LATEST.test(text);
  if (invoiceNumbers.length === 0 && INVOICE_WORDS.test(text)) {
    const status = /\b(unpaid|outstanding|open)\b/i.test(text) ? 'open' : /\boverdue|late\b/i.test(text) ? 'overdue' : undefined;
    parts.push(
      callTool(listInvoicesTool, { limit: latest ? 1 : 5, status }, ctx, toolCalls).then(({ invoices }) => {
        if (invoices.length === 0) return status ? `You have no ${status} invoices.` : 'You have no invoices yet.';
        if (latest) return `Your latest invoice is ${describeInvoice(invoices[0]!).replace(/^Invoice /, '')}`;
        return `Your ${status ? `${status} ` : 'recent '}invoices:\n${invoices.map((i) => `- ${describeInvoice(i)}`).join('\n')}`;
      }),
    );
  }
  if (orderNumbers.length === 0 && ORDER_WORDS.test(text)) {
    parts.push(
      callTool(listOrdersTool, { limit: latest ? 1 : 5 }, ctx, toolCalls).then(({ orders }) => {
        if (orders.length === 0) return 'You have no orders with us yet.';
        if (latest) return `Your latest order: ${describeOrder(orders[0]!)}`;
        return `Your recent orders:\n${orders.map((o) => `- ${describeOrder(o)}`).join('\n')}`;
      }),
    );
  }
  const wantsPlan = PLAN_WORDS.test(text) || ctx.slots.plans.length > 0;
  if (wantsPlan || parts.length === 0) {
    parts.push(
      callTool(listSubscriptionsTool, {}, ctx, toolCalls).then(({ subscriptions }) =>
        subscriptions.length === 0
          ? 'You have no subscriptions with us.'
          : `Your subscription${subscriptions.length > 1 ? 's' : ''}:\n${subscriptions.map((s) => `- ${describeSubscription(s)}`).join('\n')}`,
      ),
    );
  }
  if (PROFILE_WORDS.test(text)) {
    parts.push(
      callTool(getProfile, {}, ctx, toolCalls).then((p) =>
        'name' in p ? `Your account: ${p.name}${p.company ? `, ${p.company}` : ''}, ${p.email}, customer since ${p.customer_since}.` : "I couldn't find your profile.",
      ),
    );
  }
  const answers = await Promise.all(parts);
  return { agent: name, content: answers.join('\n\n'), citations: [], toolCalls, engine: 'offline' };
}
