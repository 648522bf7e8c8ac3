import type { ToolCallRecord } from '../db/schema.js';
import type { ActionType, MessageAction } from '../contract/messages.js';

// What a customer is told the assistant did, derived from the stored tool calls in this one place.
// An allow-list: a tool without an entry here is never shown to customers (staff still see every
// tool call), so a new tool cannot leak its arguments or results by default. Labels carry only the
// customer's own references (an invoice, order or ticket number from the tool's result), never
// arguments the model wrote, passages, summaries or other results.

type Status = MessageAction['status'];

interface ActionRule {
  type: ActionType;
  /** While the tool runs: "Searching the help center". */
  running: string;
  /**
   * Refusals that did nothing the customer asked for (by the error code in the result): not shown at all,
   * and the tool is not announced while it runs (the server may refuse it, so "Opening…" would mislead).
   */
  silentRefusals?: readonly string[];
  /** When it has run (`ok` or `not_found`), from its result. */
  done(result: Record<string, unknown>, status: Status): Pick<MessageAction, 'label' | 'ticket_number' | 'invoice_number' | 'order_number'>;
}

const REFERENCE = /^[A-Z]{2,5}-[0-9][0-9-]{3,20}$/;

/** A reference from a tool result, when it looks like one (so no free text reaches a label). */
function reference(value: unknown): string | undefined {
  return typeof value === 'string' && REFERENCE.test(value) ? value : undefined;
}

const plain =
  (label: string, nothing = `${label} (nothing found)`) =>
  (_r: Record<string, unknown>, status: Status) => ({ label: status === 'not_found' ? nothing : label });

/** How a proposal of each account action reads, with the order it is about when it has one. */
const PROPOSALS: Readonly<Record<string, string>> = {
  cancel_order: 'Proposed cancelling order',
  change_shipping_address: 'Proposed a new shipping address for order',
  request_refund: 'Proposed a return and refund for order',
  change_plan: 'Proposed a plan change',
};

const RULES: Readonly<Record<string, ActionRule>> = {
  search_knowledge: { type: 'searched_help_center', running: 'Searching the help center', done: plain('Searched the help center') },
  get_invoice: {
    type: 'looked_up_invoice',
    running: 'Looking up the invoice',
    done: (r) => {
      const n = reference((r.invoice as Record<string, unknown> | undefined)?.invoice_number);
      return n ? { label: `Looked up invoice ${n}`, invoice_number: n } : { label: 'Looked up the invoice (not found on your account)' };
    },
  },
  list_invoices: { type: 'looked_up_invoices', running: 'Looking up your invoices', done: plain('Looked up your invoices') },
  get_order: {
    type: 'looked_up_order',
    running: 'Looking up the order',
    done: (r) => {
      const n = reference((r.order as Record<string, unknown> | undefined)?.order_number);
      return n ? { label: `Looked up order ${n}`, order_number: n } : { label: 'Looked up the order (not found on your account)' };
    },
  },
  list_orders: { type: 'looked_up_orders', running: 'Looking up your orders', done: plain('Looked up your orders') },
  list_subscriptions: { type: 'checked_subscription', running: 'Checking your subscription', done: plain('Checked your subscription') },
  get_profile: { type: 'looked_up_account', running: 'Looking up your account', done: plain('Looked up your account') },
  propose_action: {
    type: 'proposed_change',
    running: 'Checking the change you asked for',
    done: (r) => {
      // The proposal itself (its summary, Confirm and Cancel) is the message's pending_action; this says only that one was made.
      if (r.proposed !== true) return { label: 'Checked the change you asked for (not possible as asked)' };
      const action = r.action as Record<string, unknown> | undefined;
      const kind = typeof action?.type === 'string' && Object.hasOwn(PROPOSALS, action.type) ? PROPOSALS[action.type] : undefined;
      const n = reference((action?.arguments as Record<string, unknown> | undefined)?.order_number);
      if (kind && n && kind.endsWith(' order')) return { label: `${kind} ${n} for you to confirm`, order_number: n };
      return { label: kind && !kind.endsWith(' order') ? `${kind} for you to confirm` : 'Proposed a change for you to confirm' };
    },
  },
  resend_invoice: {
    type: 'resent_invoice',
    running: 'Sending the invoice again',
    done: (r) => {
      // done:true means the invoice was found on the customer's own account and sent to their billing email.
      if (r.done !== true) return { label: 'Checked the invoice to send again (not possible as asked)' };
      const action = r.action as Record<string, unknown> | undefined;
      const n = reference((action?.arguments as Record<string, unknown> | undefined)?.invoice_number);
      return n ? { label: `Sent invoice ${n} again to your billing email`, invoice_number: n } : { label: 'Sent the invoice again to your billing email' };
    },
  },
  create_ticket: {
    type: 'opened_ticket',
    running: 'Opening a support ticket',
    // The model may try to open a ticket the server does not grant (the customer never asked for a person).
    silentRefusals: ['ticket_not_granted'],
    done: (r) => {
      const n = reference(r.ticket_number);
      if (!n) return { label: 'Opened a support ticket' };
      return { label: r.already_open === true ? `Your ticket ${n} is already open` : `Opened ticket ${n}`, ticket_number: n };
    },
  },
};

/** The tools customers are told about (every other tool call stays with staff). */
export const CUSTOMER_VISIBLE_TOOLS: readonly string[] = Object.keys(RULES);

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** What one finished tool call tells the customer, or undefined for a tool they are not told about. */
export function actionOf(call: Pick<ToolCallRecord, 'name' | 'status' | 'result'>): MessageAction | undefined {
  const rule = Object.hasOwn(RULES, call.name) ? RULES[call.name] : undefined;
  if (!rule) return undefined;
  if (call.status === 'error') {
    const code = asRecord(call.result).error;
    if (typeof code === 'string' && rule.silentRefusals?.includes(code)) return undefined;
    return { type: rule.type, label: `${rule.running} failed`, status: 'error' };
  }
  return { type: rule.type, status: call.status, ...rule.done(asRecord(call.result), call.status) };
}

/** What a stored message's tool calls tell the customer, in call order, each distinct action once. */
export function actionsOf(calls: readonly ToolCallRecord[]): MessageAction[] {
  const out: MessageAction[] = [];
  for (const call of calls) {
    const a = actionOf(call);
    if (a && !out.some((x) => x.type === a.type && x.label === a.label)) out.push(a);
  }
  return out;
}

/**
 * The label of a tool that is still running, or undefined for a tool customers are not told about
 * (or are told about only once it has run).
 */
export function runningAction(name: string): Pick<MessageAction, 'type' | 'label'> | undefined {
  const rule = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
  return rule && !rule.silentRefusals ? { type: rule.type, label: rule.running } : undefined;
}
