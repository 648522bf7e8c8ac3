import { and, eq, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { refreshTokens } from '../schema.js';

export type RefreshToken = typeof refreshTokens.$inferSelect;

/** Stores a refresh token (its hash only) in a family. */
export async function insertRefreshToken(db: Db, values: { userId: string; familyId: string; tokenHash: string; expiresAt: Date }): Promise<RefreshToken> {
  const [row] = await db.insert(refreshTokens).values(values).returning();
  return row!;
}

/**
 * Marks a live refresh token as used, atomically: of two requests presenting the same token,
 * exactly one gets the row back. Spent, revoked, expired or unknown tokens give undefined.
 */
export async function spendRefreshToken(db: Db, tokenHash: string): Promise<RefreshToken | undefined> {
  const [row] = await db
    .update(refreshTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, sql`now()`)))
    .returning();
  return row;
}

/** Records the sealed pair a spent token was exchanged for (see `successor` in the schema). */
export async function setRefreshSuccessor(db: Db, id: string, sealed: string): Promise<void> {
  await db.update(refreshTokens).set({ successor: sealed }).where(eq(refreshTokens.id, id));
}

/** A refresh token by its hash, and whether it was spent less than `graceSeconds` ago (by the database's clock). */
export async function getRefreshTokenForReplay(db: Db, tokenHash: string, graceSeconds: number): Promise<(RefreshToken & { inGrace: boolean }) | undefined> {
  const [row] = await db
    .select({ token: refreshTokens, inGrace: sql<boolean>`coalesce(${refreshTokens.usedAt} > now() - make_interval(secs => ${graceSeconds}), false)` })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  return row ? { ...row.token, inGrace: row.inGrace } : undefined;
}

/** Forgets the sealed successors of tokens spent more than `olderThanSeconds` ago (housekeeping). */
export async function clearRefreshSuccessors(db: Db, olderThanSeconds: number): Promise<number> {
  const rows = await db
    .update(refreshTokens)
    .set({ successor: null })
    .where(and(isNotNull(refreshTokens.successor), lt(refreshTokens.usedAt, sql`now() - make_interval(secs => ${olderThanSeconds})`)))
    .returning({ id: refreshTokens.id });
  return rows.length;
}

/** Revokes every token of a family; returns how many were still unrevoked. */
export async function revokeRefreshFamily(db: Db, familyId: string): Promise<number> {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()`, successor: null })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return rows.length;
}

/** True when a family (a session) has been revoked: logout or reuse detection. */
export async function isRefreshFamilyRevoked(db: Db, familyId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(and(eq(refreshTokens.familyId, familyId), isNotNull(refreshTokens.revokedAt)))
    .limit(1);
  return row !== undefined;
}

/** Of the given families (sessions), those that have been revoked: one query for a process's open sockets. */
export async function revokedRefreshFamilies(db: Db, familyIds: string[]): Promise<string[]> {
  if (familyIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(and(inArray(refreshTokens.familyId, familyIds), isNotNull(refreshTokens.revokedAt)));
  return rows.map((r) => r.familyId);
}

/** The tokens of a family, oldest first (for tests and audits). */
export function listRefreshFamily(db: Db, familyId: string): Promise<RefreshToken[]> {
  return db.select().from(refreshTokens).where(eq(refreshTokens.familyId, familyId)).orderBy(refreshTokens.createdAt);
}

/** Deletes refresh tokens that expired before `before` (housekeeping). */
export async function deleteExpiredRefreshTokens(db: Db, before: Date): Promise<number> {
  const rows = await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, before)).returning({ id: refreshTokens.id });
  return rows.length;
}
