// Text that cannot be stored as sent: PostgreSQL's text type refuses U+0000, and a lone UTF-16
// surrogate has no UTF-8 form (it would be stored as U+FFFD, not what the caller sent). One check
// for every string a client sends (HTTP body, query, params, WebSocket events), so no route needs its own.

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Characters that show nothing: whitespace, soft hyphen, zero-width and joiner characters, BOM, word joiner.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class lists single code points on purpose; joiners and selectors are matched alone
const INVISIBLE = /[\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g;

/** What is wrong with one string, or null when it can be stored exactly as sent. */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (it holds a lone UTF-16 surrogate)';
  return null;
}

/**
 * How deep a client's JSON may nest. Nothing the API takes nests more than a few levels; a body nested
 * thousands deep (cheap to send) would otherwise exhaust the stack of every recursive reader after it.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The first string (value or object key) inside a parsed JSON value that cannot be stored, with its
 * path; or the first value nested deeper than MAX_JSON_DEPTH. Walks with its own stack, so no input
 * can overflow the call stack.
 */
export function findBadText(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; message: string } | null {
  // An entry is a value to look into, or an object key already found bad (reported when its turn comes).
  type Entry = { value: unknown; path: (string | number)[]; keyProblem?: string };
  const stack: Entry[] = [{ value, path }];
  while (stack.length) {
    const top = stack.pop()!;
    if (top.keyProblem) return { path: top.path, message: `key ${top.keyProblem}` };
    const v = top.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: top.path, message: problem };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (top.path.length - path.length >= MAX_JSON_DEPTH) return { path: top.path, message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` };
    // Children pushed last-first, so they are checked in order (the first bad field is the one named).
    const children: Entry[] = Array.isArray(v)
      ? v.map((child, i) => ({ value: child, path: [...top.path, i] }))
      : Object.entries(v).map(([k, child]) => ({ value: child, path: [...top.path, k], keyProblem: textProblem(k) ?? undefined }));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}

/** True when a text shows nothing at all: empty, whitespace, or only zero-width/invisible characters. */
export function isBlankText(s: string): boolean {
  return s.replace(INVISIBLE, '').length === 0;
}
