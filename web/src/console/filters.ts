// The console's list filters as URL query parameters of the staff list endpoints.

/** Filter values as the form holds them ('' = not set). */
export type FilterValues = Record<string, string>;

/** The query string of a list request: the set filters, the page size and the cursor. */
export function listQuery(filters: FilterValues, limit: number, cursor: string | null): string {
  const q = new URLSearchParams({ limit: String(limit) });
  for (const [k, v] of Object.entries(filters)) if (v.trim()) q.set(k, v.trim());
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}
