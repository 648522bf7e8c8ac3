import { and, asc, desc, eq, gt, lt, or, type Column, type SQL } from 'drizzle-orm';
import { AppError } from '../../errors.js';

/** A position in a (created_at, id) ordered list, opaque to clients. */
interface Cursor {
  createdAt: Date;
  id: string;
}

/** Encodes a list position as an opaque cursor string. */
function encodeCursor(c: { createdAt: Date; id: string }): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

// Exactly what encodeCursor writes: a UTC timestamp with milliseconds (years 1970-9999, as stored
// rows have), a bar and a UUID. Anything else, even a string that `new Date` accepts, never came from us.
const CURSOR = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** Decodes a cursor from a client; anything but a cursor this service issued is a 400 invalid_cursor. */
function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  const invalid = new AppError('invalid_cursor', 400, 'The cursor is not valid', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid;
  const m = CURSOR.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m) throw invalid;
  const [, year, month, day, hour, minute, second, ms, id] = m;
  const createdAt = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`);
  // A date the calendar does not have (2024-02-31) rolls over; the round trip catches it.
  if (Number(year) < 1970 || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== `${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`) {
    throw invalid;
  }
  return { createdAt, id: id!.toLowerCase() };
}

/** Splits one extra fetched row off a page to learn whether another page follows. */
export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/**
 * Keyset pagination over (created_at, id): the condition for the rows after a client's cursor and
 * the matching order, newest first (or oldest first). A malformed cursor is a 400.
 */
export function keyset(cols: { createdAt: Column; id: Column }, rawCursor: string | undefined, order: 'newest' | 'oldest' = 'newest'): { after: SQL | undefined; orderBy: [SQL, SQL] } {
  const cursor = decodeCursor(rawCursor);
  const [beyond, by] = order === 'newest' ? [lt, desc] : [gt, asc];
  const after = cursor ? or(beyond(cols.createdAt, cursor.createdAt), and(eq(cols.createdAt, cursor.createdAt), beyond(cols.id, cursor.id))) : undefined;
  return { after, orderBy: [by(cols.createdAt), by(cols.id)] };
}
