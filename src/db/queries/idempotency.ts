import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { idempotencyKeys } from '../schema.js';

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/** in_progress: the first request is running; completed: its response is stored; streamed: it was streamed and cannot be replayed. */
export type IdempotencyStatus = 'in_progress' | 'completed' | 'streamed';

/** The outcome of claiming a key: ours to run, or the record of whoever holds it. */
export type IdempotencyClaim = { claimed: true } | { claimed: false; record: IdempotencyRecord | undefined };

/**
 * Claims (scope, key) for a request, atomically: a new key, an expired one, or one whose first
 * request has been in progress for longer than `staleAfterSeconds` (its process died) is ours.
 * Of any number of concurrent claims exactly one succeeds; the others get the holder's record.
 */
export async function claimIdempotencyKey(
  db: Db,
  k: { scope: string; key: string; requestHash: string; ttlSeconds: number; staleAfterSeconds: number },
): Promise<IdempotencyClaim> {
  const expiresAt = sql`now() + make_interval(secs => ${k.ttlSeconds})`;
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ scope: k.scope, key: k.key, requestHash: k.requestHash, status: 'in_progress', expiresAt })
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: { requestHash: k.requestHash, status: 'in_progress', responseStatus: null, responseBody: null, createdAt: sql`now()`, expiresAt },
      setWhere: sql`${idempotencyKeys.expiresAt} <= now()
        OR (${idempotencyKeys.status} = 'in_progress' AND ${idempotencyKeys.createdAt} < now() - make_interval(secs => ${k.staleAfterSeconds}))`,
    })
    .returning({ scope: idempotencyKeys.scope });
  if (claimed.length) return { claimed: true };
  const [record] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, k.scope), eq(idempotencyKeys.key, k.key)))
    .limit(1);
  return { claimed: false, record };
}

/** Stores the response of the request that held the key, for replay. */
export async function completeIdempotencyKey(
  db: Db,
  scope: string,
  key: string,
  result: { status: IdempotencyStatus; responseStatus: number; responseBody: unknown },
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ status: result.status, responseStatus: result.responseStatus, responseBody: result.responseBody })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

/** Gives a key back (the request failed on our side), so a retry runs afresh. */
export async function releaseIdempotencyKey(db: Db, scope: string, key: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

/** Deletes up to `limit` expired keys; returns how many (housekeeping, run lazily). */
export async function deleteExpiredIdempotencyKeys(db: Db, limit = 1000): Promise<number> {
  const rows = await db
    .delete(idempotencyKeys)
    .where(
      sql`(${idempotencyKeys.scope}, ${idempotencyKeys.key}) IN (
        SELECT scope, key FROM idempotency_keys WHERE expires_at <= now() LIMIT ${limit})`,
    )
    .returning({ key: idempotencyKeys.key });
  return rows.length;
}
