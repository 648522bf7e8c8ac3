/**
 * Text normalisation, tokenisation, light stemming and hashing shared by the offline
 * engine's embedder, intent classifier and slot extractor.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /['\u2019\u02bc`]/g;
const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lowercases text and strips accents (NFKD, combining marks removed) so "Café" equals "cafe". */
export function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Splits text into normalised word tokens (letters and digits); apostrophes join, so "don't" is "dont". */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text).replace(APOSTROPHES, '');
  return normalized.match(TOKEN) ?? [];
}

const VOWELS = /[aeiouy]/;

/**
 * Reduces an English word to a rough stem (plural, -ing, -ed, -ly, final -e, a doubled final l) so
 * that "shipping", "shipped" and "ships" meet at "ship". Not Porter: cheap and predictable.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:ss|us|is)$/.test(w)) {
    // "address", "status", "this": not plurals
  } else if (/(?:x|ch|sh|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s')) w = w.slice(0, -1);

  const suffix = /(?:ingly|edly|ing|ed|ly)$/.exec(w);
  if (suffix) {
    const base = w.slice(0, -suffix[0].length);
    if (base.length >= 3 && VOWELS.test(base)) {
      w = base;
      // undouble: "shipp" -> "ship", "billed" -> "bill" stays ("ll" is kept)
      if (/([bdgmnprt])\1$/.test(w)) w = w.slice(0, -1);
    }
  }
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  // Porter2's step 5: a final "ll" in R2 loses an l, so "cancelling", "cancelled" and "cancel" meet
  // (British spelling doubles the l) while short words keep theirs ("bill", "call", "small").
  if (w.endsWith('ll') && w.length - 1 >= r2Start(w)) w = w.slice(0, -1);
  return w;
}

/** Where Porter's R2 begins: the region after the second vowel followed by a non-vowel. */
function r2Start(w: string): number {
  const afterVowelConsonant = (from: number): number => {
    for (let i = from + 1; i < w.length; i++) if (!VOWELS.test(w[i]!) && VOWELS.test(w[i - 1]!)) return i + 1;
    return w.length;
  };
  return afterVowelConsonant(afterVowelConsonant(0));
}

/** Tokenises and stems text in one step, the form every offline model works on. */
export function stemmedTokens(text: string): string[] {
  return tokenize(text).map(stem);
}

/**
 * Pronouns and prepositions that say nothing about a topic ("How do I …", "log in through Okta",
 * "force everyone", "only shows"): left out of content words, so a sentence is not found to cover a question by
 * holding "I" or "through". Kept apart from STOPWORDS because the local embedder weighs those, and
 * changing them would change every stored vector.
 */
const MINOR_WORDS: ReadonlySet<string> = new Set([
  'i',
  'me',
  'my',
  'mine',
  'myself',
  'ourselves',
  'yourself',
  'itself',
  'themselves',
  'everyone',
  'everybody',
  'anyone',
  'anybody',
  'someone',
  'somebody',
  'only',
  'through',
  'via',
  'during',
  'within',
  'without',
  'between',
  'across',
  'upon',
  'onto',
]);

/** A text's content words: its stemmed tokens without stop words and minor words. */
export function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const token of tokenize(text)) {
    if (MINOR_WORDS.has(token)) continue;
    const s = stem(token);
    if (!STOPWORDS.has(s)) out.add(s);
  }
  return out;
}

export const STOPWORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'but',
  'of',
  'to',
  'in',
  'on',
  'at',
  'for',
  'with',
  'by',
  'from',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'am',
  'it',
  'its',
  'this',
  'that',
  'these',
  'those',
  'do',
  'doe',
  'does',
  'did',
  'can',
  'could',
  'would',
  'should',
  'will',
  'shall',
  'may',
  'might',
  'there',
  'here',
  'what',
  'which',
  'who',
  'whom',
  'how',
  'when',
  'where',
  'why',
  'as',
  'if',
  'so',
  'than',
  'then',
  'too',
  'very',
  'just',
  'also',
  'about',
  'into',
  'over',
  'any',
  'some',
  'all',
  'not',
  'no',
  'yes',
  'you',
  'your',
  'we',
  'our',
  'us',
  'they',
  'them',
  'their',
  'he',
  'she',
  'his',
  'her',
  'have',
  'has',
  'had',
  'get',
  'got',
]);

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a 32-bit hash of a string's UTF-16 code units, optionally seeded, returned as an
 * unsigned integer. Fast and deterministic across runs and machines; not cryptographic.
 */
export function hash32(text: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  // final avalanche (murmur3 fmix32) so low bits are usable as bucket indices
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Character n-grams of a word padded with boundary markers ("<ship>" gives "<sh", "shi", ...). */
export function charNgrams(word: string, min = 3, max = 5): string[] {
  const padded = `<${word}>`;
  const grams: string[] = [];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
  }
  return grams;
}
