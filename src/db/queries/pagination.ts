import { AppError } from '../../errors.js';

/** A position in a (created_at, id) ordered list, opaque to clients. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

/** Encodes a list position as an opaque cursor string. */
export function encodeCursor(c: { createdAt: Date; id: string }): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

/** Decodes a cursor from a client; a malformed one is a 400. */
export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  const [iso, id] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError('invalid_cursor', 400, 'The cursor is not valid', { field: 'cursor' });
  }
  return { createdAt, id };
}

/** Splits one extra fetched row off a page to learn whether another page follows. */
export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
