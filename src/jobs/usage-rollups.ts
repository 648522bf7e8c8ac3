import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob } from './job.js';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** The UTC day of a date as YYYY-MM-DD. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Usage roll-ups: recomputes llm_usage_daily for the given UTC days (default: yesterday and today)
 * from the raw llm_usage rows. Idempotent, so a retry or a second run only rewrites the same rows.
 */
export const usageRollups = defineJob({
  queue: 'usage-rollups',
  payload: z.object({ days: z.array(isoDay).max(62).optional() }),
  retry: { attempts: 3, backoffMs: 10_000 },
  concurrency: 1,
  async process(payload, ctx) {
    const now = Date.now();
    const days = payload.days ?? [utcDay(new Date(now - 24 * 3600 * 1000)), utcDay(new Date(now))];
    let rows = 0;
    for (const day of days) {
      await ctx.deps.db.transaction(async (tx) => {
        await tx.execute(sql`DELETE FROM llm_usage_daily WHERE day = ${day}::date`);
        const result = (await tx.execute(sql`
          INSERT INTO llm_usage_daily (day, model, agent, requests, input_tokens, output_tokens, cached_tokens, cost_usd, conversations, updated_at)
          SELECT ${day}::date, model, agent, count(*), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
                 coalesce(sum(cached_tokens), 0), coalesce(sum(cost_usd), 0), count(DISTINCT conversation_id), now()
          FROM llm_usage
          WHERE created_at >= ${day}::timestamp AT TIME ZONE 'UTC' AND created_at < (${day}::date + 1)::timestamp AT TIME ZONE 'UTC'
          GROUP BY model, agent`)) as unknown as { rowCount?: number; affectedRows?: number };
        rows += result.rowCount ?? result.affectedRows ?? 0;
      });
    }
    return { days, rows };
  },
});
