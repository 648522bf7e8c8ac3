import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conversations, supportTickets } from '../schema.js';
import type { Conversation } from './conversations.js';

/**
 * A staff member takes a conversation over: status `human`, assigned to them. Only an open
 * conversation not already held by another staff member; undefined otherwise (the caller reads why).
 */
export async function takeOverConversation(db: Db, id: string, staffUserId: string): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ status: 'human', assignedTo: staffUserId, updatedAt: sql`now()` })
    .where(and(eq(conversations.id, id), inArray(conversations.status, ['active', 'waiting_human', 'human']), heldByOrFree(staffUserId)))
    .returning();
  return row;
}

/**
 * Hands a conversation held by (or waiting for) a human back to the AI; undefined when it is in
 * neither state, or when `holderOrFree` is given and someone else holds it.
 */
export async function releaseConversation(db: Db, id: string, holderOrFree?: string): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ status: 'active', assignedTo: null, updatedAt: sql`now()` })
    .where(and(eq(conversations.id, id), inArray(conversations.status, ['waiting_human', 'human']), holderOrFree ? heldByOrFree(holderOrFree) : undefined))
    .returning();
  return row;
}

/**
 * Gives an open conversation to a staff member (status `human`); undefined when it is closed, or
 * when `holderOrFree` is given and someone other than that user holds it.
 */
export async function assignConversation(db: Db, id: string, assigneeId: string, holderOrFree?: string): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ status: 'human', assignedTo: assigneeId, updatedAt: sql`now()` })
    .where(and(eq(conversations.id, id), inArray(conversations.status, ['active', 'waiting_human', 'human']), holderOrFree ? heldByOrFree(holderOrFree) : undefined))
    .returning();
  return row;
}

/** Not held by a person, or held by this user. */
function heldByOrFree(userId: string) {
  return or(ne(conversations.status, 'human'), isNull(conversations.assignedTo), eq(conversations.assignedTo, userId));
}

/** A conversation waiting for a human, with the ticket it was escalated with (if any). */
export interface WaitingConversation {
  id: string;
  subject: string | null;
  reason: string | null;
  waitingSince: Date;
  ticketNumber: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
}

/**
 * The conversations waiting for a human, longest waiting first, and how many there are, in one
 * query. A conversation waits since its open ticket was raised (else since it last changed).
 */
export async function listWaitingConversations(db: Db, limit: number): Promise<{ total: number; items: WaitingConversation[] }> {
  const ticket = db
    .select({ number: supportTickets.ticketNumber, priority: supportTickets.priority, createdAt: supportTickets.createdAt })
    .from(supportTickets)
    .where(and(eq(supportTickets.conversationId, conversations.id), eq(supportTickets.status, 'open')))
    .orderBy(desc(supportTickets.createdAt))
    .limit(1)
    .as('ticket');
  const waitingSince = sql<Date>`coalesce(${ticket.createdAt}, ${conversations.updatedAt})`;
  const rows = await db
    .select({
      id: conversations.id,
      subject: conversations.subject,
      reason: conversations.handoffReason,
      waitingSince: waitingSince.mapWith((v: string | Date) => new Date(v)),
      ticketNumber: ticket.number,
      priority: ticket.priority,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(conversations)
    .leftJoinLateral(ticket, sql`true`)
    .where(eq(conversations.status, 'waiting_human'))
    .orderBy(asc(waitingSince), asc(conversations.id))
    .limit(limit);
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _total, ...item }) => item) };
}
