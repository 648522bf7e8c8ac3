import { and, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { queryRows, type Db } from '../client.js';
import { conversations, messages, users } from '../schema.js';
import type { Conversation } from './conversations.js';
import { rowFromJson } from './json-row.js';
import { keyset, pageOf } from './pagination.js';

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
/** A message with the name of the staff member who wrote it (staff replies; null for everyone else). */
export type AuthoredMessage = Message & { authorName?: string | null };

/** Stores one message. */
export async function insertMessage(db: Db, values: NewMessage): Promise<Message> {
  const [row] = await db.insert(messages).values(values).returning();
  return row!;
}

/** A conversation's messages, oldest first, one page. */
export async function listMessages(db: Db, conversationId: string, opts: { limit: number; cursor?: string }): Promise<{ items: Message[]; nextCursor: string | null }> {
  const page = keyset(messages, opts.cursor, 'oldest');
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), page.after))
    .orderBy(...page.orderBy)
    .limit(opts.limit + 1);
  return pageOf(rows, opts.limit);
}

/** The last `limit` messages of a conversation in chronological order (the agents' memory), in one query. */
export async function recentMessages(db: Db, conversationId: string, limit: number): Promise<Message[]> {
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(desc(messages.createdAt), desc(messages.id)).limit(limit);
  return rows.reverse();
}

/** A message by id within its conversation. */
export async function getMessage(db: Db, conversationId: string, id: string): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.id, id)))
    .limit(1);
  return row;
}

/**
 * Stores a message once per (conversation, client_id): a repeat with the same client_id returns
 * the message already stored (`created: false`) instead of a duplicate.
 */
export async function insertMessageOnce(db: Db, values: NewMessage & { clientId: string }): Promise<{ message: Message; created: boolean }> {
  const [row] = await db
    .insert(messages)
    .values(values)
    .onConflictDoNothing({ target: [messages.conversationId, messages.clientId] })
    .returning();
  if (row) return { message: row, created: true };
  const [existing] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, values.conversationId), eq(messages.clientId, values.clientId)))
    .limit(1);
  return { message: existing!, created: false };
}

/** The assistant's reply to a customer message, if one was stored. */
export async function getReply(db: Db, userMessageId: string): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.replyTo, userMessageId), eq(messages.role, 'assistant')))
    .limit(1);
  return row;
}

/**
 * Stores the assistant's reply to a customer message once: when another run of the same turn (a
 * retry whose first attempt lived on) stored one first, that one is returned (`created: false`).
 */
export async function insertReplyOnce(db: Db, values: NewMessage & { replyTo: string }): Promise<{ message: Message; created: boolean }> {
  const [row] = await db
    .insert(messages)
    .values({ ...values, role: 'assistant' })
    .onConflictDoNothing({ target: messages.replyTo, where: sql`role = 'assistant'` })
    .returning();
  if (row) return { message: row, created: true };
  return { message: (await getReply(db, values.replyTo))!, created: false };
}

/** True when an assistant or staff message came after this message in its conversation. */
export async function hasAnswerAfter(db: Db, m: Message): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, m.conversationId),
        or(eq(messages.role, 'assistant'), eq(messages.role, 'staff')),
        or(gt(messages.createdAt, m.createdAt), and(eq(messages.createdAt, m.createdAt), gt(messages.id, m.id))),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The messages with their staff authors' names, so a reloaded chat still says who replied (one query, none without staff replies). */
export async function withAuthorNames(db: Db, rows: Message[]): Promise<AuthoredMessage[]> {
  const ids = [...new Set(rows.flatMap((m) => (m.role === 'staff' && m.authorId ? [m.authorId] : [])))];
  if (!ids.length) return rows;
  const names = new Map((await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map((u) => [u.id, u.name]));
  return rows.map((m) => (m.role === 'staff' && m.authorId ? { ...m, authorName: names.get(m.authorId) ?? null } : m));
}

/** What `acceptMessage` found and stored. */
export interface AcceptedRow {
  /** The conversation, or undefined when there is none with that id. */
  conversation: Conversation | undefined;
  /** The stored message; null when nothing was stored (not the owner, closed, or the client id already used). */
  message: Message | null;
  /** Whether the conversation had messages before this one. */
  hadMessages: boolean;
  /** The spend read for the cost budgets (null: not asked for). */
  spend: { conversation: number | null; customer: number | null };
}

/**
 * The customer's message in one statement: reads the conversation, and stores the message only when
 * the caller owns it (its signed-in user, or the conversation of a conversation token) and it is not
 * closed — once per (conversation, client_id) when a client id is given. The caller reads the
 * conversation returned to say why nothing was stored.
 */
export async function acceptMessage(
  db: Db,
  values: { conversationId: string; content: string; authorId: string | null; clientId?: string },
  owner: { userId: string | null; conversationId: string | null },
  /** The cost budgets' read for the turn, in the same statement: the conversation's spend, the customer's since `since`. */
  spend: { conversation: boolean; customerId: string | null; since: Date } = { conversation: false, customerId: null, since: new Date(0) },
): Promise<AcceptedRow> {
  const conversationSpend = spend.conversation ? sql`(SELECT coalesce(sum(cost_usd), 0)::float8 FROM llm_usage WHERE conversation_id = c.id)` : sql`NULL::float8`;
  const customerSpend = spend.customerId
    ? sql`(SELECT coalesce(sum(cost_usd), 0)::float8 FROM llm_usage WHERE customer_id = ${spend.customerId}::uuid AND created_at >= ${spend.since.toISOString()}::timestamptz)`
    : sql`NULL::float8`;
  const rows = await queryRows<{
    conversation: Record<string, unknown>;
    message: Record<string, unknown> | null;
    had_messages: boolean;
    conversation_spend: number | null;
    customer_spend: number | null;
  }>(
    db,
    sql`WITH c AS (SELECT * FROM conversations WHERE id = ${values.conversationId}),
      ins AS (
        INSERT INTO messages (id, conversation_id, role, content, author_id, client_id)
        SELECT ${uuidv7()}::uuid, c.id, 'user', ${values.content}::text, ${values.authorId}::uuid, ${values.clientId ?? null}::text FROM c
        WHERE c.status <> 'closed' AND ((c.user_id IS NOT NULL AND c.user_id = ${owner.userId}::uuid) OR c.id = ${owner.conversationId}::uuid)
        ON CONFLICT (conversation_id, client_id) DO NOTHING
        RETURNING *
      )
      SELECT row_to_json(c) AS conversation, (SELECT row_to_json(ins) FROM ins) AS message,
        EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id) AS had_messages,
        ${conversationSpend} AS conversation_spend, ${customerSpend} AS customer_spend
      FROM c`,
  );
  const row = rows[0];
  if (!row) return { conversation: undefined, message: null, hadMessages: false, spend: { conversation: null, customer: null } };
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    spend: { conversation: num(row.conversation_spend), customer: num(row.customer_spend) },
    conversation: rowFromJson(conversations, row.conversation),
    message: row.message ? rowFromJson(messages, row.message) : null,
    hadMessages: row.had_messages === true || (row.had_messages as unknown) === 't',
  };
}

/** The message a client id already stored in a conversation. */
export async function messageByClientId(db: Db, conversationId: string, clientId: string): Promise<Message | undefined> {
  const [existing] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.clientId, clientId)))
    .limit(1);
  return existing;
}
