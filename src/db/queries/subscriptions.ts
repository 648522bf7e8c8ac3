import { desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { subscriptions } from '../schema.js';

export type Subscription = typeof subscriptions.$inferSelect;

/** A customer's subscriptions, newest first. */
export function listSubscriptions(db: Db, customerId: string): Promise<Subscription[]> {
  return db.select().from(subscriptions).where(eq(subscriptions.customerId, customerId)).orderBy(desc(subscriptions.startDate));
}
