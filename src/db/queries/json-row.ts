import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/**
 * A table's row as `row_to_json` gives it (snake_case keys, timestamps as text) read into the shape
 * Drizzle's select returns, so one statement can return rows of several tables.
 */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    // JSON columns arrive parsed (they are JSON inside the JSON); others through the column's own mapping.
    out[key] = value === null || value === undefined ? null : column.dataType === 'json' ? value : column.mapFromDriverValue(value);
  }
  return out as InferSelectModel<T>;
}
