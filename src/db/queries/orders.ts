import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { orders } from '../schema.js';

export type Order = typeof orders.$inferSelect;

/** A customer's orders, newest first. */
export function listOrders(db: Db, customerId: string, opts: { limit?: number } = {}): Promise<Order[]> {
  return db
    .select()
    .from(orders)
    .where(eq(orders.customerId, customerId))
    .orderBy(desc(orders.createdAt))
    .limit(Math.min(opts.limit ?? 20, 100));
}

/** One of a customer's orders by its number; another customer's order is simply not found. */
export async function getOrderByNumber(db: Db, customerId: string, orderNumber: string): Promise<Order | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.customerId, customerId), eq(orders.orderNumber, orderNumber.toUpperCase())))
    .limit(1);
  return row;
}
