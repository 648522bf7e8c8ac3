import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { customers } from '../schema.js';

export type Customer = typeof customers.$inferSelect;

/** A customer by id. */
export async function getCustomerById(db: Db, id: string): Promise<Customer | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.id, id)).limit(1);
  return row;
}

/** A customer by email (emails are stored lower-case). */
export async function getCustomerByEmail(db: Db, email: string): Promise<Customer | undefined> {
  const [row] = await db.select().from(customers).where(eq(customers.email, email.toLowerCase())).limit(1);
  return row;
}
