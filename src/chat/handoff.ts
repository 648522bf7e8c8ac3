import type { AuthContext } from '../auth/tokens.js';
import { getConversation, touchConversation, type Conversation } from '../db/queries/conversations.js';
import { listWaitingConversations, releaseConversation, takeOverConversation } from '../db/queries/handoff.js';
import { insertMessageOnce, insertMessage, type Message } from '../db/queries/messages.js';
import { getUserById } from '../db/queries/users.js';
import type { Db } from '../db/client.js';
import { setOutcomeOnce } from '../db/queries/outcomes.js';
import { AppError } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';
import { publishHandoff, type EventBus } from '../realtime/bus.js';
import type { QueueSnapshot } from '../realtime/events.js';
import { toWireMessage } from '../realtime/wire.js';
import { isStaff } from './access.js';

/** A signed-in staff member (agent or admin). */
export type StaffAuth = Extract<AuthContext, { kind: 'user' }>;

/** What the handoff functions need. */
export interface HandoffDeps {
  db: Db;
  bus: EventBus;
  /** Counts staff-initiated handoffs (escalations are counted where the ticket is opened). */
  metrics?: Metrics;
}

const notFound = () => new AppError('conversation_not_found', 404, 'Conversation not found');

/** The caller as a staff member, or 403 (401 when not signed in). */
export function asStaff(auth: AuthContext): StaffAuth {
  if (auth.kind !== 'user') throw new AppError('unauthorized', 401, 'Sign in to use this endpoint');
  if (!isStaff(auth)) throw new AppError('forbidden', 403, 'Only support staff can do this');
  return auth;
}

async function staffName(db: Db, staff: StaffAuth): Promise<{ id: string; name: string }> {
  const user = await getUserById(db, staff.userId);
  return { id: staff.userId, name: user?.name ?? 'Support' };
}

function heldByOther(c: Conversation): AppError {
  return new AppError('already_taken_over', 409, 'Another staff member holds this conversation; they can release it', { assigned_to: c.assignedTo });
}

/**
 * A staff member takes the conversation over: the AI falls silent, the customer is told live, and
 * the conversation leaves the waiting queue. Taking over one's own conversation again is a no-op.
 */
export async function takeOver(deps: HandoffDeps, staff: StaffAuth, conversationId: string): Promise<Conversation> {
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
  // A takeover the customer did not ask for (no escalation before it) is a handoff of its own.
  if (before.status === 'active') deps.metrics?.handoffs.inc({ reason: 'staff_takeover' });
  if (await setOutcomeOnce(deps.db, conversationId, 'handed_off')) deps.metrics?.conversations.inc({ outcome: 'handed_off' });
  await publishHandoff(deps.bus, {
    type: 'handoff',
    conversation_id: conversationId,
    status: 'human',
    reason: after.handoffReason,
    by: await staffName(deps.db, staff),
  });
  return after;
}

/** Hands the conversation back to the AI (from `human`, or from `waiting_human` to dismiss the request). */
export async function release(deps: HandoffDeps, staff: StaffAuth, conversationId: string): Promise<Conversation> {
  const after = await releaseConversation(deps.db, conversationId);
  if (!after) {
    const now = await getConversation(deps.db, conversationId);
    if (!now) throw notFound();
    throw new AppError('not_in_human_mode', 409, `This conversation is ${now.status}, not held by or waiting for a human`);
  }
  await publishHandoff(deps.bus, {
    type: 'handoff',
    conversation_id: conversationId,
    status: 'active',
    reason: after.handoffReason,
    by: await staffName(deps.db, staff),
  });
  return after;
}

/**
 * A staff member's message to the customer, delivered live. Writing to a conversation the AI still
 * holds takes it over first, so the AI and a person never answer at once. Idempotent by `clientId`.
 */
export async function postStaffMessage(
  deps: HandoffDeps,
  staff: StaffAuth,
  conversationId: string,
  content: string,
  clientId?: string,
): Promise<{ message: Message; created: boolean }> {
  const conversation = await getConversation(deps.db, conversationId);
  if (!conversation) throw notFound();
  if (conversation.status === 'closed') throw new AppError('conversation_closed', 409, 'This conversation is closed');
  if (conversation.status !== 'human' || conversation.assignedTo !== staff.userId) {
    if (conversation.status === 'human' && conversation.assignedTo !== null) throw heldByOther(conversation);
    await takeOver(deps, staff, conversationId);
  }
  const values = { conversationId, role: 'staff' as const, content, authorId: staff.userId };
  const result = clientId ? await insertMessageOnce(deps.db, { ...values, clientId }) : { message: await insertMessage(deps.db, values), created: true };
  if (result.created) {
    await touchConversation(deps.db, conversationId);
    await deps.bus.publish({ type: 'message.created', conversation_id: conversationId, message: toWireMessage(result.message) });
  }
  return result;
}

/** The conversations waiting for a human: how many, how long, why (the staff console's live feed). */
export async function waitingQueue(db: Db, limit = 50): Promise<QueueSnapshot> {
  const { total, items } = await listWaitingConversations(db, limit);
  const now = Date.now();
  const shown = items.map((c) => ({
    conversation_id: c.id,
    subject: c.subject,
    reason: c.reason,
    waiting_since: c.waitingSince.toISOString(),
    age_seconds: Math.max(0, Math.round((now - c.waitingSince.getTime()) / 1000)),
    ticket_number: c.ticketNumber,
    priority: c.priority,
  }));
  return { count: total, oldest_age_seconds: shown[0]?.age_seconds ?? null, items: shown, at: new Date(now).toISOString() };
}
