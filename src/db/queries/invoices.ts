import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { invoices } from '../schema.js';

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceStatus = Invoice['status'];

/** A customer's invoices, latest first, optionally of one status and issued in a range of days (yyyy-mm-dd, end exclusive). */
export function listInvoices(db: Db, customerId: string, opts: { limit?: number; status?: InvoiceStatus; issuedFrom?: string; issuedBefore?: string } = {}): Promise<Invoice[]> {
  const conditions: SQL[] = [eq(invoices.customerId, customerId)];
  if (opts.status) conditions.push(eq(invoices.status, opts.status));
  if (opts.issuedFrom) conditions.push(gte(invoices.issuedOn, opts.issuedFrom));
  if (opts.issuedBefore) conditions.push(lt(invoices.issuedOn, opts.issuedBefore));
  return db
    .select()
    .from(invoices)
    .where(and(...conditions))
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
