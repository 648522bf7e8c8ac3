import { sql } from 'drizzle-orm';
import { boolean, check, customType, date, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid, vector } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

/**
 * The dimensions the migrations create the embedding column with. A deployment that
 * configures other EMBEDDING_DIMENSIONS has the column retyped at start (see db/embedding-dimensions.ts).
 */
export const DEFAULT_EMBEDDING_DIMENSIONS = 384;

// Millisecond precision: JavaScript dates round-trip exactly, so (created_at, id) cursors are exact.
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow();

export const userRole = pgEnum('user_role', ['customer', 'agent', 'admin']);
export const subscriptionStatus = pgEnum('subscription_status', ['trialing', 'active', 'past_due', 'canceled']);
export const invoiceStatus = pgEnum('invoice_status', ['draft', 'open', 'paid', 'overdue', 'void']);
export const orderStatus = pgEnum('order_status', ['pending', 'processing', 'shipped', 'delivered', 'canceled', 'returned']);
export const ticketStatus = pgEnum('ticket_status', ['open', 'pending', 'resolved', 'closed']);
export const ticketPriority = pgEnum('ticket_priority', ['low', 'normal', 'high', 'urgent']);
export const conversationStatus = pgEnum('conversation_status', ['active', 'waiting_human', 'human', 'resolved', 'closed']);
export const messageRole = pgEnum('message_role', ['user', 'assistant', 'staff', 'system']);
/** How a conversation ended: answered by the AI, handed to a human, or left without an answer. */
export const conversationOutcome = pgEnum('conversation_outcome', ['resolved', 'handed_off', 'abandoned']);
/** Where a knowledge document is in chunking + embedding. */
export const ingestStatus = pgEnum('ingest_status', ['pending', 'ready', 'failed']);
/** Who must say yes before an account action runs: nobody (auto), the customer (confirm), or staff after the customer (approve). */
export const actionRisk = pgEnum('action_risk', ['auto', 'confirm', 'approve']);
/**
 * Where an account action is: proposed and waiting for the customer (pending), confirmed and waiting
 * for staff (confirmed, approve tier only), approved, refused by staff (rejected) or the customer
 * (declined), not decided in time (expired), carried out (completed) or refused at execution (failed).
 */
export const actionStatus = pgEnum('action_status', ['pending', 'confirmed', 'approved', 'rejected', 'declined', 'expired', 'completed', 'failed']);
/** What an account record change was: money back to the payment method, or account credit. */
export const refundKind = pgEnum('refund_kind', ['refund', 'credit']);

export const customers = pgTable(
  'customers',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    company: text('company'),
    phone: text('phone'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('customers_email_uq').on(t.email), index('customers_active_created_idx').on(t.isActive, t.createdAt)],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull().default('customer'),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_customer_idx').on(t.customerId)],
);

/** A change of plan or seats that takes effect at the next renewal (downgrades and removed seats). */
export interface ScheduledChange {
  plan: string;
  seats: number;
  price_cents: number;
  /** The renewal date (yyyy-mm-dd) it takes effect on. */
  effective_on: string;
}

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    plan: text('plan').notNull(),
    status: subscriptionStatus('status').notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    billingCycle: text('billing_cycle').notNull().default('monthly'),
    seats: integer('seats').notNull().default(1),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    renewsOn: date('renews_on', { mode: 'string' }),
    scheduledChange: jsonb('scheduled_change').$type<ScheduledChange>(),
    createdAt: createdAt(),
  },
  (t) => [index('subscriptions_customer_status_idx').on(t.customerId, t.status), index('subscriptions_status_end_idx').on(t.status, t.endDate)],
);

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'set null' }),
    invoiceNumber: text('invoice_number').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    status: invoiceStatus('status').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true, mode: 'date', precision: 3 }),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.invoiceNumber),
    index('invoices_customer_status_idx').on(t.customerId, t.status),
    index('invoices_status_due_idx').on(t.status, t.dueDate),
    index('invoices_customer_issued_idx').on(t.customerId, t.issuedOn),
    index('invoices_subscription_idx').on(t.subscriptionId),
  ],
);

/** Where an order ships to. */
export interface ShippingAddress {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

/** One line of an order, kept with the order (orders are read whole). */
export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  unit_price_cents: number;
}

export const orders = pgTable(
  'orders',
  {
    id: id(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    orderNumber: text('order_number').notNull(),
    status: orderStatus('status').notNull(),
    items: jsonb('items').$type<OrderItem[]>().notNull(),
    totalCents: integer('total_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>(),
    shippedAt: timestamp('shipped_at', { withTimezone: true, mode: 'date', precision: 3 }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date', precision: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('orders_number_uq').on(t.orderNumber), index('orders_customer_created_idx').on(t.customerId, t.createdAt), index('orders_status_created_idx').on(t.status, t.createdAt)],
);

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    status: conversationStatus('status').notNull().default('active'),
    channel: text('channel').notNull().default('api'),
    subject: text('subject'),
    summary: text('summary'),
    handoffReason: text('handoff_reason'),
    assignedTo: uuid('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    /** Set once: at the handoff, or when an idle conversation is closed by the summaries job. */
    outcome: conversationOutcome('outcome'),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date', precision: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversations_customer_status_idx').on(t.customerId, t.status),
    index('conversations_outcome_created_idx').on(t.outcome, t.createdAt),
    index('conversations_status_created_idx').on(t.status, t.createdAt),
    index('conversations_updated_idx').on(t.updatedAt),
    index('conversations_user_idx').on(t.userId),
    index('conversations_assigned_idx').on(t.assignedTo),
  ],
);

/** A passage the assistant's answer rests on. */
export interface Citation {
  document_id: string;
  chunk_id: string;
  title: string;
  slug: string;
  snippet: string;
  score: number;
}

/** A tool the agent called while answering, with what it returned (summarised). */
export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  status: 'ok' | 'error' | 'not_found';
  result?: unknown;
  duration_ms: number;
}

/** What an assistant message waits for from the customer's next one: an answer to the offer of a person, or an email address. */
export type MessageFollowUp = { kind: 'handoff_offer' } | { kind: 'ask_email'; reason: string; attempt: number };

export interface MessageUsage {
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number;
}

export const messages = pgTable(
  'messages',
  {
    // UUIDv7: time-ordered and monotonic within a process, so (created_at, id) keeps a reply after
    // the message it answers even when both land in the same millisecond.
    id: uuid('id')
      .primaryKey()
      .defaultRandom()
      .$defaultFn(() => uuidv7()),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: messageRole('role').notNull(),
    content: text('content').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    clientId: text('client_id'),
    replyTo: uuid('reply_to'),
    agent: text('agent'),
    route: text('route'),
    confidence: real('confidence'),
    engine: text('engine'),
    citations: jsonb('citations').$type<Citation[]>().notNull().default([]),
    toolCalls: jsonb('tool_calls').$type<ToolCallRecord[]>().notNull().default([]),
    usage: jsonb('usage').$type<MessageUsage>(),
    /** The account action this assistant message proposes, with its current status (updated with the action). */
    pendingAction: jsonb('pending_action').$type<PendingActionView>(),
    /** Answers the customer can pick with one click (shown as buttons; each sends its text). */
    quickReplies: jsonb('quick_replies').$type<string[]>().notNull().default([]),
    followUp: jsonb('follow_up').$type<MessageFollowUp>(),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_conversation_created_idx').on(t.conversationId, t.createdAt),
    index('messages_role_created_idx').on(t.role, t.createdAt),
    index('messages_author_idx').on(t.authorId),
    index('messages_reply_to_idx').on(t.replyTo),
    uniqueIndex('messages_conversation_client_uq').on(t.conversationId, t.clientId),
    // One assistant reply per customer message, whoever runs the turn (a retry, a second process).
    uniqueIndex('messages_one_reply_uq').on(t.replyTo).where(sql`role = 'assistant'`),
  ],
);

export const supportTickets = pgTable(
  'support_tickets',
  {
    id: id(),
    ticketNumber: text('ticket_number').notNull().default(sql`'TCK-' || lpad(nextval('support_ticket_number_seq')::text, 6, '0')`),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    summary: text('summary').notNull(),
    reason: text('reason').notNull().default('customer_request'),
    /** Where the team can reach an anonymous visitor (the address they gave before the ticket opened). */
    contactEmail: text('contact_email'),
    priority: ticketPriority('priority').notNull().default('normal'),
    status: ticketStatus('status').notNull().default('open'),
    assignedTo: uuid('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('support_tickets_number_uq').on(t.ticketNumber),
    index('support_tickets_customer_status_idx').on(t.customerId, t.status),
    index('support_tickets_priority_status_idx').on(t.priority, t.status),
    index('support_tickets_status_created_idx').on(t.status, t.createdAt),
    index('support_tickets_conversation_idx').on(t.conversationId),
    index('support_tickets_assigned_idx').on(t.assignedTo),
  ],
);

export const knowledgeDocuments = pgTable(
  'knowledge_documents',
  {
    id: id(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    category: text('category').notNull(),
    content: text('content').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    /** Chunking + embedding runs as a job after every write; `ready` once the passages are searchable. */
    ingestStatus: ingestStatus('ingest_status').notNull().default('ready'),
    ingestError: text('ingest_error'),
    ingestedAt: timestamp('ingested_at', { withTimezone: true, mode: 'date', precision: 3 }),
    /** Passages the last ingestion embedded anew; the others kept the embedding of an identical passage. */
    lastEmbedded: integer('last_embedded'),
    /** Where the document came from: written in the console, an imported file, or a web page (re-synced from `sourceUrl`). */
    sourceType: text('source_type').notNull().default('manual'),
    /** The file name of an imported file, or the address of an imported page. */
    sourceName: text('source_name'),
    sourceUrl: text('source_url'),
    /** When the page was last fetched for a re-sync. */
    syncedAt: timestamp('synced_at', { withTimezone: true, mode: 'date', precision: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('knowledge_documents_slug_uq').on(t.slug),
    index('knowledge_documents_category_active_idx').on(t.category, t.isActive),
    index('knowledge_documents_active_created_idx').on(t.isActive, t.createdAt),
  ],
);

/**
 * The HNSW index of the knowledge embeddings. ef_construction 128 (pgvector's default is 64): at 64
 * a few clusters of 100k clustered vectors were islands the search never reached (recall@10 0.977 at
 * any ef_search up to 100); at 128 recall@10 is 0.99+ at the default ef_search of 40 (see
 * docs/benchmarks.md, vector). The bench builds its index with the same options.
 */
export const HNSW_INDEX_OPTIONS = { m: 16, ef_construction: 128 } as const;

export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: id(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    chunkIndex: integer('chunk_index').notNull(),
    heading: text('heading').notNull().default(''),
    content: text('content').notNull(),
    embedding: vector('embedding', { dimensions: DEFAULT_EMBEDDING_DIMENSIONS }),
    // What made the passage and its vector (the embedder's model id and the chunking recipe, see
    // knowledge/ingest.ts passageVersion): a passage of another version is re-made at start.
    indexedWith: text('indexed_with'),
    // Full-text weights: the passage's own section heading A, its article's title C, the text D. A
    // heading is "Title — Section" (an introduction's is the title alone, so there the title is A):
    // every section of an article carries its title, which must not outweigh the section's own name.
    tsv: tsvector('tsv')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english', regexp_replace(heading, '^.* — ', '')), 'A') || setweight(to_tsvector('english', CASE WHEN heading LIKE '% — %' THEN regexp_replace(heading, ' — [^—]*$', '') ELSE '' END), 'C') || to_tsvector('english', content)`,
      ),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('knowledge_chunks_document_chunk_uq').on(t.documentId, t.chunkIndex),
    index('knowledge_chunks_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')).with(HNSW_INDEX_OPTIONS),
    index('knowledge_chunks_tsv_gin_idx').using('gin', t.tsv),
  ],
);

export const llmUsage = pgTable(
  'llm_usage',
  {
    id: id(),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    agent: text('agent').notNull(),
    status: text('status').notNull().default('ok'),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cachedTokens: integer('cached_tokens').notNull().default(0),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6, mode: 'number' }).notNull().default(0),
    latencyMs: integer('latency_ms').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('llm_usage_created_idx').on(t.createdAt),
    index('llm_usage_model_created_idx').on(t.model, t.createdAt),
    index('llm_usage_conversation_idx').on(t.conversationId),
    index('llm_usage_message_idx').on(t.messageId),
    index('llm_usage_customer_created_idx').on(t.customerId, t.createdAt),
  ],
);

/** A customer's satisfaction rating of a conversation (CSAT); one per conversation, the latest wins. */
export const conversationFeedback = pgTable(
  'conversation_feedback',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    rating: smallint('rating').notNull(),
    comment: text('comment'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('conversation_feedback_conversation_uq').on(t.conversationId),
    index('conversation_feedback_user_idx').on(t.userId),
    index('conversation_feedback_created_idx').on(t.createdAt),
    check('conversation_feedback_rating_range', sql`${t.rating} BETWEEN 1 AND 5`),
  ],
);

/** Daily roll-up of llm_usage (the usage-rollups job keeps it), for long-range reporting after raw rows age out. */
export const llmUsageDaily = pgTable(
  'llm_usage_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    model: text('model').notNull(),
    agent: text('agent').notNull(),
    requests: integer('requests').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cachedTokens: integer('cached_tokens').notNull().default(0),
    costUsd: numeric('cost_usd', { precision: 14, scale: 6, mode: 'number' }).notNull().default(0),
    conversations: integer('conversations').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.day, t.model, t.agent] })],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date', precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date', precision: 3 }),
    // The pair this token was exchanged for, sealed with a key derived from this token (which is not
    // stored), so a concurrent refresh with it inside REFRESH_REUSE_GRACE_SECONDS gets the same pair.
    // Cleared when the family is revoked and once the grace window is long past.
    successor: text('successor'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_uq').on(t.tokenHash), index('refresh_tokens_user_idx').on(t.userId), index('refresh_tokens_family_idx').on(t.familyId)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status').notNull().default('in_progress'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    // The request running under the key (a lease): who holds it, and until when unless renewed by its heartbeat.
    holder: uuid('holder'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, mode: 'date', precision: 3 }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);

/** A staff member's private note on a conversation: staff routes only, never shown to the customer. */
export const conversationNotes = pgTable(
  'conversation_notes',
  {
    // UUIDv7 like messages: notes written in the same millisecond keep their order.
    id: uuid('id')
      .primaryKey()
      .defaultRandom()
      .$defaultFn(() => uuidv7()),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('conversation_notes_conversation_created_idx').on(t.conversationId, t.createdAt), index('conversation_notes_author_idx').on(t.authorId)],
);

/** A saved reply staff insert with "/" in the console; `{{customer.name}}`-style placeholders are filled per conversation. */
export const cannedReplies = pgTable(
  'canned_replies',
  {
    id: id(),
    /** What the picker matches after "/" (lower-case letters, digits and dashes), unique. */
    shortcut: text('shortcut').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('canned_replies_shortcut_uq').on(t.shortcut), index('canned_replies_created_by_idx').on(t.createdBy)],
);

/** An action as an assistant message carries it (`pending_action`), kept current with the action's status. */
export interface PendingActionView {
  id: string;
  type: string;
  summary: string;
  arguments: Record<string, unknown>;
  risk: 'auto' | 'confirm' | 'approve';
  status: (typeof actionStatus.enumValues)[number];
  expires_at: string;
  /** The money it moves as quoted (refund, credit, charge), for the chat to write in the customer's locale; absent in snapshots stored before it was added. */
  amount?: { cents: number; currency: string } | null;
}

/**
 * A write to a customer's records proposed by the account agent. Nothing changes until the customer
 * (and for the approve tier, staff) decides; it runs at most once (a conditional update on status).
 */
export const accountActions = pgTable(
  'account_actions',
  {
    id: id(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    // The assistant message that proposes it; stored after the proposal, so no foreign key.
    messageId: uuid('message_id').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    arguments: jsonb('arguments').$type<Record<string, unknown>>().notNull(),
    summary: text('summary').notNull(),
    risk: actionRisk('risk').notNull(),
    /** The money the action moves (refund, credit or charge) as quoted when proposed; null when none. */
    amountCents: integer('amount_cents'),
    currency: text('currency'),
    status: actionStatus('status').notNull().default('pending'),
    /** The customer must decide before this. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull(),
    /** The customer's confirm or decline. */
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date', precision: 3 }),
    /** The staff member's approve or reject (approve tier). */
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date', precision: 3 }),
    approvalNote: text('approval_note'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('account_actions_conversation_created_idx').on(t.conversationId, t.createdAt),
    index('account_actions_customer_created_idx').on(t.customerId, t.createdAt),
    index('account_actions_status_created_idx').on(t.status, t.createdAt),
    // One proposal per assistant message (parallel tool calls of one step cannot both propose).
    uniqueIndex('account_actions_message_uq').on(t.messageId),
    index('account_actions_decided_by_idx').on(t.decidedBy),
    index('account_actions_approved_by_idx').on(t.approvedBy),
  ],
);

/** Money given back: a refund to the payment method or account credit, each a row of its own. */
export const refunds = pgTable(
  'refunds',
  {
    id: id(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'set null' }),
    actionId: uuid('action_id').references(() => accountActions.id, { onDelete: 'set null' }),
    kind: refundKind('kind').notNull().default('refund'),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    reason: text('reason').notNull(),
    /** The return authorisation for a hardware return (RMA-NNNNNNNN). */
    rmaNumber: text('rma_number'),
    status: text('status').notNull().default('issued'),
    createdAt: createdAt(),
  },
  (t) => [
    index('refunds_customer_created_idx').on(t.customerId, t.createdAt),
    index('refunds_order_idx').on(t.orderId),
    index('refunds_subscription_idx').on(t.subscriptionId),
    uniqueIndex('refunds_action_uq').on(t.actionId),
    check('refunds_amount_positive', sql`${t.amountCents} > 0`),
  ],
);

/** Who did what to which record, when, and what it changed: one row per decided account action. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    /** 'customer', 'staff' or 'system'. */
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** The action type (cancel_order, ...). */
    action: text('action').notNull(),
    actionId: uuid('action_id').references(() => accountActions.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    arguments: jsonb('arguments').$type<Record<string, unknown>>().notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    messageId: uuid('message_id'),
    approverId: uuid('approver_id').references(() => users.id, { onDelete: 'set null' }),
    /** completed, failed, rejected, declined or expired. */
    outcome: text('outcome').notNull(),
    result: jsonb('result'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_created_idx').on(t.createdAt),
    index('audit_log_action_idx').on(t.actionId),
    index('audit_log_customer_created_idx').on(t.customerId, t.createdAt),
    index('audit_log_conversation_idx').on(t.conversationId),
    index('audit_log_actor_idx').on(t.actorId),
    index('audit_log_approver_idx').on(t.approverId),
  ],
);
