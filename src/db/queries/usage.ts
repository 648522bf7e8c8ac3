import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.js';
import { llmUsage } from '../schema.js';

/** One model call as llm_usage stores it (what the LLM layer's usage recorder hands over). */
export type NewUsageRow = Omit<typeof llmUsage.$inferInsert, 'id' | 'messageId' | 'createdAt'>;

/** Stores several usage rows (ids chosen by the caller) in one insert. */
export async function insertUsageRows(db: Db, rows: (NewUsageRow & { id: string; messageId?: string })[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(llmUsage).values(rows.map((r) => ({ ...r, latencyMs: r.latencyMs === undefined ? undefined : Math.round(r.latencyMs) })));
}

/**
 * In one round trip: what one conversation has spent (all time) and what one customer has spent
 * since `since`; each null when not asked for (the cost budgets' exact, indexed lookups).
 */
async function scopedSpend(db: Db, q: { conversationId?: string; customerId?: string; since: Date }): Promise<{ conversation: number | null; customer: number | null }> {
  const [row] = await queryRows<{ conversation: number | null; customer: number | null }>(
    db,
    sql`SELECT
          ${q.conversationId ? sql`(SELECT coalesce(sum(cost_usd), 0)::float8 FROM llm_usage WHERE conversation_id = ${q.conversationId})` : sql`NULL`} AS conversation,
          ${q.customerId ? sql`(SELECT coalesce(sum(cost_usd), 0)::float8 FROM llm_usage WHERE customer_id = ${q.customerId} AND created_at >= ${q.since.toISOString()}::timestamptz)` : sql`NULL`} AS customer`,
  );
  return {
    conversation: q.conversationId ? Number(row?.conversation ?? 0) : null,
    customer: q.customerId ? Number(row?.customer ?? 0) : null,
  };
}

/** Everyone's spend since `since`. */
async function totalSpendSince(db: Db, since: Date): Promise<number> {
  const [row] = await queryRows<{ total: number }>(db, sql`SELECT coalesce(sum(cost_usd), 0)::float8 AS total FROM llm_usage WHERE created_at >= ${since.toISOString()}::timestamptz`);
  return Number(row?.total ?? 0);
}

/** The cost budgets' view of llm_usage (what `CostBudget` reads), over this database. */
export function usageSpend(db: Db): {
  scoped(q: { conversationId?: string; customerId?: string; since: Date }): Promise<{ conversation: number | null; customer: number | null }>;
  total(since: Date): Promise<number>;
} {
  return { scoped: (q) => scopedSpend(db, q), total: (since) => totalSpendSince(db, since) };
}

/**
 * Recomputes llm_usage_daily for one UTC day (YYYY-MM-DD) from the raw rows, in one transaction;
 * returns how many roll-up rows it wrote. Idempotent.
 */
export async function rollUpUsageDay(db: Db, day: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM llm_usage_daily WHERE day = ${day}::date`);
    const result = (await tx.execute(sql`
      INSERT INTO llm_usage_daily (day, model, agent, requests, input_tokens, output_tokens, cached_tokens, cost_usd, conversations, updated_at)
      SELECT ${day}::date, model, agent, count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
             coalesce(sum(cached_tokens), 0), coalesce(sum(cost_usd), 0), count(DISTINCT conversation_id), now()
      FROM llm_usage
      WHERE created_at >= ${day}::timestamp AT TIME ZONE 'UTC' AND created_at < (${day}::date + 1)::timestamp AT TIME ZONE 'UTC'
      GROUP BY model, agent`)) as unknown as { rowCount?: number; affectedRows?: number };
    return result.rowCount ?? result.affectedRows ?? 0;
  });
}

/** Tokens and spend of a group of llm_usage rows. */
export interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
}

/** The usage report: totals and breakdowns by day, model, agent and conversation. */
export interface UsageReport {
  totals: UsageTotals & { conversations: number; costPerConversation: number | null };
  byDay: (UsageTotals & { day: string })[];
  byModel: (UsageTotals & { model: string })[];
  byAgent: (UsageTotals & { agent: string })[];
  /** The most expensive conversations first. */
  byConversation: (UsageTotals & { conversationId: string })[];
}

interface Row {
  kind: 'total' | 'day' | 'model' | 'agent';
  key: string | null;
  requests: string | number;
  input_tokens: string | number;
  output_tokens: string | number;
  cached_tokens: string | number;
  cost_usd: string | number;
  conversations: string | number;
}

const totalsOf = (r: Omit<Row, 'kind' | 'key' | 'conversations'>): UsageTotals => ({
  requests: Number(r.requests),
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  cachedTokens: Number(r.cached_tokens),
  costUsd: Number(r.cost_usd),
});

/**
 * Usage of the LLM between two instants (from inclusive, to exclusive), straight from llm_usage so
 * the totals are exactly the sum of its rows. Two round trips: one grouping-sets aggregate for the
 * totals, days, models and agents, one for the top conversations by cost.
 */
export async function usageReport(db: Db, range: { from: Date; to: Date; conversationLimit: number }): Promise<UsageReport> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const rows = await queryRows<Row>(
    db,
    sql`
    SELECT CASE WHEN grouping(day) = 0 THEN 'day' WHEN grouping(model) = 0 THEN 'model' WHEN grouping(agent) = 0 THEN 'agent' ELSE 'total' END AS kind,
           coalesce(day::text, model, agent) AS key,
           count(*) AS requests,
           coalesce(sum(input_tokens), 0) AS input_tokens,
           coalesce(sum(output_tokens), 0) AS output_tokens,
           coalesce(sum(cached_tokens), 0) AS cached_tokens,
           coalesce(sum(cost_usd), 0)::float8 AS cost_usd,
           count(DISTINCT conversation_id) AS conversations
    FROM (
      SELECT (created_at AT TIME ZONE 'UTC')::date AS day, model, agent, input_tokens, output_tokens, cached_tokens, cost_usd, conversation_id
      FROM llm_usage
      WHERE created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz
    ) u
    GROUP BY GROUPING SETS ((), (day), (model), (agent))`,
  );
  const byConversation = await queryRows<Omit<Row, 'kind' | 'key' | 'conversations'> & { conversation_id: string }>(
    db,
    sql`
    SELECT conversation_id, count(*) AS requests,
           sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cached_tokens) AS cached_tokens,
           sum(cost_usd)::float8 AS cost_usd
    FROM llm_usage
    WHERE created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz AND conversation_id IS NOT NULL
    GROUP BY conversation_id
    ORDER BY sum(cost_usd) DESC, conversation_id
    LIMIT ${range.conversationLimit}`,
  );
  const total = rows.find((r) => r.kind === 'total');
  const totals = total ? totalsOf(total) : { requests: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 };
  const conversations = total ? Number(total.conversations) : 0;
  const of = (kind: Row['kind']) => rows.filter((r) => r.kind === kind && r.key !== null);
  return {
    totals: { ...totals, conversations, costPerConversation: conversations ? totals.costUsd / conversations : null },
    byDay: of('day')
      .map((r) => ({ day: r.key!, ...totalsOf(r) }))
      .sort((a, b) => a.day.localeCompare(b.day)),
    byModel: of('model')
      .map((r) => ({ model: r.key!, ...totalsOf(r) }))
      .sort((a, b) => b.costUsd - a.costUsd || a.model.localeCompare(b.model)),
    byAgent: of('agent')
      .map((r) => ({ agent: r.key!, ...totalsOf(r) }))
      .sort((a, b) => b.costUsd - a.costUsd || a.agent.localeCompare(b.agent)),
    byConversation: byConversation.map((r) => ({ conversationId: r.conversation_id, ...totalsOf(r) })),
  };
}
