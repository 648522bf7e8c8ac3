import { getConversation, touchConversation } from '../db/queries/conversations.js';
import { listWaitingConversations } from '../db/queries/handoff.js';
import { type AuthoredMessage, insertMessage, insertMessageOnce } from '../db/queries/messages.js';
import { getUserById } from '../db/queries/users.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../realtime/bus.js';
import type { QueueSnapshot } from '../contract/events.js';
import { toStaffMessage } from './wire.js';
import type { StaffAuth } from './access.js';
import { heldByOther, takeOver, type TransitionDeps } from './transitions.js';

/**
 * A staff member's message to the customer, delivered live. Writing to a conversation the AI still
 * holds takes it over first, so the AI and a person never answer at once. Idempotent by `clientId`.
 */
export async function postStaffMessage(
  deps: TransitionDeps & { bus: EventBus },
  staff: StaffAuth,
  conversationId: string,
  content: string,
  clientId?: string,
): Promise<{ message: AuthoredMessage; created: boolean }> {
  const conversation = await getConversation(deps.db, conversationId);
  if (!conversation) throw new AppError('conversation_not_found', 404, 'Conversation not found');
  if (conversation.status === 'closed') throw new AppError('conversation_closed', 409, 'This conversation is closed');
  if (conversation.status !== 'human' || conversation.assignedTo !== staff.userId) {
    if (conversation.status === 'human' && conversation.assignedTo !== null) throw heldByOther(conversation);
    await takeOver(deps, staff, conversationId);
  }
  const values = { conversationId, role: 'staff' as const, content, authorId: staff.userId };
  const stored = clientId ? await insertMessageOnce(deps.db, { ...values, clientId }) : { message: await insertMessage(deps.db, values), created: true };
  // The reply carries its author's name: the customer's chat shows it, also after a reload.
  const result = { ...stored, message: { ...stored.message, authorName: (await getUserById(deps.db, staff.userId))?.name ?? null } };
  if (result.created) {
    await touchConversation(deps.db, conversationId);
    // Fire and forget (the bus reports failures): Redis being down degrades realtime, not the reply.
    deps.bus.emit({ type: 'message.created', conversation_id: conversationId, message: toStaffMessage(result.message) });
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
