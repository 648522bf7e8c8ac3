import type { OfflineReply, OfflineRequest, OfflineToolResult } from '../../llm/offline/offline-model.js';
import { extractSlots } from '../../llm/offline/slots.js';
import type { ActionType } from './definitions.js';
import { RETURN_WINDOW_DAYS, type ReturnReason, type SelfServePlan } from './policy.js';
import type { AutoResult, ProposeResult } from './protocol.js';

// The account agent's actions in the offline engine: what the customer asks to change (from the
// words and slots), the reads it needs first (which order, how many seats now), then one
// propose_action call, and the answer from its result. Nothing here changes a record: a proposal
// waits for the customer's Confirm button like the LLM's.

/** What a message asks to change. */
export interface ActionIntent {
  type: ActionType | 'resend_invoice';
  orderNumber?: string;
  invoiceNumber?: string;
  /** "my March invoice": the month it was issued in (yyyy-mm), when no number is given. */
  month?: string;
  reason?: ReturnReason;
  /** The new address, when one could be read from the message. */
  address?: ParsedAddress;
  plan?: SelfServePlan;
  seats?: number;
  /** "add 2 seats" (+2), "remove a seat" (−1): relative to the current count. */
  seatDelta?: number;
  effective?: 'now' | 'renewal';
}

export interface ParsedAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code: string;
  country: string;
}

const REQUEST = /\b(i want|i'?d like|i would like|i need|please|pls|can you|could you|can i|could i|would you|want to|wanna|start|request|help me)\b/i;
const QUESTION_ONLY = /^\s*(how|what|why|when|where|which|is|are|does|do|will)\b/i;
const POLICY_TALK = /\b(policy|policies|rules?|allowed|possible in general)\b/i;
// Asking after a record ("whether the return was received", "where is my refund") is a read, not a change.
const STATUS_TALK = /\b(status|whether|received|where is|where's|wheres|track|tracking|arrived|happened)\b/i;
const ADDRESS = /\b(shipping|delivery|postal)?\s*address\b/i;
const ADDRESS_CHANGE = /\b(change|update|correct|fix|wrong|new|edit|modify|different)\b/i;
const CANCEL = /\bcancel(l?ing|l?ed|lation)?\b/i;
const ORDER_WORD = /\b(order|purchase|headsets?|phones?|webcams?|package|parcel)\b/i;
const NOT_ORDER = /\b(subscription|plan|account|membership|trial)\b/i;
const REFUND = /\b(refund|return|send (it|them|this) back|money back|give (it|them) back)\b/i;
const PLAN_CHANGE = /\b(upgrade|downgrade|switch|change|move|go|put me)\b/i;
const SEAT = /\bseats?\b/i;
const INVOICE_WORD = /\b(invoices?|bills?|receipts?)\b/i;
// "resend my invoice", "send the invoice again", "email me invoice INV-…", "forward my last bill"
const RESEND = /\b(re-?send|re-?email|send (?:\w+ ){0,4}again|e-?mail (?:it )?(?:to )?me|send (?:it |them )?(?:to )?me|forward)\b/i;

const WORD_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const num = (s: string) => WORD_NUMBERS[s.toLowerCase()] ?? Number(s);
const COUNT = '(\\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)';

function returnReason(text: string): ReturnReason {
  if (/\b(wrong (item|model|product|colou?r)|not what i ordered|sent me the wrong)\b/i.test(text)) return 'wrong_item';
  if (/\b(damaged|broken in transit|cracked|crushed|dented|arrived broken)\b/i.test(text)) return 'damaged';
  if (/\b(defective|faulty|doesn'?t work|does not work|stopped working|not working|broken|dead)\b/i.test(text)) return 'defective';
  return 'changed_mind';
}

const COUNTRIES: Record<string, string> = {
  us: 'US',
  usa: 'US',
  'united states': 'US',
  'united states of america': 'US',
  america: 'US',
  canada: 'CA',
  uk: 'GB',
  'united kingdom': 'GB',
  england: 'GB',
  britain: 'GB',
  'great britain': 'GB',
  australia: 'AU',
  'new zealand': 'NZ',
  germany: 'DE',
  france: 'FR',
  ireland: 'IE',
  netherlands: 'NL',
  spain: 'ES',
  italy: 'IT',
  mexico: 'MX',
};

/** Reads "42 Elm Street, Apt 3, Portland, OR 97201, US" (street[, unit], city, region and postal code[, country]). */
export function parseAddress(text: string): ParsedAddress | undefined {
  const m = /\b(?:to|is|:)\s+(\d[^\n]*?|[^\n]*\d[^\n]*?)\s*(?:\bfor\b[^,]*\border\b.*|\bplease\b.*)?[.!]?\s*$/i.exec(text);
  if (!m) return undefined;
  const raw = m[1]!.replace(/\b(?:for|on)\s+(?:my\s+)?(?:order\s*)?ORD-?\d{6}\b/gi, '').replace(/\bORD-?\d{6}\b/gi, '');
  const parts = raw
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 3) return undefined;
  let country = 'US';
  const last = parts[parts.length - 1]!.toLowerCase().replace(/\./g, '');
  if (COUNTRIES[last]) {
    country = COUNTRIES[last]!;
    parts.pop();
  } else if (/^[a-z]{2}$/.test(last) && parts.length >= 4) {
    country = last.toUpperCase();
    parts.pop();
  }
  const tail = parts.pop()!;
  // "OR 97201", "97201", "ON M5V 2T6", "SW1A 1AA", "2000 NSW"
  const postal = /^(?:([A-Za-z .]+?)\s+)?([A-Za-z]{0,2}\d[A-Za-z\d -]{1,9})$/.exec(tail) ?? /^(\d{3,6})\s+([A-Za-z .]+)$/.exec(tail);
  if (!postal) return undefined;
  const [region, postalCode] = /^\d/.test(postal[1] ?? '') ? [postal[2], postal[1]!] : [postal[1], postal[2]!];
  const city = parts.pop();
  if (!city || parts.length === 0 || !/\d/.test(parts[0]!)) return undefined;
  return { line1: parts[0]!, ...(parts[1] ? { line2: parts.slice(1).join(', ') } : {}), city, ...(region ? { region: region.trim() } : {}), postal_code: postalCode.trim().toUpperCase(), country };
}

/** What the message asks to change, if it asks to change something the account agent can do. */
export function actionIntent(text: string, now: Date = new Date()): ActionIntent | undefined {
  const slots = extractSlots(text, now);
  const orderNumber = slots.orderNumbers[0];
  const asked = REQUEST.test(text) || orderNumber !== undefined || !QUESTION_ONLY.test(text);
  if (INVOICE_WORD.test(text) && RESEND.test(text) && !POLICY_TALK.test(text) && !/\b(how (do|can) i|where (do|can) i)\b/i.test(text)) {
    return { type: 'resend_invoice', invoiceNumber: slots.invoiceNumbers[0], ...(slots.months[0] ? { month: slots.months[0] } : {}) };
  }
  if (!asked || POLICY_TALK.test(text) || STATUS_TALK.test(text)) return undefined;
  if (ADDRESS.test(text) && (ADDRESS_CHANGE.test(text) || /\b(ship|send|deliver)\b.*\bto\b/i.test(text))) {
    return { type: 'change_shipping_address', orderNumber, address: parseAddress(text) };
  }
  if (CANCEL.test(text) && (orderNumber || (ORDER_WORD.test(text) && !NOT_ORDER.test(text)))) return { type: 'cancel_order', orderNumber };
  if (REFUND.test(text) && !/\b(invoice|subscription|plan|renewal|charge)\b/i.test(text)) {
    return { type: 'request_refund', orderNumber, reason: returnReason(text) };
  }
  const plan = slots.plans.find((p): p is SelfServePlan => p !== 'enterprise');
  const add = new RegExp(`\\b(?:add|plus|another|extra|more)\\s+${COUNT}?\\s*(?:more\\s+|extra\\s+)?seats?\\b`, 'i').exec(text);
  const remove = new RegExp(`\\b(?:remove|drop|reduce by|cut|fewer|less)\\s+${COUNT}?\\s*seats?\\b`, 'i').exec(text);
  const absolute = new RegExp(`\\b${COUNT}\\s+seats?\\b`, 'i').exec(text);
  if ((plan && PLAN_CHANGE.test(text)) || (SEAT.test(text) && (add || remove || absolute))) {
    const intent: ActionIntent = { type: 'change_plan', ...(plan ? { plan } : {}) };
    if (add) intent.seatDelta = add[1] ? num(add[1]) : 1;
    else if (remove) intent.seatDelta = -(remove[1] ? num(remove[1]) : 1);
    else if (absolute && SEAT.test(text)) intent.seats = num(absolute[1]!);
    if (/\b(now|today|immediately|right away|straight away)\b/i.test(text)) intent.effective = 'now';
    return intent;
  }
  return undefined;
}

const AFFIRMATION = /^\s*(yes|yeah|yep|yup|ok|okay|sure|confirm(ed)?|i confirm|go ahead|do it|please do|that'?s right|correct|sounds good)\b[\s.!]*(please)?[\s.!]*$/i;

/** True for a typed "yes" right after a proposal: it is not a confirmation, and the customer is told so. */
export function typedConfirmation(req: OfflineRequest): boolean {
  const lastAssistant = [...req.messages].reverse().find((m) => m.role === 'assistant');
  return AFFIRMATION.test(req.userText) && lastAssistant?.text.includes(CONFIRM_HINT) === true;
}

/** How a proposal ends: the customer decides with the buttons. */
export const CONFIRM_HINT = 'Press **Confirm** below to go ahead';
export const TYPED_YES_REPLY = "To go ahead, press **Confirm** under my previous message (or **Cancel** to leave it). I can't act on a typed reply, so nothing has changed yet.";

interface OrderListing {
  order_number: string;
  status: string;
  delivered_at: string | null;
  items: { name: string; quantity: number }[];
}

const DAY_MS = 86_400_000;

function eligible(type: ActionType, o: OrderListing, now: Date): boolean {
  if (type === 'cancel_order') return o.status === 'pending' || o.status === 'processing';
  if (type === 'change_shipping_address') return o.status === 'pending';
  return o.status === 'delivered' && o.delivered_at !== null && now.getTime() - Date.parse(o.delivered_at) <= RETURN_WINDOW_DAYS * DAY_MS;
}

const NONE_ELIGIBLE: Record<string, string> = {
  cancel_order: 'None of your orders can be canceled: an order can only be canceled before it ships, and all of yours have shipped or ended. A delivered order can be returned within 30 days instead.',
  change_shipping_address: 'None of your orders can have its address changed: that is only possible while an order is pending, before we start packing it.',
  request_refund: `None of your orders can be returned for a refund right now: returns are for delivered orders, within ${RETURN_WINDOW_DAYS} days of delivery.`,
};

const ASK_ADDRESS = 'Which address should it ship to? Please send it in one line: street, city, state and ZIP code, country (for example: 42 Elm Street, Portland, OR 97201, US).';

const result = (results: OfflineToolResult[], name: string) => results.find((r) => r.toolName === name && !r.isError);

/**
 * The next step of an action request in the offline engine: a read it needs, the proposal, or the
 * answer from the proposal's result.
 */
export function actionStep(intent: ActionIntent, req: OfflineRequest, now: Date = new Date()): OfflineReply {
  if (intent.type === 'resend_invoice') return resendStep(intent, req);
  const proposed = req.toolResults.find((r) => r.toolName === 'propose_action');
  if (proposed) {
    if (proposed.isError) return { text: "I couldn't prepare that change just now. Please try again in a moment." };
    const out = proposed.output as ProposeResult;
    if (!out.proposed) return { text: out.reason };
    return { text: `${out.proposal}\n\n${CONFIRM_HINT}, or **Cancel** to leave it as it is. Nothing changes until you do.` };
  }
  const input: Record<string, unknown> = { type: intent.type };
  if (intent.type === 'change_plan') {
    if (intent.plan) input.plan = intent.plan;
    if (intent.effective) input.effective = intent.effective;
    if (intent.seats !== undefined) input.seats = intent.seats;
    if (intent.seatDelta !== undefined) {
      const subs = result(req.toolResults, 'list_subscriptions');
      if (!subs) return { toolCalls: [{ toolName: 'list_subscriptions', input: {} }] };
      const current = ((subs.output as { subscriptions?: { status: string; seats: number }[] }).subscriptions ?? []).find((s) => s.status !== 'canceled');
      if (!current) return { text: "You don't have a subscription whose seats can change." };
      input.seats = Math.max(1, current.seats + intent.seatDelta);
    }
    return { toolCalls: [{ toolName: 'propose_action', input }] };
  }
  if (intent.type === 'change_shipping_address' && !intent.address) return { text: ASK_ADDRESS };
  const type = intent.type;
  let orderNumber = intent.orderNumber;
  if (!orderNumber) {
    const listed = result(req.toolResults, 'list_orders');
    if (!listed) return { toolCalls: [{ toolName: 'list_orders', input: { limit: 10 } }] };
    const orders = ((listed.output as { orders?: OrderListing[] }).orders ?? []).filter((o) => eligible(type, o, now));
    if (orders.length === 0) return { text: NONE_ELIGIBLE[type]! };
    if (orders.length > 1) {
      const lines = orders.map((o) => `- ${o.order_number}: ${o.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')} (${o.status})`);
      return { text: `Which order do you mean?\n${lines.join('\n')}\n\nTell me its number and I'll prepare the change.` };
    }
    orderNumber = orders[0]!.order_number;
  }
  input.order_number = orderNumber;
  if (intent.reason) input.reason = intent.reason;
  if (intent.address) input.address = intent.address;
  return { toolCalls: [{ toolName: 'propose_action', input }] };
}

/**
 * Resending an invoice (auto tier): the number from the message, else the newest issued invoice
 * (list_invoices), then one resend_invoice call and its message or its reason.
 */
function resendStep(intent: ActionIntent, req: OfflineRequest): OfflineReply {
  const sent = req.toolResults.find((r) => r.toolName === 'resend_invoice');
  if (sent) {
    if (sent.isError) return { text: "I couldn't send that invoice just now. Please try again in a moment." };
    const out = sent.output as AutoResult;
    return { text: out.done ? out.message : out.reason };
  }
  let invoiceNumber = intent.invoiceNumber;
  if (!invoiceNumber) {
    const listed = result(req.toolResults, 'list_invoices');
    if (!listed) return { toolCalls: [{ toolName: 'list_invoices', input: { limit: 5, ...(intent.month ? { month: intent.month } : {}) } }] };
    const invoices = ((listed.output as { invoices?: { invoice_number: string; status: string }[] }).invoices ?? []).filter((i) => i.status !== 'draft' && i.status !== 'void');
    if (invoices.length === 0) {
      return {
        text: intent.month
          ? "I couldn't find an issued invoice from that month on your account."
          : "You don't have an issued invoice I could send. Invoices appear under Settings → Billing → Invoices once they're issued.",
      };
    }
    invoiceNumber = invoices[0]!.invoice_number;
  }
  return { toolCalls: [{ toolName: 'resend_invoice', input: { invoice_number: invoiceNumber } }] };
}
