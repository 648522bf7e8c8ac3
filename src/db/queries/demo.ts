import { count, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { cannedReplies, customers, invoices, orders, subscriptions, supportTickets, users } from '../schema.js';

/** The demo company's rows, as src/demo builds them. */
export interface DemoCompanyRows {
  customers: (typeof customers.$inferInsert)[];
  subscriptions: (typeof subscriptions.$inferInsert)[];
  invoices: (typeof invoices.$inferInsert)[];
  orders: (typeof orders.$inferInsert)[];
  supportTickets: (typeof supportTickets.$inferInsert)[];
  users: (typeof users.$inferInsert)[];
  cannedReplies: (typeof cannedReplies.$inferInsert)[];
}

/** Whether a user with this email exists (the demo seed's marker that it already ran). */
export async function userEmailExists(db: Db, email: string): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(users).where(eq(users.email, email));
  return (existing?.n ?? 0) > 0;
}

/** Inserts the demo company's records and sign-ins in one transaction. */
export async function insertDemoCompany(db: Db, rows: DemoCompanyRows): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(customers).values(rows.customers);
    await tx.insert(subscriptions).values(rows.subscriptions);
    await tx.insert(invoices).values(rows.invoices);
    if (rows.orders.length) await tx.insert(orders).values(rows.orders);
    if (rows.supportTickets.length) await tx.insert(supportTickets).values(rows.supportTickets);
    if (rows.users.length) await tx.insert(users).values(rows.users);
    if (rows.cannedReplies.length) await tx.insert(cannedReplies).values(rows.cannedReplies);
  });
}
