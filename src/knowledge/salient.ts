import type { Db } from '../db/client.js';
import { termDocumentFrequencies } from '../db/queries/knowledge.js';
import { STOPWORDS, tokenize } from '../llm/offline/text.js';

// A long message (a story, a forwarded thread, a pasted log) is searched and routed by its salient
// part: the sentences that ask something and those that use the knowledge base's own words, in the
// order the customer wrote them, within the search query's limit. The rest is background.

/** The longest text a knowledge search (and the offline router) reads; a longer message is condensed to its salient part. */
export const SEARCH_QUERY_CHARS = 500;

const QUESTION_START =
  /^(?:and |but |so |also |then |now |ok(?:ay)?,? )?(how|what|when|where|why|which|who|whom|whose|can|could|do|does|did|is|are|was|were|will|would|should|shall|may|might|has|have|any)\b/i;
const INDIRECT_ASK = /\b(i'?m wondering|i was wondering|i wonder|want(ed)? to know|like to know|need to know|tell me|let me know|explain)\b/i;
const REQUESTS = /\b(please|i (really )?(want|need|would like|'d like|wish)|i'd like|can you|could you|would you|help me|speak (to|with)|talk (to|with)|connect me)\b/i;

/** Sentences and, for run-on text, clauses of at most ~250 characters, in order. */
export function pieces(text: string): string[] {
  const out: string[] = [];
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    const s = sentence.trim();
    if (!s) continue;
    if (s.length <= 300) {
      out.push(s);
      continue;
    }
    // A run-on sentence: split at clause marks, then at word boundaries.
    let current = '';
    for (const clause of s.split(/(?<=[,;:])\s+/)) {
      for (const word of clause.split(/\s+/)) {
        if (current && current.length + word.length + 1 > 250) {
          out.push(current);
          current = '';
        }
        current = current ? `${current} ${word}` : word;
      }
      if (current.length > 120) {
        out.push(current);
        current = '';
      }
    }
    if (current) out.push(current);
  }
  return out;
}

/** Weighs a content word: how much it says about the knowledge base (0: nothing). */
export type TermWeight = (word: string) => number;

function contentWords(text: string): string[] {
  return [...new Set(tokenize(text).filter((w) => w.length > 1 && !STOPWORDS.has(w)))];
}

/** How plainly a sentence asks something: 3 a question, 1 an indirect one ("I'd like to know") or a request, 0 a statement. */
function asking(s: string): number {
  if (/\?\s*$/.test(s) || QUESTION_START.test(s)) return 3;
  return INDIRECT_ASK.test(s) || REQUESTS.test(s) ? 1 : 0;
}

/** Cuts text to at most `max` characters at a word boundary. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max + 1);
  const space = head.lastIndexOf(' ');
  return (space > max / 2 ? head.slice(0, space) : text.slice(0, max)).trim();
}

/**
 * The salient part of a message, at most `maxChars` long: first the sentences that ask something (a
 * question, then an indirect question or a request), then statements as rich in the knowledge base's
 * vocabulary (`weight`, per content word, length-normalised) as the best question, best first until
 * the limit, put back in the customer's order. Without `weight` only the asking counts. A message
 * within the limit is returned as it is; one with nothing salient is cut at the limit.
 */
export function salientPart(text: string, opts: { maxChars?: number; weight?: TermWeight } = {}): string {
  const max = opts.maxChars ?? SEARCH_QUERY_CHARS;
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const weight = opts.weight ?? (() => 0);
  const seen = new Set<string>();
  const scored = pieces(trimmed).flatMap((s, order) => {
    // A sentence said twice (a quoted earlier message) counts once.
    const key = s.toLowerCase();
    if (seen.has(key)) return [];
    seen.add(key);
    const weights = contentWords(s).map(weight);
    // The mean, so a long sentence of incidental words does not outweigh a short specific one.
    const density = weights.length ? weights.reduce((a, b) => a + b, 0) / weights.length : 0;
    return [{ s, order, asks: asking(s), density, known: weights.filter((w) => w > 0).length }];
  });
  const byDensity = (a: { density: number; order: number }, b: { density: number; order: number }) => b.density - a.density || a.order - b.order;
  const asks = scored.filter((p) => p.asks > 0).sort((a, b) => b.asks - a.asks || byDensity(a, b));
  // A question in the knowledge base's words ("How long does shipping to Canada take?") is the
  // search; a vague one ("What should I do?") takes the statements richest in those words with it:
  // "My headset arrived cracked."
  const specific = asks.some((p) => p.asks === 3 && p.known >= 2);
  const maxDensity = Math.max(0, ...scored.map((p) => p.density));
  const statements = specific ? [] : scored.filter((p) => p.asks === 0 && p.density > 0 && p.density >= maxDensity / 2).sort(byDensity);
  const ranked = [...asks, ...statements];
  if (ranked.length === 0) return cut(trimmed, max);
  const chosen: typeof ranked = [];
  let length = 0;
  for (const p of ranked) {
    const add = p.s.length + (chosen.length ? 1 : 0);
    if (length + add > max) continue;
    chosen.push(p);
    length += add;
  }
  if (chosen.length === 0) return cut(ranked[0]!.s, max);
  return chosen
    .sort((a, b) => a.order - b.order)
    .map((p) => p.s)
    .join(' ');
}

/**
 * The salient part of a long message, weighing words by how specific they are to the knowledge base
 * (inverse passage frequency over its full-text index; words it does not contain weigh nothing).
 * One query, only for text over the limit.
 */
export async function condenseForSearch(db: Db, text: string, maxChars = SEARCH_QUERY_CHARS): Promise<string> {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  const { total, df } = await termDocumentFrequencies(db, contentWords(trimmed).slice(0, 400));
  const weight: TermWeight = (w) => {
    const n = df.get(w) ?? 0;
    return n > 0 ? Math.log((total + 1) / (n + 0.5)) : 0;
  };
  return salientPart(trimmed, { maxChars, weight });
}
