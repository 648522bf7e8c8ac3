import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineJob, UnrecoverableError, type JobRunner } from './job.js';

/** The signature header a webhook receiver verifies: `sha256=<hex HMAC of the body with TICKET_WEBHOOK_SECRET>`. */
export const SIGNATURE_HEADER = 'x-switchboard-signature';

const ticketEvent = z.object({
  event: z.enum(['ticket.created']),
  ticket_number: z.string(),
  conversation_id: z.uuid().nullable(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  reason: z.string(),
  subject: z.string(),
});

/** Signs a webhook body with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Ticket notifications: POSTs each new ticket to TICKET_WEBHOOK_URL (Slack, a help desk, a pager)
 * with an HMAC signature and a delivery id receivers can deduplicate on. No URL: logged only.
 * A 4xx (other than 408/429) means the receiver will never accept it: no retry.
 */
export const ticketNotifications = defineJob({
  queue: 'ticket-notifications',
  payload: ticketEvent,
  retry: { attempts: 6, backoffMs: 5000 },
  async process(event, ctx) {
    const url = ctx.deps.config.TICKET_WEBHOOK_URL;
    if (!url) {
      ctx.deps.log.info({ ticket_number: event.ticket_number, priority: event.priority }, 'ticket created (no TICKET_WEBHOOK_URL configured)');
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

/** Queues the notification of a new ticket. */
export function notifyTicket(jobs: JobRunner, event: z.input<typeof ticketEvent>): Promise<string> {
  return jobs.enqueue(ticketNotifications, event);
}
