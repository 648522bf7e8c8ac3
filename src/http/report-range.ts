import { z } from 'zod';
import { AppError } from '../errors.js';

const DAY_MS = 24 * 3600 * 1000;
// Reports cover what the service recorded: days from 1970 to 9999 that the calendar has (2024-02-30 is not one).
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return Number(s.slice(0, 4)) >= 1970 && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'must be a real day between 1970-01-01 and 9999-12-31');

/** `from` and `to` (UTC days, both included) of a report; the last 30 days by default. */
export const reportRangeQuery = z.object({ from: isoDay.optional(), to: isoDay.optional() });

/** Turns a report's day range into instants [from, to) and checks it (at most 366 days, from ≤ to). */
export function reportRange(q: z.output<typeof reportRangeQuery>, now = new Date()): { from: Date; to: Date; fromDay: string; toDay: string } {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const toDay = q.to ? new Date(`${q.to}T00:00:00Z`) : today;
  const fromDay = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(toDay.getTime() - 29 * DAY_MS);
  if (Number.isNaN(toDay.getTime()) || Number.isNaN(fromDay.getTime())) {
    throw new AppError('validation_failed', 400, 'Invalid querystring: from/to must be real dates', { issues: [{ field: 'from', message: 'not a date' }] });
  }
  if (fromDay > toDay) throw new AppError('validation_failed', 400, 'Invalid querystring: from must not be after to', { issues: [{ field: 'from', message: 'after to' }] });
  if (toDay.getTime() - fromDay.getTime() > 366 * DAY_MS) {
    throw new AppError('validation_failed', 400, 'Invalid querystring: a report covers at most 366 days', { issues: [{ field: 'from', message: 'range too long' }] });
  }
  return { from: fromDay, to: new Date(toDay.getTime() + DAY_MS), fromDay: fromDay.toISOString().slice(0, 10), toDay: toDay.toISOString().slice(0, 10) };
}

/** A list filter's optional `from` and `to` (UTC days, both included) as instants [from, to); from ≤ to. */
export function dayRange(q: z.output<typeof reportRangeQuery>): { from?: Date; to?: Date } {
  const from = q.from ? new Date(`${q.from}T00:00:00Z`) : undefined;
  const to = q.to ? new Date(new Date(`${q.to}T00:00:00Z`).getTime() + DAY_MS) : undefined;
  if (from && to && from >= to) throw new AppError('validation_failed', 400, 'Invalid querystring: from must not be after to', { issues: [{ field: 'from', message: 'after to' }] });
  return { from, to };
}
