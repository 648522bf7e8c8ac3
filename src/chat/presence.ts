import type { Db } from '../db/client.js';
import { listStaffUsers } from '../db/queries/users.js';
import type { Cache } from '../infra/cache.js';

// Staff presence: each open console says "online" or "away" every PRESENCE_HEARTBEAT_SECONDS; the
// entry lives PRESENCE_TTL_SECONDS in the shared cache (Redis with REDIS_URL, so every API process
// reads the same), so a console that closes or loses its network drops to "offline" by itself.

/** What a staff member says they are. */
export type PresenceStatus = 'online' | 'away';

/** How long a heartbeat counts. */
export const PRESENCE_TTL_SECONDS = 60;
/** How often the console sends one (well inside the TTL: a lost heartbeat or two is no gap). */
export const PRESENCE_HEARTBEAT_SECONDS = 20;

const keyOf = (userId: string) => `presence:${userId}`;

interface Entry {
  status: PresenceStatus;
  at: string;
}

/** Records a staff member's heartbeat. */
export async function setPresence(cache: Cache, userId: string, status: PresenceStatus, now = new Date()): Promise<void> {
  await cache.set(keyOf(userId), { status, at: now.toISOString() } satisfies Entry, PRESENCE_TTL_SECONDS);
}

/** Ends a staff member's presence at once (sign-out). */
export async function clearPresence(cache: Cache, userId: string): Promise<void> {
  await cache.del(keyOf(userId));
}

/** Every staff member with what their last heartbeat said, or offline; online first, then away, by name. */
export async function teamPresence(deps: { db: Db; cache: Cache }) {
  const staff = await listStaffUsers(deps.db);
  const entries = await Promise.all(staff.map((s) => deps.cache.get<Entry>(keyOf(s.id))));
  const rank = { online: 0, away: 1, offline: 2 } as const;
  return staff
    .map((s, i) => ({ ...s, status: entries[i]?.status ?? ('offline' as const), seenAt: entries[i]?.at ?? null }))
    .sort((a, b) => rank[a.status] - rank[b.status] || a.name.localeCompare(b.name));
}
