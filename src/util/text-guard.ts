// Text that cannot be stored as sent: PostgreSQL's text type refuses U+0000, and a lone UTF-16
// surrogate has no UTF-8 form (it would be stored as U+FFFD, not what the caller sent). One check
// for every string a client sends (HTTP body, query, params, WebSocket events), so no route needs its own.

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Characters that show nothing: whitespace, soft hyphen, zero-width and joiner characters, BOM, word joiner.
const INVISIBLE = /[\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g;

/** What is wrong with one string, or null when it can be stored exactly as sent. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  return null;
}

/** The first string (value or object key) inside a parsed JSON value that cannot be stored, with its path. */
export function findBadText(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; message: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, message: problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], [...path, i]);
      if (bad) return bad;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(k);
      if (keyProblem) return { path: [...path, k], message: `key ${keyProblem}` };
      const bad = findBadText(v, [...path, k]);
      if (bad) return bad;
    }
  }
  return null;
}

/** True when a text shows nothing at all: empty, whitespace, or only zero-width/invisible characters. */
export function isBlankText(s: string): boolean {
  return s.replace(INVISIBLE, '').length === 0;
}
