import { z } from 'zod';
import { rollUpUsageDay } from '../db/queries/usage.js';
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
    for (const day of days) rows += await rollUpUsageDay(ctx.deps.db, day);
    return { days, rows };
  },
});
