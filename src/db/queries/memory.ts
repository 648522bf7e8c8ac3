import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { Message } from './messages.js';
import { conversations, messages } from '../schema.js';

/** The last `limit` messages (oldest first), the running summary and the message count, in one query. */
export async function readMemoryRows(db: Db, conversationId: string, limit: number): Promise<{ messages: Message[]; summary: string | null; total: number }> {
  const rows = await db
    .select({
      m: messages,
      summary: sql<string | null>`(SELECT c.summary FROM conversations c WHERE c.id = ${conversationId})`,
      total: sql<number>`(SELECT count(*) FROM messages x WHERE x.conversation_id = ${conversationId})::int`,
    })
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return { messages: rows.map((r) => r.m).reverse(), summary: rows[0]?.summary ?? null, total: Number(rows[0]?.total ?? 0) };
}

/** Up to `limit` messages before the newest `skip` (oldest first): what has left the memory window. */
export async function messagesBeforeWindow(db: Db, conversationId: string, skip: number, limit: number): Promise<Message[]> {
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(desc(messages.createdAt), desc(messages.id)).offset(skip).limit(limit);
  return rows.reverse();
}

/** Stores a conversation's running summary. */
export async function setSummary(db: Db, conversationId: string, summary: string): Promise<Date | undefined> {
  const [row] = await db.update(conversations).set({ summary, updatedAt: sql`now()` }).where(eq(conversations.id, conversationId)).returning({ updatedAt: conversations.updatedAt });
  return row?.updatedAt;
}

/**
 * Marks the conversation as just active and tells whether anyone else changed it since `seen` (its
 * updated_at when the turn began): a compare-and-set, so the memory cache is only refreshed by the
 * turn that knows the whole conversation.
 */
export async function touchIfUnchanged(db: Db, conversationId: string, seen: Date): Promise<{ updatedAt: Date; unchanged: boolean } | undefined> {
  const [same] = await db
    .update(conversations)
    .set({ updatedAt: sql`now()` })
    .where(and(eq(conversations.id, conversationId), eq(conversations.updatedAt, seen)))
    .returning({ updatedAt: conversations.updatedAt });
  if (same) return { updatedAt: same.updatedAt, unchanged: true };
  const [row] = await db.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, conversationId)).returning({ updatedAt: conversations.updatedAt });
  return row ? { updatedAt: row.updatedAt, unchanged: false } : undefined;
}
