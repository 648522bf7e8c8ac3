import { aliasedTable, and, desc, eq, gte, ilike, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conversations, customers, messages, supportTickets, users } from '../schema.js';
import type { Conversation, ConversationStatus } from './conversations.js';
import { keyset, pageOf } from './pagination.js';

/** A conversation as the staff console lists it: who the customer is, who holds it, its latest ticket. */
export interface StaffConversation extends Conversation {
  customerName: string | null;
  customerEmail: string | null;
  assigneeName: string | null;
  /** The customer's first message (up to 200 characters): what the conversation is about, when it has no subject. */
  firstMessage: string | null;
  ticket: { id: string; number: string; status: 'open' | 'pending' | 'resolved' | 'closed'; priority: 'low' | 'normal' | 'high' | 'urgent'; assignedTo: string | null } | null;
}

/** What staff filter the conversation list by; every filter is optional. */
export interface StaffConversationFilter {
  status?: ConversationStatus;
  /** Conversations in which an assistant answer took this route (faq, account, escalation, …). */
  route?: string;
  /** A staff user's id, or 'none' for conversations nobody holds. */
  assignedTo?: string | 'none';
  customerId?: string;
  /** Words in the subject, the customer's name or email. */
  q?: string;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
}

/** `%text%` for ILIKE with the caller's own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const assignee = aliasedTable(users, 'assignee');

function selectStaffConversations(db: Db) {
  // The conversation's latest ticket (open or not), one row per conversation through the lateral join.
  const ticket = db
    .select({
      id: supportTickets.id,
      number: supportTickets.ticketNumber,
      status: supportTickets.status,
      priority: supportTickets.priority,
      assignedTo: supportTickets.assignedTo,
    })
    .from(supportTickets)
    .where(eq(supportTickets.conversationId, conversations.id))
    .orderBy(desc(supportTickets.createdAt))
    .limit(1)
    .as('ticket');
  const first = db
    .select({ content: sql<string>`left(${messages.content}, 200)`.as('first_content') })
    .from(messages)
    .where(and(eq(messages.conversationId, conversations.id), eq(messages.role, 'user')))
    .orderBy(messages.createdAt, messages.id)
    .limit(1)
    .as('first_message');
  return db
    .select({
      conversation: conversations,
      customerName: customers.name,
      customerEmail: customers.email,
      assigneeName: assignee.name,
      firstMessage: first.content,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      ticketStatus: ticket.status,
      ticketPriority: ticket.priority,
      ticketAssignedTo: ticket.assignedTo,
    })
    .from(conversations)
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(assignee, eq(assignee.id, conversations.assignedTo))
    .leftJoinLateral(ticket, sql`true`)
    .leftJoinLateral(first, sql`true`);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectStaffConversations>['where']>>[number];

function toStaffConversation(r: Row): StaffConversation {
  return {
    ...r.conversation,
    customerName: r.customerName,
    customerEmail: r.customerEmail,
    assigneeName: r.assigneeName,
    firstMessage: r.firstMessage ?? null,
    ticket:
      r.ticketId && r.ticketNumber && r.ticketStatus && r.ticketPriority
        ? { id: r.ticketId, number: r.ticketNumber, status: r.ticketStatus, priority: r.ticketPriority, assignedTo: r.ticketAssignedTo }
        : null,
  };
}

/** One conversation for staff, with its customer, holder and latest ticket (one query). */
export async function getStaffConversation(db: Db, id: string): Promise<StaffConversation | undefined> {
  const [row] = await selectStaffConversations(db).where(eq(conversations.id, id)).limit(1);
  return row ? toStaffConversation(row) : undefined;
}

/** Conversations for the staff console, newest first, filtered, one keyset page (one query). */
export async function listStaffConversations(db: Db, filter: StaffConversationFilter & { limit: number; cursor?: string }): Promise<{ items: StaffConversation[]; nextCursor: string | null }> {
  const page = keyset(conversations, filter.cursor);
  const conds: (SQL | undefined)[] = [
    filter.status ? eq(conversations.status, filter.status) : undefined,
    filter.assignedTo === 'none' ? isNull(conversations.assignedTo) : filter.assignedTo ? eq(conversations.assignedTo, filter.assignedTo) : undefined,
    filter.customerId ? eq(conversations.customerId, filter.customerId) : undefined,
    filter.from ? gte(conversations.createdAt, filter.from) : undefined,
    filter.to ? lt(conversations.createdAt, filter.to) : undefined,
    filter.route ? sql`exists (select 1 from ${messages} where ${messages.conversationId} = ${conversations.id} and ${messages.route} = ${filter.route})` : undefined,
    filter.q ? or(ilike(conversations.subject, containsPattern(filter.q)), ilike(customers.name, containsPattern(filter.q)), ilike(customers.email, containsPattern(filter.q))) : undefined,
    page.after,
  ];
  const rows = await selectStaffConversations(db)
    .where(and(...conds))
    .orderBy(...page.orderBy)
    .limit(filter.limit + 1);
  return pageOf(rows.map(toStaffConversation), filter.limit);
}
