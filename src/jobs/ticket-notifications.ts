import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineJob, UnrecoverableError, type JobRunner } from './job.js';

/** The signature header a webhook receiver verifies: `sha256=<hex HMAC of the body with TICKET_WEBHOOK_SECRET>`. */
export const SIGNATURE_HEADER = 'x-switchboard-signature';

const ticketEvent = z.object({
  event: z.literal('ticket.created'),
  ticket_number: z.string(),
  conversation_id: z.uuid().nullable(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  reason: z.string(),
  subject: z.string(),
});

/** An invoice to send again to the customer's billing email (the `resend_invoice` account action); the receiver sends the email. */
const invoiceResendEvent = z.object({
  event: z.literal('invoice.resend_requested'),
  action_id: z.uuid(),
  invoice_number: z.string(),
  amount_cents: z.number().int(),
  currency: z.string(),
  status: z.string(),
  customer_id: z.uuid(),
  customer_name: z.string(),
  billing_email: z.email(),
  conversation_id: z.uuid().nullable(),
});

const notificationEvent = z.discriminatedUnion('event', [ticketEvent, invoiceResendEvent]);

/** What an invoice resend notification carries. */
export type InvoiceResendEvent = z.input<typeof invoiceResendEvent>;

/** Signs a webhook body with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Notifications: POSTs each new ticket, and each invoice to resend, to TICKET_WEBHOOK_URL (Slack, a
 * help desk, a pager, the mail sender) with an HMAC signature and a delivery id receivers can
 * deduplicate on. No URL: logged only. A 4xx (other than 408/429) means the receiver will never
 * accept it: no retry.
 */
export const ticketNotifications = defineJob({
  queue: 'ticket-notifications',
  payload: notificationEvent,
  retry: { attempts: 6, backoffMs: 5000 },
  async process(event, ctx) {
    const url = ctx.deps.config.TICKET_WEBHOOK_URL;
    if (!url) {
      if (event.event === 'ticket.created') ctx.deps.log.info({ ticket_number: event.ticket_number, priority: event.priority }, 'ticket created (no TICKET_WEBHOOK_URL configured)');
      else ctx.deps.log.info({ invoice_number: event.invoice_number, action_id: event.action_id }, 'invoice resend requested (no TICKET_WEBHOOK_URL configured)');
      return { delivered: false };
    }
    const body = JSON.stringify(event);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-switchboard-delivery': ctx.jobId, 'user-agent': 'switchboard-webhooks' };
    const secret = ctx.deps.config.TICKET_WEBHOOK_SECRET;
    if (secret) headers[SIGNATURE_HEADER] = signBody(body, secret);
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { delivered: true, status: res.status };
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    const message = `webhook answered ${res.status}`;
    throw permanent ? new UnrecoverableError(message) : new Error(message);
  },
});

/**
 * Queues an invoice resend. The job id is the action's, so the same action queues one delivery
 * however often this is called (and receivers see one `x-switchboard-delivery` id).
 */
export function notifyInvoiceResend(jobs: JobRunner, event: InvoiceResendEvent): Promise<string> {
  return jobs.enqueue(ticketNotifications, event, { jobId: `invoice-resend-${event.action_id}` });
}

/** Queues the notification of a new ticket. */
export function notifyTicket(jobs: JobRunner, event: z.input<typeof ticketEvent>): Promise<string> {
  return jobs.enqueue(ticketNotifications, event);
}
