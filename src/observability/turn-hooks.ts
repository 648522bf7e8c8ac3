import type { Db } from '../db/client.js';
import { setOutcomeOnce } from '../db/queries/outcomes.js';
import type { ToolCallRecord } from '../db/schema.js';
import type { JobRunner } from '../jobs/job.js';
import { notifyTicket } from '../jobs/ticket-notifications.js';
import type { Metrics } from './metrics.js';

/** What the handoff hook needs from the turn's dependencies (each part optional: tests may omit them). */
export interface HandoffHookDeps {
  db: Db;
  metrics?: Metrics;
  jobs?: JobRunner;
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/**
 * After a turn whose escalation opened a ticket: counts the handoff by reason, records the
 * conversation's outcome (handed_off, once) and queues the ticket notification. A turn that found
 * the ticket already open counts nothing.
 */
export async function recordHandoff(deps: HandoffHookDeps, conversationId: string, call: ToolCallRecord): Promise<void> {
  const result = (call.result ?? {}) as { ticket_number?: string; priority?: string; already_open?: boolean };
  if (call.name !== 'create_ticket' || call.status !== 'ok' || result.already_open !== false) return;
  const reason = typeof call.arguments.reason === 'string' ? call.arguments.reason : 'customer_request';
  deps.metrics?.handoffs.inc({ reason });
  if (await setOutcomeOnce(deps.db, conversationId, 'handed_off')) deps.metrics?.conversations.inc({ outcome: 'handed_off' });
  if (deps.jobs && result.ticket_number) {
    const priority = PRIORITIES.find((p) => p === result.priority) ?? 'normal';
    const subject = typeof call.arguments.subject === 'string' ? call.arguments.subject : 'Support request';
    await notifyTicket(deps.jobs, { event: 'ticket.created', ticket_number: result.ticket_number, conversation_id: conversationId, priority, reason, subject });
  }
}
