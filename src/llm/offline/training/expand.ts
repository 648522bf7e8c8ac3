/**
 * A small template language for writing many phrasings of one request at once:
 * - `{a|b|c}` one of the alternatives (nested braces allowed; an empty alternative is allowed);
 * - `<slot>` a value from the slot table (order numbers, months, plans …);
 * Every template expands to all its combinations, from which `expand` draws a fixed, seeded sample,
 * so the training data are the same on every machine and every run.
 */
import { mulberry32 } from '../../../util/prng.js';
import { hash32 } from '../text.js';

export type Slots = Readonly<Record<string, readonly string[]>>;

/** Splits `s` at top-level `|` inside one brace group's body. */
function alternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** Every string a template can produce (slots left in place), in order. */
export function combinations(template: string): string[] {
  const open = template.indexOf('{');
  if (open < 0) return [template];
  let depth = 0;
  let close = -1;
  for (let i = open; i < template.length; i++) {
    if (template[i] === '{') depth++;
    else if (template[i] === '}' && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0) throw new SyntaxError(`unbalanced braces in template "${template}"`);
  const head = template.slice(0, open);
  const tails = combinations(template.slice(close + 1));
  const out: string[] = [];
  for (const alt of alternatives(template.slice(open + 1, close))) {
    for (const middle of combinations(alt)) for (const tail of tails) out.push(head + middle + tail);
  }
  return out;
}

/** Tidies spacing and punctuation left by empty alternatives. */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.?!])/g, '$1')
    .replace(/^[,\s]+/, '')
    .trim();
}

/** Fills `<slot>`s with values drawn by `next`. */
function fill(text: string, slots: Slots, next: () => number): string {
  return text.replace(/<(\w+)>/g, (_, name: string) => {
    const values = slots[name];
    if (!values) throw new Error(`unknown slot <${name}>`);
    return values[Math.floor(next() * values.length)];
  });
}

/** Typos of the kinds customers make: a swapped pair, a dropped or doubled letter. */
function typo(text: string, next: () => number): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => (/^[a-z]{5,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const i = candidates[Math.floor(next() * candidates.length)];
  const w = words[i];
  const k = 1 + Math.floor(next() * (w.length - 2));
  const kind = Math.floor(next() * 3);
  words[i] = kind === 0 ? w.slice(0, k) + w[k + 1] + w[k] + w.slice(k + 2) : kind === 1 ? w.slice(0, k) + w.slice(k + 1) : w.slice(0, k) + w[k] + w.slice(k);
  return words.join(' ');
}

/** Writing styles: as written, lower case without the final mark, one typo. */
function restyle(text: string, next: () => number): string {
  const r = next();
  if (r < 0.2) return text.toLowerCase().replace(/[.?!]+$/, '');
  if (r < 0.35) return typo(text.toLowerCase(), next);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * At most `perTemplate` distinct utterances of each template, drawn with a seed derived from the
 * template's text, slots filled and a share restyled (lower case, typos).
 */
export function expand(templates: readonly string[], slots: Slots, perTemplate: number): string[] {
  const out = new Set<string>();
  for (const template of templates) {
    const next = mulberry32(hash32(template));
    const all = combinations(template);
    // a seeded partial shuffle picks the sample without favouring the first alternatives
    const picked = new Set<string>();
    for (let tries = 0; picked.size < Math.min(perTemplate, all.length * 3) && tries < perTemplate * 4; tries++) {
      const text = tidy(fill(all[Math.floor(next() * all.length)], slots, next));
      if (text) picked.add(restyle(text, next));
    }
    for (const text of picked) out.add(text);
  }
  return [...out];
}
