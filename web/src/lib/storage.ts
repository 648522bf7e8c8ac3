// localStorage when the browser allows it (a cross-site iframe may be refused storage), memory otherwise.
const memory = new Map<string, string>();

function local(): Storage | null {
  try {
    const s = window.localStorage;
    s.getItem('switchboard.probe');
    return s;
  } catch {
    return null;
  }
}

/** Reads a JSON value, or null when absent or unreadable. */
export function readJson<T>(key: string): T | null {
  const raw = local()?.getItem(key) ?? memory.get(key) ?? null;
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** Stores a JSON value (null removes it). */
export function writeJson(key: string, value: unknown): void {
  const s = local();
  if (value === null || value === undefined) {
    memory.delete(key);
    s?.removeItem(key);
    return;
  }
  const raw = JSON.stringify(value);
  memory.set(key, raw);
  try {
    s?.setItem(key, raw);
  } catch {
    // quota or privacy mode: memory keeps it for this page
  }
}
