import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conversationFeedback } from '../schema.js';

export type ConversationFeedback = typeof conversationFeedback.$inferSelect;

/** Records a conversation's CSAT rating; rating again replaces the earlier one. */
export async function upsertFeedback(db: Db, values: { conversationId: string; userId: string | null; rating: number; comment: string | null }): Promise<ConversationFeedback> {
  const [row] = await db
    .insert(conversationFeedback)
    .values(values)
    .onConflictDoUpdate({
      target: conversationFeedback.conversationId,
      set: { rating: values.rating, comment: values.comment, userId: values.userId, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

/** A conversation's CSAT rating, if it was given. */
export async function getFeedback(db: Db, conversationId: string): Promise<ConversationFeedback | undefined> {
  const [row] = await db.select().from(conversationFeedback).where(eq(conversationFeedback.conversationId, conversationId)).limit(1);
  return row;
}
