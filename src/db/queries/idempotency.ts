import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { idempotencyKeys } from '../schema.js';

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/** in_progress: the first request is running; completed: its response is stored; streamed: it was streamed and cannot be replayed. */
export type IdempotencyStatus = 'in_progress' | 'completed' | 'streamed';

/** The outcome of claiming a key: ours to run, or the record of whoever holds it. */
export type IdempotencyClaim = { claimed: true } | { claimed: false; record: IdempotencyRecord | undefined };

/** Who holds a key: the request's lease id. Completing, releasing and renewing act only on one's own lease. */
export interface IdempotencyLease {
  scope: string;
  key: string;
  holder: string;
}

/**
 * Claims (scope, key) for a request, atomically: a new key, an expired one, or one whose lease ran
 * out (its holder died or lost the database: nobody renewed it for `leaseSeconds`) is ours, under
 * the lease `holder`. Of any number of concurrent claims exactly one succeeds; the others get the
 * holder's record. Rows written before leases existed count as leased for five minutes after creation.
 */
export async function claimIdempotencyKey(db: Db, k: IdempotencyLease & { requestHash: string; ttlSeconds: number; leaseSeconds: number }): Promise<IdempotencyClaim> {
  const expiresAt = sql`now() + make_interval(secs => ${k.ttlSeconds})`;
  const leaseExpiresAt = sql`now() + make_interval(secs => ${k.leaseSeconds})`;
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ scope: k.scope, key: k.key, requestHash: k.requestHash, status: 'in_progress', holder: k.holder, leaseExpiresAt, expiresAt })
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: { requestHash: k.requestHash, status: 'in_progress', responseStatus: null, responseBody: null, holder: k.holder, leaseExpiresAt, createdAt: sql`now()`, expiresAt },
      setWhere: sql`${idempotencyKeys.expiresAt} <= now()
        OR (${idempotencyKeys.status} = 'in_progress'
          AND coalesce(${idempotencyKeys.leaseExpiresAt}, ${idempotencyKeys.createdAt} + interval '5 minutes') <= now())`,
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

const held = (l: IdempotencyLease) => and(eq(idempotencyKeys.scope, l.scope), eq(idempotencyKeys.key, l.key), eq(idempotencyKeys.holder, l.holder), eq(idempotencyKeys.status, 'in_progress'));

/** Extends a running request's lease (its heartbeat); false when the lease is no longer ours. */
export async function renewIdempotencyLease(db: Db, lease: IdempotencyLease, leaseSeconds: number): Promise<boolean> {
  const rows = await db
    .update(idempotencyKeys)
    .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(held(lease))
    .returning({ key: idempotencyKeys.key });
  return rows.length > 0;
}

/** Stores the response of the request that held the key, for replay. */
export async function completeIdempotencyKey(db: Db, lease: IdempotencyLease, result: { status: IdempotencyStatus; responseStatus: number; responseBody: unknown }): Promise<void> {
  await db.update(idempotencyKeys).set({ status: result.status, responseStatus: result.responseStatus, responseBody: result.responseBody, leaseExpiresAt: null }).where(held(lease));
}

/** Gives a key back (the request failed on our side), so a retry runs at once. */
export async function releaseIdempotencyKey(db: Db, lease: IdempotencyLease): Promise<void> {
  await db.delete(idempotencyKeys).where(held(lease));
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
