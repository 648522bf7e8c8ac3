import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.js';

/** What the cost budgets see now: today's total, and the customers and conversations spending most. */
export interface BudgetSpend {
  globalDayUsd: number;
  /** Customers by spend since the start of the UTC day, most first. */
  customers: { customerId: string; name: string | null; email: string | null; spentUsd: number }[];
  /** Conversations that spent today, by their spend over all time (what their budget counts), most first. */
  conversations: { conversationId: string; subject: string | null; spentUsd: number }[];
}

/** Today's spend for the budget page in one round trip; `limit` customers and conversations each. */
export async function budgetSpend(db: Db, since: Date, limit = 5): Promise<BudgetSpend> {
  const [row] = await queryRows<{ spend: BudgetSpend }>(
    db,
    sql`
    WITH today AS (SELECT customer_id, conversation_id, cost_usd FROM llm_usage WHERE created_at >= ${since.toISOString()}::timestamptz)
    SELECT json_build_object(
      'globalDayUsd', (SELECT coalesce(sum(cost_usd), 0)::float8 FROM today),
      'customers', coalesce((SELECT json_agg(c ORDER BY c."spentUsd" DESC, c."customerId") FROM (
          SELECT t.customer_id AS "customerId", cu.name, cu.email, sum(t.cost_usd)::float8 AS "spentUsd"
          FROM today t LEFT JOIN customers cu ON cu.id = t.customer_id
          WHERE t.customer_id IS NOT NULL GROUP BY t.customer_id, cu.name, cu.email
          ORDER BY sum(t.cost_usd) DESC, t.customer_id LIMIT ${limit}) c), '[]'::json),
      'conversations', coalesce((SELECT json_agg(v ORDER BY v."spentUsd" DESC, v."conversationId") FROM (
          SELECT u.conversation_id AS "conversationId", co.subject, sum(u.cost_usd)::float8 AS "spentUsd"
          FROM llm_usage u JOIN conversations co ON co.id = u.conversation_id
          WHERE u.conversation_id IN (SELECT DISTINCT conversation_id FROM today WHERE conversation_id IS NOT NULL)
          GROUP BY u.conversation_id, co.subject
          ORDER BY sum(u.cost_usd) DESC, u.conversation_id LIMIT ${limit}) v), '[]'::json)
    ) AS spend`,
  );
  return row!.spend;
}
