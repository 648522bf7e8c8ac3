import { and, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { messages, users } from '../schema.js';
import { keyset, pageOf } from './pagination.js';

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
/** A message with the name of the staff member who wrote it (staff replies; null for everyone else). */
export type AuthoredMessage = Message & { authorName?: string | null };

/** Stores one message. */
export async function insertMessage(db: Db, values: NewMessage): Promise<Message> {
  const [row] = await db.insert(messages).values(values).returning();
  return row!;
}

/** A conversation's messages, oldest first, one page. */
export async function listMessages(db: Db, conversationId: string, opts: { limit: number; cursor?: string }): Promise<{ items: Message[]; nextCursor: string | null }> {
  const page = keyset(messages, opts.cursor, 'oldest');
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), page.after))
    .orderBy(...page.orderBy)
    .limit(opts.limit + 1);
  return pageOf(rows, opts.limit);
}

/** The last `limit` messages of a conversation in chronological order (the agents' memory), in one query. */
export async function recentMessages(db: Db, conversationId: string, limit: number): Promise<Message[]> {
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(desc(messages.createdAt), desc(messages.id)).limit(limit);
  return rows.reverse();
}

/** A message by id within its conversation. */
export async function getMessage(db: Db, conversationId: string, id: string): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.id, id)))
    .limit(1);
  return row;
}

/**
 * Stores a message once per (conversation, client_id): a repeat with the same client_id returns
 * the message already stored (`created: false`) instead of a duplicate.
 */
export async function insertMessageOnce(db: Db, values: NewMessage & { clientId: string }): Promise<{ message: Message; created: boolean }> {
  const [row] = await db
    .insert(messages)
    .values(values)
    .onConflictDoNothing({ target: [messages.conversationId, messages.clientId] })
    .returning();
  if (row) return { message: row, created: true };
  const [existing] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, values.conversationId), eq(messages.clientId, values.clientId)))
    .limit(1);
  return { message: existing!, created: false };
}

/** The assistant's reply to a customer message, if one was stored. */
export async function getReply(db: Db, userMessageId: string): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.replyTo, userMessageId), eq(messages.role, 'assistant')))
    .limit(1);
  return row;
}

/**
 * Stores the assistant's reply to a customer message once: when another run of the same turn (a
 * retry whose first attempt lived on) stored one first, that one is returned (`created: false`).
 */
export async function insertReplyOnce(db: Db, values: NewMessage & { replyTo: string }): Promise<{ message: Message; created: boolean }> {
  const [row] = await db
    .insert(messages)
    .values({ ...values, role: 'assistant' })
    .onConflictDoNothing({ target: messages.replyTo, where: sql`role = 'assistant'` })
    .returning();
  if (row) return { message: row, created: true };
  return { message: (await getReply(db, values.replyTo))!, created: false };
}

/** True when an assistant or staff message came after this message in its conversation. */
export async function hasAnswerAfter(db: Db, m: Message): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, m.conversationId),
        or(eq(messages.role, 'assistant'), eq(messages.role, 'staff')),
        or(gt(messages.createdAt, m.createdAt), and(eq(messages.createdAt, m.createdAt), gt(messages.id, m.id))),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The messages with their staff authors' names, so a reloaded chat still says who replied (one query, none without staff replies). */
export async function withAuthorNames(db: Db, rows: Message[]): Promise<AuthoredMessage[]> {
  const ids = [...new Set(rows.flatMap((m) => (m.role === 'staff' && m.authorId ? [m.authorId] : [])))];
  if (!ids.length) return rows;
  const names = new Map((await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name]));
  return rows.map((m) => (m.role === 'staff' && m.authorId ? { ...m, authorName: names.get(m.authorId) ?? null } : m));
}
