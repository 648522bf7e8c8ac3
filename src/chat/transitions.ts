import { getConversation, resolveHeldConversation, setConversationStatus, type Conversation } from '../db/queries/conversations.js';
import { getCustomerById } from '../db/queries/customers.js';
import { assignConversation, releaseConversation, takeOverConversation } from '../db/queries/handoff.js';
import { setOutcomeOnce, type Outcome } from '../db/queries/outcomes.js';
import { createTicket, getOpenTicketForConversation, type Ticket, type TicketPriority } from '../db/queries/tickets.js';
import { getUserById } from '../db/queries/users.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { JobRunner } from '../jobs/job.js';
import { notifyTicket } from '../jobs/ticket-notifications.js';
import type { Metrics } from '../observability/metrics.js';
import type { EventBus } from '../realtime/bus.js';
import type { ConversationEvent } from '../contract/events.js';
import type { StaffAuth } from './access.js';

// The one owner of a conversation's state changes: escalate, open a ticket, take over, release,
// resolve. Each sets the status, records the outcome, publishes the event, counts the metric and
// queues the jobs it implies, so tools, routes, the WebSocket and jobs cannot do half of it.

/** What the transitions use; each optional part missing means that side effect is skipped (tests). */
export interface TransitionDeps {
  db: Db;
  /** Where handoff events go when the caller gives no announcer of its own. */
  bus?: EventBus;
  /** handoffs_total, conversations_total. */
  metrics?: Metrics;
  /** The ticket notification (TICKET_WEBHOOK_URL). */
  jobs?: JobRunner;
}

/** The event that tells the customer and the staff console who holds the conversation now. */
export type HandoffEvent = Extract<ConversationEvent, { type: 'handoff' }>;

/** Receives a transition's handoff event (a turn passes its own stream, which keeps the documented event order). */
// biome-ignore lint/suspicious/noConfusingVoidType: a turn's stream emitter returns void, a transition's own publisher a promise
export type Announce = (event: HandoffEvent) => void | Promise<unknown>;

const notFound = () => new AppError('conversation_not_found', 404, 'Conversation not found');
const badReference = (field: string) => new AppError('invalid_reference', 400, `Invalid body: ${field} does not name an existing record`, { field });

function announcer(deps: TransitionDeps, announce?: Announce): Announce {
  if (announce) return announce;
  const bus = deps.bus;
  // Fire and forget (the bus reports failures): with Redis down the handoff still happens, only its live notice is lost.
  return bus ? (event) => bus.emit(event) : () => {};
}

async function markHandedOff(deps: TransitionDeps, conversationId: string, reason: string | null): Promise<void> {
  if (reason) deps.metrics?.handoffs.inc({ reason });
  if (await setOutcomeOnce(deps.db, conversationId, 'handed_off')) deps.metrics?.conversations.inc({ outcome: 'handed_off' });
}

function queueNotification(deps: TransitionDeps, ticket: Ticket): Promise<unknown> {
  if (!deps.jobs) return Promise.resolve();
  // The ticket is stored whatever happens to its notification: a queue that is down (Redis) delays
  // no handoff; the job runner logs the failed enqueue and the staff queue still shows the ticket.
  return notifyTicket(deps.jobs, {
    event: 'ticket.created',
    ticket_number: ticket.ticketNumber,
    conversation_id: ticket.conversationId,
    priority: ticket.priority,
    reason: ticket.reason,
    subject: ticket.subject,
  }).catch(() => {});
}

/** What a customer's request for a person carries. */
export interface EscalationRequest {
  /** The customer the ticket belongs to (null for anonymous visitors). */
  customerId: string | null;
  subject: string;
  summary: string;
  priority: TicketPriority;
  /** Why a person is needed (the handoff reason analytics count). */
  reason: string;
  /** Where the team can reach an anonymous visitor (the address they gave in the chat). */
  contactEmail?: string | null;
}

/** The ticket an escalation is waiting on; `alreadyOpen` when the conversation had one open before. */
export interface Escalation {
  ticket: Ticket;
  alreadyOpen: boolean;
}

/**
 * The conversation asks for a person: opens its ticket (or finds the one already open) and marks it
 * waiting for a human. A new ticket is a handoff: handoffs_total{reason}, the outcome handed_off
 * (once) and the ticket notification. Either way the handoff event is announced.
 */
export async function escalate(deps: TransitionDeps, conversation: Conversation, request: EscalationRequest, announce?: Announce): Promise<Escalation> {
  const existing = await getOpenTicketForConversation(deps.db, conversation.id);
  const ticket =
    existing ??
    (await createTicket(deps.db, {
      customerId: request.customerId,
      conversationId: conversation.id,
      subject: request.subject,
      summary: request.summary,
      priority: request.priority,
      reason: request.reason,
      contactEmail: request.contactEmail ?? null,
    }));
  if (conversation.status !== 'human') {
    await setConversationStatus(deps.db, conversation.id, 'waiting_human', { handoffReason: request.reason });
  }
  if (!existing) {
    await markHandedOff(deps, conversation.id, request.reason);
    await queueNotification(deps, ticket);
  }
  await announcer(deps, announce)({ type: 'handoff', conversation_id: conversation.id, status: 'waiting_human', reason: request.reason, ticket_number: ticket.ticketNumber });
  return { ticket, alreadyOpen: Boolean(existing) };
}

/** What a staff member gives when opening a ticket themselves. */
export interface StaffTicketRequest {
  subject: string;
  summary: string;
  customerId?: string;
  conversationId?: string;
  priority: TicketPriority;
  reason: string;
}

/**
 * A staff member opens a ticket (for a customer, a conversation, or neither), assigned to
 * themselves. It reaches TICKET_WEBHOOK_URL like every new ticket; the conversation it names keeps
 * its status (staff already have it in front of them: no handoff is counted).
 */
export async function openTicket(deps: TransitionDeps, staff: StaffAuth, request: StaffTicketRequest): Promise<Ticket> {
  let customerId = request.customerId ?? null;
  if (request.conversationId) {
    const conversation = await getConversation(deps.db, request.conversationId);
    if (!conversation) throw badReference('conversation_id');
    customerId ??= conversation.customerId;
  }
  if (customerId && !(await getCustomerById(deps.db, customerId))) throw badReference('customer_id');
  const ticket = await createTicket(deps.db, {
    subject: request.subject,
    summary: request.summary,
    customerId,
    conversationId: request.conversationId ?? null,
    priority: request.priority,
    reason: request.reason,
    assignedTo: staff.userId,
  });
  await queueNotification(deps, ticket);
  return ticket;
}

async function staffName(db: Db, staff: StaffAuth): Promise<{ id: string; name: string }> {
  const user = await getUserById(db, staff.userId);
  return { id: staff.userId, name: user?.name ?? 'Support' };
}

/** The error for a conversation another staff member holds. */
export function heldByOther(c: Conversation): AppError {
  return new AppError('already_taken_over', 409, 'Another staff member holds this conversation; they can release it', { assigned_to: c.assignedTo });
}

/**
 * A staff member takes the conversation over: the AI falls silent, the customer is told live, and
 * the conversation leaves the waiting queue. Taking over one's own conversation again is a no-op.
 * A takeover the customer did not ask for (no escalation before it) counts as a staff_takeover handoff.
 */
export async function takeOver(deps: TransitionDeps, staff: StaffAuth, conversationId: string): Promise<Conversation> {
  const before = await getConversation(deps.db, conversationId);
  if (!before) throw notFound();
  if (before.status === 'human' && before.assignedTo === staff.userId) return before;
  const after = await takeOverConversation(deps.db, conversationId, staff.userId);
  if (!after) {
    const now = await getConversation(deps.db, conversationId);
    if (!now) throw notFound();
    if (now.status === 'human') throw heldByOther(now);
    throw new AppError('conversation_closed', 409, `This conversation is ${now.status}; it cannot be taken over`);
  }
  await markHandedOff(deps, conversationId, before.status === 'active' ? 'staff_takeover' : null);
  await announcer(deps)({ type: 'handoff', conversation_id: conversationId, status: 'human', reason: after.handoffReason, by: await staffName(deps.db, staff) });
  return after;
}

/** The error for an agent acting on a conversation a colleague holds: only the holder or an admin may. */
function notYours(c: Conversation): AppError {
  return new AppError('held_by_other', 403, 'Another staff member holds this conversation; only they or an admin can release or reassign it', {
    assigned_to: c.assignedTo,
  });
}

/** Admins may act on any conversation; an agent only on one nobody else holds (the query's `holderOrFree`). */
const holderOrFree = (staff: StaffAuth) => (staff.role === 'admin' ? undefined : staff.userId);

/**
 * Hands the conversation back to the AI (from `human`, or from `waiting_human` to dismiss the
 * request). An agent cannot release a conversation a colleague holds (403); an admin can.
 */
export async function release(deps: TransitionDeps, staff: StaffAuth, conversationId: string): Promise<Conversation> {
  const after = await releaseConversation(deps.db, conversationId, holderOrFree(staff));
  if (!after) {
    const now = await getConversation(deps.db, conversationId);
    if (!now) throw notFound();
    if (now.status === 'human' && now.assignedTo !== null && now.assignedTo !== staff.userId) throw notYours(now);
    throw new AppError('not_in_human_mode', 409, `This conversation is ${now.status}, not held by or waiting for a human`);
  }
  await announcer(deps)({ type: 'handoff', conversation_id: conversationId, status: 'active', reason: after.handoffReason, by: await staffName(deps.db, staff) });
  return after;
}

/**
 * Gives the conversation to a staff member (a colleague, or oneself): it is held by them, the AI
 * stays silent, the customer is told who joined. An agent may assign a conversation nobody else
 * holds, or hand on one they hold; taking one from a colleague is for admins (403 otherwise).
 */
export async function assign(deps: TransitionDeps, staff: StaffAuth, conversationId: string, assigneeId: string): Promise<Conversation> {
  const assignee = await getUserById(deps.db, assigneeId);
  if (!assignee || assignee.role === 'customer') throw badReference('assigned_to');
  const before = await getConversation(deps.db, conversationId);
  if (!before) throw notFound();
  if (before.status === 'human' && before.assignedTo === assigneeId) return before;
  const after = await assignConversation(deps.db, conversationId, assigneeId, holderOrFree(staff));
  if (!after) {
    const now = await getConversation(deps.db, conversationId);
    if (!now) throw notFound();
    if (now.status === 'human') throw notYours(now);
    throw new AppError('conversation_closed', 409, `This conversation is ${now.status}; it cannot be assigned`);
  }
  await markHandedOff(deps, conversationId, before.status === 'active' ? 'staff_takeover' : null);
  await announcer(deps)({ type: 'handoff', conversation_id: conversationId, status: 'human', reason: after.handoffReason, by: { id: assignee.id, name: assignee.name } });
  return after;
}

/**
 * Closes a conversation that went idle with the AI: status `resolved`, its outcome (resolved or
 * abandoned) and summary, conversations_total{outcome}. False when it already had an outcome (a
 * handoff is never overwritten).
 */
export async function resolve(deps: Pick<TransitionDeps, 'db' | 'metrics'>, conversationId: string, ending: { outcome: Exclude<Outcome, 'handed_off'>; summary: string }): Promise<boolean> {
  if (!(await setOutcomeOnce(deps.db, conversationId, ending.outcome, { summary: ending.summary, status: 'resolved' }))) return false;
  deps.metrics?.conversations.inc({ outcome: ending.outcome });
  return true;
}

/**
 * A person resolved the conversation they had (its ticket was resolved or closed): status
 * `resolved` (its outcome stays handed_off), and the customer's chat is told, so it asks once for a
 * rating. False when the conversation was not with a person.
 */
export async function resolveByStaff(deps: TransitionDeps, conversationId: string): Promise<boolean> {
  if (!(await resolveHeldConversation(deps.db, conversationId))) return false;
  await deps.bus?.emit({ type: 'conversation.resolved', conversation_id: conversationId, by: 'staff' });
  return true;
}
