import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { users } from '../schema.js';

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

/** A user by email (emails are stored lower-case). */
export async function getUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

/** A user by id. */
export async function getUserById(db: Db, id: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Creates a user; the email is stored lower-case. */
export async function createUser(db: Db, user: NewUser): Promise<User> {
  const [row] = await db
    .insert(users)
    .values({ ...user, email: user.email.toLowerCase() })
    .returning();
  return row!;
}

/** The support team (agents and admins) by name: whom a ticket or conversation can be assigned to. */
export function listStaffUsers(db: Db, limit = 500): Promise<Pick<User, 'id' | 'name' | 'email' | 'role'>[]> {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(inArray(users.role, ['agent', 'admin']))
    .orderBy(asc(users.name), asc(users.id))
    .limit(limit);
}
