import { and, desc, eq, or } from 'drizzle-orm';
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

/**
 * One of a customer's orders by its order number or its carrier's tracking number (customers quote
 * either); another customer's order is simply not found.
 */
export async function getOrderByNumber(db: Db, customerId: string, orderNumber: string): Promise<Order | undefined> {
  const n = orderNumber.toUpperCase();
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.customerId, customerId), or(eq(orders.orderNumber, n), eq(orders.trackingNumber, n))))
    .limit(1);
  return row;
}
