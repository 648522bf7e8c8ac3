import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conversations, supportTickets } from '../schema.js';
import { keyset, pageOf } from './pagination.js';

export type Conversation = typeof conversations.$inferSelect;
export type ConversationStatus = Conversation['status'];

/** Opens a conversation, owned by a signed-in user or by whoever holds its conversation token. */
export async function createConversation(db: Db, values: { id?: string; userId?: string | null; customerId?: string | null; channel?: string; subject?: string | null }): Promise<Conversation> {
  const insert = db
    .insert(conversations)
    .values({ id: values.id, userId: values.userId ?? null, customerId: values.customerId ?? null, channel: values.channel ?? 'api', subject: values.subject ?? null });
  if (!values.id) return (await insert.returning())[0]!;
  // A given id is created once: a retry of the request that created it gets the same row.
  const [row] = await insert.onConflictDoNothing({ target: conversations.id }).returning();
  return row ?? (await getConversation(db, values.id))!;
}

/** A conversation by id. */
export async function getConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id)).limit(1);
  return row;
}

/** Conversations newest first, one page; `userId` limits them to one owner (staff pass none). */
export async function listConversations(db: Db, opts: { userId?: string; status?: ConversationStatus; limit: number; cursor?: string }): Promise<{ items: Conversation[]; nextCursor: string | null }> {
  const page = keyset(conversations, opts.cursor);
  const conds = [opts.userId ? eq(conversations.userId, opts.userId) : undefined, opts.status ? eq(conversations.status, opts.status) : undefined, page.after].filter((c) => c !== undefined);
  const rows = await db
    .select()
    .from(conversations)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(...page.orderBy)
    .limit(opts.limit + 1);
  return pageOf(rows, opts.limit);
}

/** Changes a conversation's status (and handoff reason), touching updated_at. */
export async function setConversationStatus(
  db: Db,
  id: string,
  status: ConversationStatus,
  extra: { handoffReason?: string | null; assignedTo?: string | null } = {},
): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ status, ...extra, updatedAt: sql`now()` })
    .where(eq(conversations.id, id))
    .returning();
  return row;
}

/** Marks a conversation as just active (updated_at), so recency lists and metrics see it. */
export async function touchConversation(db: Db, id: string): Promise<void> {
  await db.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, id));
}

/**
 * Gives an anonymous conversation (no user yet) to a signed-in user and their customer record, with
 * the tickets it opened without a customer; undefined when it already has a user (nobody takes over
 * another's conversation, however they got its id).
 */
export async function linkConversationToUser(db: Db, id: string, owner: { userId: string; customerId: string | null }): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ userId: owner.userId, customerId: owner.customerId, updatedAt: sql`now()` })
    .where(and(eq(conversations.id, id), isNull(conversations.userId), isNull(conversations.customerId)))
    .returning();
  if (row && owner.customerId) {
    await db
      .update(supportTickets)
      .set({ customerId: owner.customerId })
      .where(and(eq(supportTickets.conversationId, id), isNull(supportTickets.customerId)));
  }
  return row;
}

/** Marks a conversation a person has (waiting for or held by one) as resolved; undefined when it is not with a person. */
export async function resolveHeldConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ status: 'resolved', endedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(conversations.id, id), inArray(conversations.status, ['waiting_human', 'human'])))
    .returning();
  return row;
}
