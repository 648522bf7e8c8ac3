import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conversationNotes, users } from '../schema.js';
import { keyset, pageOf } from './pagination.js';

type ConversationNote = typeof conversationNotes.$inferSelect;

/** A note with its author's name (null when the author's account is gone). */
export type NoteWithAuthor = ConversationNote & { authorName: string | null };

/** Stores a staff member's private note on a conversation, returned with the author's name. */
export async function insertNote(db: Db, values: { conversationId: string; authorId: string; body: string }): Promise<NoteWithAuthor> {
  const [row] = await db.insert(conversationNotes).values(values).returning();
  const [author] = await db.select({ name: users.name }).from(users).where(eq(users.id, values.authorId)).limit(1);
  return { ...row!, authorName: author?.name ?? null };
}

/** A conversation's private notes, oldest first, one page, each with its author's name (one query). */
export async function listNotes(db: Db, conversationId: string, opts: { limit: number; cursor?: string }): Promise<{ items: NoteWithAuthor[]; nextCursor: string | null }> {
  const page = keyset(conversationNotes, opts.cursor, 'oldest');
  const rows = await db
    .select({ note: conversationNotes, authorName: users.name })
    .from(conversationNotes)
    .leftJoin(users, eq(users.id, conversationNotes.authorId))
    .where(and(eq(conversationNotes.conversationId, conversationId), page.after))
    .orderBy(...page.orderBy)
    .limit(opts.limit + 1);
  return pageOf(
    rows.map((r) => ({ ...r.note, authorName: r.authorName })),
    opts.limit,
  );
}
