import { and, desc, eq, gte, ilike, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { customers, supportTickets } from '../schema.js';
import { keyset, pageOf } from './pagination.js';
import { containsPattern } from './staff-conversations.js';

export type Ticket = typeof supportTickets.$inferSelect;
export type NewTicket = typeof supportTickets.$inferInsert;
export type TicketPriority = Ticket['priority'];

/** Opens a support ticket; its number comes from a database sequence. */
export async function createTicket(db: Db, values: Omit<NewTicket, 'ticketNumber'>): Promise<Ticket> {
  const [row] = await db.insert(supportTickets).values(values).returning();
  return row!;
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

/** A ticket by id. */
export async function getTicket(db: Db, id: string): Promise<Ticket | undefined> {
  const [row] = await db.select().from(supportTickets).where(eq(supportTickets.id, id)).limit(1);
  return row;
}

/**
 * Tickets newest first, one page; `customerId` limits them to one customer (a customer's own, or a
 * staff filter). `assignedTo: 'none'` means unassigned; `q` matches the number, subject or the
 * customer's name or email; `from`/`to` bound the creation time [from, to).
 */
export async function listTickets(
  db: Db,
  opts: {
    customerId?: string;
    status?: Ticket['status'];
    priority?: TicketPriority;
    assignedTo?: string | 'none';
    q?: string;
    from?: Date;
    to?: Date;
    limit: number;
    cursor?: string;
  },
): Promise<{ items: Ticket[]; nextCursor: string | null }> {
  const page = keyset(supportTickets, opts.cursor);
  const pattern = opts.q ? containsPattern(opts.q) : undefined;
  const conds = [
    opts.customerId ? eq(supportTickets.customerId, opts.customerId) : undefined,
    opts.status ? eq(supportTickets.status, opts.status) : undefined,
    opts.priority ? eq(supportTickets.priority, opts.priority) : undefined,
    opts.assignedTo === 'none' ? isNull(supportTickets.assignedTo) : opts.assignedTo ? eq(supportTickets.assignedTo, opts.assignedTo) : undefined,
    opts.from ? gte(supportTickets.createdAt, opts.from) : undefined,
    opts.to ? lt(supportTickets.createdAt, opts.to) : undefined,
    pattern
      ? or(
          ilike(supportTickets.ticketNumber, pattern),
          ilike(supportTickets.subject, pattern),
          sql`exists (select 1 from ${customers} where ${customers.id} = ${supportTickets.customerId} and (${customers.name} ilike ${pattern} or ${customers.email} ilike ${pattern}))`,
        )
      : undefined,
    page.after,
  ].filter((c) => c !== undefined);
  const rows = await db
    .select()
    .from(supportTickets)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(...page.orderBy)
    .limit(opts.limit + 1);
  return pageOf(rows, opts.limit);
}

/** Changes a ticket (status, priority, assignee, subject), touching updated_at; undefined when there is none. */
export async function updateTicket(db: Db, id: string, patch: Partial<Pick<Ticket, 'status' | 'priority' | 'assignedTo' | 'subject' | 'summary'>>): Promise<Ticket | undefined> {
  const [row] = await db
    .update(supportTickets)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(supportTickets.id, id))
    .returning();
  return row;
}
