import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conversations, messages } from '../schema.js';

/** How a conversation ended. */
export type Outcome = NonNullable<typeof conversations.$inferSelect.outcome>;

/**
 * Records a conversation's outcome once (the first one wins: a handoff is not later overwritten by
 * the idle sweep). Returns true when this call set it.
 */
export async function setOutcomeOnce(db: Db, conversationId: string, outcome: Outcome, extra: { summary?: string; status?: 'resolved' } = {}): Promise<boolean> {
  const rows = await db
    .update(conversations)
    .set({ outcome, endedAt: sql`now()`, ...(extra.summary !== undefined ? { summary: extra.summary } : {}), ...(extra.status ? { status: extra.status } : {}) })
    .where(and(eq(conversations.id, conversationId), isNull(conversations.outcome)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/**
 * Active conversations in which the customer wrote, with no outcome yet and no activity since
 * `before` (the idle sweep's work list; conversations opened and never used are not conversations).
 */
export async function idleConversations(db: Db, before: Date, limit: number): Promise<{ id: string }[]> {
  return db
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.status, 'active'),
        isNull(conversations.outcome),
        lt(conversations.updatedAt, before),
        sql`EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.conversationId} = ${conversations.id} AND ${messages.role} = 'user')`,
      ),
    )
    .orderBy(conversations.updatedAt)
    .limit(limit);
}

/** Conversations open now: with the AI or a human, and active within the last `minutes`. */
export async function countActiveConversations(db: Db, minutes: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(sql`${conversations.status} IN ('active', 'waiting_human', 'human')`, sql`${conversations.updatedAt} > now() - make_interval(mins => ${minutes}::int)`));
  return Number(row?.n ?? 0);
}
