import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.js';

/** What a support lead watches over a period: containment, handoffs, CSAT and cost per conversation. */
export interface Analytics {
  /** Conversations started in the period in which the customer wrote at least once. */
  conversations: number;
  outcomes: { resolved: number; handedOff: number; abandoned: number; open: number };
  /** Share of conversations that never reached a human. */
  containmentRate: number | null;
  handoffRate: number | null;
  handoffReasons: { reason: string; count: number }[];
  csat: { responses: number; average: number | null; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  cost: { totalUsd: number; perConversationUsd: number | null };
  /**
   * Account actions that completed without a person (auto and confirm tiers: the customer's word
   * was enough, no staff approval), the conversations they resolved that never reached a human,
   * and, for contrast, the completed actions a staff member approved.
   */
  automatedResolutions: { actions: number; conversations: number; rate: number | null; byType: { type: string; count: number }[]; staffApprovedActions: number };
}

// A conversation reached a human if it has that outcome, a handoff reason, or a human status
// (a staff takeover may come without the escalation agent).
const HANDED_OFF = sql.raw(`(c.outcome = 'handed_off' OR c.handoff_reason IS NOT NULL OR c.status IN ('waiting_human', 'human'))`);

/** Analytics of the conversations started in [from, to): one round trip. */
export async function analyticsReport(db: Db, range: { from: Date; to: Date }): Promise<Analytics> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const [row] = await queryRows<{
    conversations: number;
    resolved: number;
    handed_off: number;
    abandoned: number;
    reasons: { reason: string; count: number }[] | null;
    csat: { rating: number; count: number }[] | null;
    cost_usd: number;
    automated_actions: number;
    automated_conversations: number;
    automated_by_type: { type: string; count: number }[] | null;
    approved_actions: number;
  }>(
    db,
    sql`
    WITH convs AS (
      SELECT c.id, c.outcome, c.handoff_reason, ${HANDED_OFF} AS handed_off
      FROM conversations c
      WHERE c.created_at >= ${from}::timestamptz AND c.created_at < ${to}::timestamptz
        AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user')
    ),
    done AS (
      SELECT a.conversation_id, a.type, a.approved_by, convs.handed_off
      FROM account_actions a JOIN convs ON convs.id = a.conversation_id
      WHERE a.status = 'completed'
    )
    SELECT
      (SELECT count(*)::int FROM convs) AS conversations,
      (SELECT count(*)::int FROM convs WHERE outcome = 'resolved' AND NOT handed_off) AS resolved,
      (SELECT count(*)::int FROM convs WHERE handed_off) AS handed_off,
      (SELECT count(*)::int FROM convs WHERE outcome = 'abandoned' AND NOT handed_off) AS abandoned,
      (SELECT json_agg(json_build_object('reason', reason, 'count', n) ORDER BY n DESC, reason)
         FROM (SELECT coalesce(handoff_reason, 'staff_takeover') AS reason, count(*)::int AS n FROM convs WHERE handed_off GROUP BY 1) r) AS reasons,
      (SELECT json_agg(json_build_object('rating', rating, 'count', n))
         FROM (SELECT f.rating, count(*)::int AS n FROM conversation_feedback f JOIN convs ON convs.id = f.conversation_id GROUP BY f.rating) s) AS csat,
      (SELECT coalesce(sum(u.cost_usd), 0)::float8 FROM llm_usage u JOIN convs ON convs.id = u.conversation_id) AS cost_usd,
      (SELECT count(*)::int FROM done WHERE approved_by IS NULL) AS automated_actions,
      (SELECT count(DISTINCT conversation_id)::int FROM done WHERE approved_by IS NULL AND handed_off IS NOT TRUE) AS automated_conversations,
      (SELECT json_agg(json_build_object('type', type, 'count', n) ORDER BY n DESC, type)
         FROM (SELECT type, count(*)::int AS n FROM done WHERE approved_by IS NULL GROUP BY type) t) AS automated_by_type,
      (SELECT count(*)::int FROM done WHERE approved_by IS NOT NULL) AS approved_actions`,
  );
  const conversations = Number(row?.conversations ?? 0);
  const handedOff = Number(row?.handed_off ?? 0);
  const resolved = Number(row?.resolved ?? 0);
  const abandoned = Number(row?.abandoned ?? 0);
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let responses = 0;
  let sum = 0;
  for (const c of row?.csat ?? []) {
    distribution[String(c.rating) as keyof typeof distribution] = Number(c.count);
    responses += Number(c.count);
    sum += Number(c.rating) * Number(c.count);
  }
  const costUsd = Number(row?.cost_usd ?? 0);
  const rate = (n: number) => (conversations ? n / conversations : null);
  return {
    conversations,
    outcomes: { resolved, handedOff, abandoned, open: conversations - resolved - handedOff - abandoned },
    containmentRate: rate(conversations - handedOff),
    handoffRate: rate(handedOff),
    handoffReasons: (row?.reasons ?? []).map((r) => ({ reason: r.reason, count: Number(r.count) })),
    csat: { responses, average: responses ? sum / responses : null, distribution },
    cost: { totalUsd: costUsd, perConversationUsd: conversations ? costUsd / conversations : null },
    automatedResolutions: {
      actions: Number(row?.automated_actions ?? 0),
      conversations: Number(row?.automated_conversations ?? 0),
      rate: rate(Number(row?.automated_conversations ?? 0)),
      byType: (row?.automated_by_type ?? []).map((r) => ({ type: r.type, count: Number(r.count) })),
      staffApprovedActions: Number(row?.approved_actions ?? 0),
    },
  };
}
