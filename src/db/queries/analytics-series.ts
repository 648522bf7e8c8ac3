import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.js';

/** The analytics of a period day by day (UTC), for charts: each day of the range is present. */
export interface AnalyticsSeries {
  days: {
    day: string;
    conversations: number;
    handedOff: number;
    resolved: number;
    csatResponses: number;
    csatAverage: number | null;
    costUsd: number;
    answerP50Ms: number | null;
    answerP95Ms: number | null;
  }[];
  /** Conversations per day by the route their first answer took (`none` when nothing answered). */
  routes: { day: string; route: string; count: number }[];
  /** LLM spend of those conversations per day (of the call) and model. */
  costByModel: { day: string; model: string; costUsd: number }[];
  /** Time from a customer's message to the assistant's answer to it, over the period. */
  answerTime: { answers: number; p50Ms: number | null; p95Ms: number | null };
}

// The same conversations as analyticsReport: started in the period, the customer wrote at least once.
const HANDED_OFF = sql.raw(`(c.outcome = 'handed_off' OR c.handoff_reason IS NOT NULL OR c.status IN ('waiting_human', 'human'))`);

/** Day-by-day analytics of the conversations started in [from, to): one round trip. */
export async function analyticsSeries(db: Db, range: { from: Date; to: Date }): Promise<AnalyticsSeries> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const [row] = await queryRows<{ series: AnalyticsSeries }>(
    db,
    sql`
    WITH convs AS (
      SELECT c.id, (c.created_at AT TIME ZONE 'UTC')::date AS day, c.outcome, ${HANDED_OFF} AS handed_off,
             coalesce((SELECT m.route FROM messages m WHERE m.conversation_id = c.id AND m.role = 'assistant' AND m.route IS NOT NULL ORDER BY m.created_at LIMIT 1), 'none') AS route
      FROM conversations c
      WHERE c.created_at >= ${from}::timestamptz AND c.created_at < ${to}::timestamptz
        AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user')
    ),
    answers AS (
      SELECT (q.created_at AT TIME ZONE 'UTC')::date AS day, extract(epoch FROM a.created_at - q.created_at) * 1000 AS ms
      FROM convs
      JOIN messages a ON a.conversation_id = convs.id AND a.role = 'assistant' AND a.reply_to IS NOT NULL
      JOIN messages q ON q.id = a.reply_to AND q.role = 'user'
    ),
    usage AS (
      SELECT (u.created_at AT TIME ZONE 'UTC')::date AS day, u.model, u.cost_usd FROM llm_usage u JOIN convs ON convs.id = u.conversation_id
    ),
    days AS (
      SELECT d::date AS day FROM generate_series((${from}::timestamptz AT TIME ZONE 'UTC')::date, ((${to}::timestamptz AT TIME ZONE 'UTC') - interval '1 day')::date, interval '1 day') d
    )
    SELECT json_build_object(
      'days', (SELECT json_agg(json_build_object(
          'day', days.day::text,
          'conversations', (SELECT count(*)::int FROM convs WHERE convs.day = days.day),
          'handedOff', (SELECT count(*)::int FROM convs WHERE convs.day = days.day AND handed_off),
          'resolved', (SELECT count(*)::int FROM convs WHERE convs.day = days.day AND outcome = 'resolved' AND NOT handed_off),
          'csatResponses', (SELECT count(*)::int FROM conversation_feedback f JOIN convs ON convs.id = f.conversation_id WHERE convs.day = days.day),
          'csatAverage', (SELECT avg(f.rating)::float8 FROM conversation_feedback f JOIN convs ON convs.id = f.conversation_id WHERE convs.day = days.day),
          'costUsd', (SELECT coalesce(sum(cost_usd), 0)::float8 FROM usage WHERE usage.day = days.day),
          'answerP50Ms', (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float8 FROM answers WHERE answers.day = days.day),
          'answerP95Ms', (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::float8 FROM answers WHERE answers.day = days.day)
        ) ORDER BY days.day) FROM days),
      'routes', coalesce((SELECT json_agg(json_build_object('day', day::text, 'route', route, 'count', n) ORDER BY day, route)
          FROM (SELECT day, route, count(*)::int AS n FROM convs GROUP BY day, route) r), '[]'::json),
      'costByModel', coalesce((SELECT json_agg(json_build_object('day', day::text, 'model', model, 'costUsd', cost) ORDER BY day, model)
          FROM (SELECT day, model, sum(cost_usd)::float8 AS cost FROM usage GROUP BY day, model) m), '[]'::json),
      'answerTime', (SELECT json_build_object('answers', count(*)::int,
          'p50Ms', percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float8,
          'p95Ms', percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::float8) FROM answers)
    ) AS series`,
  );
  const s = row!.series;
  return { days: s.days ?? [], routes: s.routes, costByModel: s.costByModel, answerTime: s.answerTime };
}
