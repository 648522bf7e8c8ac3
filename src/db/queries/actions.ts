import { and, desc, eq, gt, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { accountActions, auditLog, invoices, messages, orders, refunds, subscriptions, conversations, customers, type PendingActionView } from '../schema.js';
import { keyset, pageOf } from './pagination.js';

// Account actions (proposals, decisions, execution), the records they change (orders,
// subscriptions, invoices, refunds) and their audit trail. The write functions take the
// transaction the protocol runs them in, so a decision, its record change and its audit row
// commit together or not at all.

export type AccountAction = typeof accountActions.$inferSelect;
export type NewAccountAction = typeof accountActions.$inferInsert;
export type ActionStatus = AccountAction['status'];
export type AuditRow = typeof auditLog.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;

/** Stores a proposed action; undefined when its message already proposes one (one per reply). */
export async function insertAction(db: Db, values: NewAccountAction): Promise<AccountAction | undefined> {
  const [row] = await db.insert(accountActions).values(values).onConflictDoNothing({ target: accountActions.messageId }).returning();
  return row;
}

/** The action a message proposes. */
export async function getActionByMessage(db: Db, messageId: string): Promise<AccountAction | undefined> {
  const [row] = await db.select().from(accountActions).where(eq(accountActions.messageId, messageId)).limit(1);
  return row;
}

/** An action by id. */
export async function getAction(db: Db, id: string): Promise<AccountAction | undefined> {
  const [row] = await db.select().from(accountActions).where(eq(accountActions.id, id)).limit(1);
  return row;
}

/**
 * Moves an action from one of `from` to `to` if, and only if, it is still there (and, when it is
 * pending, not expired): the one statement that makes a decision happen once, whatever runs at
 * the same time. Returns the updated action, or undefined when another decision got there first.
 */
export async function claimAction(
  db: Db,
  id: string,
  from: ActionStatus[],
  to: ActionStatus,
  fields: Partial<Pick<NewAccountAction, 'decidedBy' | 'decidedAt' | 'approvedBy' | 'approvedAt' | 'approvalNote'>>,
  now: Date,
): Promise<AccountAction | undefined> {
  const [row] = await db
    .update(accountActions)
    .set({ ...fields, status: to, updatedAt: now })
    .where(
      and(
        eq(accountActions.id, id),
        inArray(accountActions.status, from),
        sql`(${accountActions.status} <> 'pending' OR ${accountActions.expiresAt} > ${now})`,
        // The proposing message must be stored: until then the customer has not seen the proposal.
        sql`EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.id} = ${accountActions.messageId})`,
      ),
    )
    .returning();
  return row;
}

/** Marks a pending action that is past its time as expired; returns it when this call did. */
export async function expireAction(db: Db, id: string, now: Date): Promise<AccountAction | undefined> {
  const [row] = await db
    .update(accountActions)
    .set({ status: 'expired', updatedAt: now })
    .where(and(eq(accountActions.id, id), eq(accountActions.status, 'pending'), sql`${accountActions.expiresAt} <= ${now}`))
    .returning();
  return row;
}

/** Records how an executed (or failed) action ended. */
export async function finishAction(db: Db, id: string, status: 'completed' | 'failed', result: Record<string, unknown>, now: Date): Promise<AccountAction> {
  const [row] = await db.update(accountActions).set({ status, result, updatedAt: now }).where(eq(accountActions.id, id)).returning();
  return row!;
}

/** Keeps the proposing message's copy of the action current (what GET of the conversation shows). */
export async function setMessageAction(db: Db, messageId: string, view: PendingActionView): Promise<void> {
  await db.update(messages).set({ pendingAction: view }).where(eq(messages.id, messageId));
}

/** A conversation's actions, oldest first. */
export function listConversationActions(db: Db, conversationId: string): Promise<AccountAction[]> {
  return db.select().from(accountActions).where(eq(accountActions.conversationId, conversationId)).orderBy(accountActions.createdAt, accountActions.id);
}

/** An action with who it is for and the order it is about, as the staff queue shows it. */
export interface QueuedAction {
  action: AccountAction;
  customer: { id: string; name: string; email: string; company: string | null };
  conversationSubject: string | null;
  order: Pick<OrderRow, 'orderNumber' | 'status' | 'items' | 'totalCents' | 'currency' | 'deliveredAt'> | null;
}

/** Actions by status (staff), newest first, one page, each with its customer and order (one query). */
export async function listActions(
  db: Db,
  opts: { statuses: ActionStatus[]; risk?: AccountAction['risk']; limit: number; cursor?: string },
): Promise<{ items: QueuedAction[]; nextCursor: string | null }> {
  const page = keyset(accountActions, opts.cursor, 'newest');
  const rows = await db
    .select({
      action: accountActions,
      customer: { id: customers.id, name: customers.name, email: customers.email, company: customers.company },
      conversationSubject: conversations.subject,
      order: {
        orderNumber: orders.orderNumber,
        status: orders.status,
        items: orders.items,
        totalCents: orders.totalCents,
        currency: orders.currency,
        deliveredAt: orders.deliveredAt,
      },
    })
    .from(accountActions)
    .innerJoin(customers, eq(customers.id, accountActions.customerId))
    .innerJoin(conversations, eq(conversations.id, accountActions.conversationId))
    // The customer's own order the action names, if it names one.
    .leftJoin(orders, and(eq(orders.customerId, accountActions.customerId), eq(orders.orderNumber, sql`${accountActions.arguments}->>'order_number'`)))
    .where(and(inArray(accountActions.status, opts.statuses), opts.risk ? eq(accountActions.risk, opts.risk) : undefined, page.after))
    .orderBy(...page.orderBy)
    .limit(opts.limit + 1);
  const { items, nextCursor } = pageOf(
    rows.map((r) => ({ ...r, createdAt: r.action.createdAt, id: r.action.id })),
    opts.limit,
  );
  return { items: items.map(({ createdAt: _c, id: _i, ...r }) => r), nextCursor };
}

/** Writes one audit row. */
export async function insertAudit(db: Db, values: typeof auditLog.$inferInsert): Promise<AuditRow> {
  const [row] = await db.insert(auditLog).values(values).returning();
  return row!;
}

/** The audit rows of an action, oldest first. */
export function listAudit(db: Db, filter: { actionId?: string; customerId?: string; limit?: number }): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(filter.actionId ? eq(auditLog.actionId, filter.actionId) : undefined, filter.customerId ? eq(auditLog.customerId, filter.customerId) : undefined))
    .orderBy(desc(auditLog.createdAt))
    .limit(Math.min(filter.limit ?? 50, 200));
}

// ---------------------------------------------------------------- the records actions change

/** One of a customer's orders by number, locked for the rest of the transaction (another customer's: undefined). */
export async function lockOrder(db: Db, customerId: string, orderNumber: string): Promise<OrderRow | undefined> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.customerId, customerId), eq(orders.orderNumber, orderNumber.toUpperCase())))
    .limit(1)
    .for('update');
  return row;
}

/** Changes an order. */
export async function updateOrder(db: Db, id: string, patch: Partial<Pick<OrderRow, 'status' | 'shippingAddress'>>, now: Date): Promise<OrderRow> {
  const [row] = await db
    .update(orders)
    .set({ ...patch, updatedAt: now })
    .where(eq(orders.id, id))
    .returning();
  return row!;
}

/** A customer's subscription that is not canceled, locked (the newest when there are several). */
export async function lockCurrentSubscription(db: Db, customerId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.customerId, customerId), inArray(subscriptions.status, ['active', 'trialing', 'past_due'])))
    .orderBy(desc(subscriptions.startDate))
    .limit(1)
    .for('update');
  return row;
}

/** Changes a subscription. */
export async function updateSubscription(db: Db, id: string, patch: Partial<Pick<SubscriptionRow, 'plan' | 'seats' | 'priceCents' | 'scheduledChange'>>): Promise<SubscriptionRow> {
  const [row] = await db.update(subscriptions).set(patch).where(eq(subscriptions.id, id)).returning();
  return row!;
}

/** Money given back for an order (refunds and credits), for the policy: an order is refunded once. */
export function refundsForOrder(db: Db, orderId: string): Promise<Refund[]> {
  return db.select().from(refunds).where(eq(refunds.orderId, orderId));
}

/** Stores a refund or credit. */
export async function insertRefund(db: Db, values: typeof refunds.$inferInsert): Promise<Refund> {
  const [row] = await db.insert(refunds).values(values).returning();
  return row!;
}

/**
 * Issues an invoice with the next number in the global INV-YYYY-NNNNN series (its unique index
 * refuses a number taken at the same moment; the caller's transaction then fails and nothing half-happens).
 */
export async function insertNextInvoice(db: Db, values: Omit<typeof invoices.$inferInsert, 'invoiceNumber'> & { issuedOn: string }): Promise<typeof invoices.$inferSelect> {
  const [last] = await db
    .select({ n: sql<number>`max(substring(${invoices.invoiceNumber} from 10)::int)` })
    .from(invoices)
    .where(like(invoices.invoiceNumber, 'INV-____-%'));
  const next = (Number(last?.n) || 0) + 1;
  const invoiceNumber = `INV-${values.issuedOn.slice(0, 4)}-${String(next).padStart(5, '0')}`;
  const [row] = await db
    .insert(invoices)
    .values({ ...values, invoiceNumber })
    .returning();
  return row!;
}

/** One of a customer's invoices by number, locked for the rest of the transaction (another customer's: undefined). */
export async function lockInvoice(db: Db, customerId: string, invoiceNumber: string): Promise<typeof invoices.$inferSelect | undefined> {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.customerId, customerId), eq(invoices.invoiceNumber, invoiceNumber.toUpperCase())))
    .limit(1)
    .for('update');
  return row;
}

/** The customer's completed actions of a type since a time, newest first (for the auto tier's rate limits). */
export function recentCompletedActions(db: Db, customerId: string, type: string, since: Date): Promise<AccountAction[]> {
  return db
    .select()
    .from(accountActions)
    .where(and(eq(accountActions.customerId, customerId), eq(accountActions.type, type), eq(accountActions.status, 'completed'), gt(accountActions.createdAt, since)))
    .orderBy(desc(accountActions.createdAt))
    .limit(50);
}
