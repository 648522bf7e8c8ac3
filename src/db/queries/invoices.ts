import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { invoices } from '../schema.js';

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceStatus = Invoice['status'];

/** A customer's invoices, latest first, optionally of one status. */
export function listInvoices(db: Db, customerId: string, opts: { limit?: number; status?: InvoiceStatus } = {}): Promise<Invoice[]> {
  const where = opts.status ? and(eq(invoices.customerId, customerId), eq(invoices.status, opts.status)) : eq(invoices.customerId, customerId);
  return db
    .select()
    .from(invoices)
    .where(where)
    .orderBy(desc(invoices.issuedOn), desc(invoices.invoiceNumber))
    .limit(Math.min(opts.limit ?? 20, 100));
}

/** One of a customer's invoices by its number; another customer's invoice is simply not found. */
export async function getInvoiceByNumber(db: Db, customerId: string, invoiceNumber: string): Promise<Invoice | undefined> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.customerId, customerId), eq(invoices.invoiceNumber, invoiceNumber.toUpperCase())))
    .limit(1);
  return row;
}
