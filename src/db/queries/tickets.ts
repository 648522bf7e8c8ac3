import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { supportTickets } from '../schema.js';

export type Ticket = typeof supportTickets.$inferSelect;
export type NewTicket = typeof supportTickets.$inferInsert;
export type TicketPriority = Ticket['priority'];

/** Opens a support ticket; its number comes from a database sequence. */
export async function createTicket(db: Db, values: Omit<NewTicket, 'ticketNumber'>): Promise<Ticket> {
  const [row] = await db.insert(supportTickets).values(values).returning();
  return row!;
}

/** The tickets of one customer, newest first. */
export function listTicketsForCustomer(db: Db, customerId: string, limit = 20): Promise<Ticket[]> {
  return db
    .select()
    .from(supportTickets)
    .where(eq(supportTickets.customerId, customerId))
    .orderBy(desc(supportTickets.createdAt))
    .limit(limit);
}

/** The open ticket already raised from a conversation, if any (escalating twice does not open two). */
export async function getOpenTicketForConversation(db: Db, conversationId: string): Promise<Ticket | undefined> {
  const [row] = await db
    .select()
    .from(supportTickets)
    .where(and(eq(supportTickets.conversationId, conversationId), eq(supportTickets.status, 'open')))
    .orderBy(desc(supportTickets.createdAt))
    .limit(1);
  return row;
}
