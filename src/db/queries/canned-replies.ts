import { asc, eq, sql } from 'drizzle-orm';
import { isUniqueViolation, type Db } from '../client.js';
import { cannedReplies } from '../schema.js';

export type CannedReply = typeof cannedReplies.$inferSelect;

/** Every canned reply, by shortcut (a support team keeps tens, not thousands). */
export function listCannedReplies(db: Db, limit = 500): Promise<CannedReply[]> {
  return db.select().from(cannedReplies).orderBy(asc(cannedReplies.shortcut)).limit(limit);
}

/** Stores a canned reply; undefined when its shortcut is taken. */
export async function createCannedReply(db: Db, values: { shortcut: string; title: string; body: string; createdBy: string | null }): Promise<CannedReply | undefined> {
  const [row] = await db.insert(cannedReplies).values(values).onConflictDoNothing({ target: cannedReplies.shortcut }).returning();
  return row;
}

/**
 * Changes a canned reply. `missing` when there is none, `taken` when the new shortcut belongs to
 * another reply (the unique index decides, so two admins cannot both take it).
 */
export async function updateCannedReply(db: Db, id: string, patch: Partial<Pick<CannedReply, 'shortcut' | 'title' | 'body'>>): Promise<CannedReply | 'missing' | 'taken'> {
  try {
    const [row] = await db
      .update(cannedReplies)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(cannedReplies.id, id))
      .returning();
    return row ?? 'missing';
  } catch (err) {
    if (isUniqueViolation(err)) return 'taken';
    throw err;
  }
}

/** Deletes a canned reply; false when there was none. */
export async function deleteCannedReply(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(cannedReplies).where(eq(cannedReplies.id, id)).returning({ id: cannedReplies.id });
  return rows.length > 0;
}
