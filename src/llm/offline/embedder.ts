/**
 * A local text embedder: feature hashing over word unigrams, word bigrams and character
 * n-grams, with sublinear term frequency and L2 normalisation. Deterministic, no model
 * download, no network; good enough for retrieving knowledge passages by lexical and
 * sub-word overlap (paraphrases that share stems or word pieces land close together).
 */
import { charNgrams, hash32, stem, STOPWORDS, tokenize } from './text.js';

export interface LocalEmbedder {
  readonly dimensions: number;
  readonly modelId: string;
  /** Embeds one text into a unit vector of `dimensions` numbers (all zeros for text with no words). */
  embed(text: string): number[];
  /** Embeds several texts, in order. */
  embedMany(texts: string[]): number[][];
}

// Feature-kind seeds keep a unigram "ship" and a char n-gram "ship" in different buckets.
const SEED_UNIGRAM = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca77;
const SEED_CHAR = 0xc2b2ae3d;

// Relative weights per feature kind, so the many char n-grams do not drown out whole words.
const WEIGHT_UNIGRAM = 1;
const WEIGHT_STOPWORD = 0.25;
const WEIGHT_BIGRAM = 0.4;
const WEIGHT_CHAR = 0.2;

/** Counts hashed features of a text: word unigrams, bigrams and char 3-5-grams, each with a weight. */
function collectFeatures(text: string): Map<string, { seed: number; weight: number; count: number }> {
  const features = new Map<string, { seed: number; weight: number; count: number }>();
  const add = (key: string, seed: number, weight: number): void => {
    const existing = features.get(key);
    if (existing) existing.count += 1;
    else features.set(key, { seed, weight, count: 1 });
  };
  const words = tokenize(text);
  const stems = words.map(stem);
  for (let i = 0; i < stems.length; i++) {
    const s = stems[i];
    const isStop = STOPWORDS.has(words[i]) || STOPWORDS.has(s);
    add(`u:${s}`, SEED_UNIGRAM, isStop ? WEIGHT_STOPWORD : WEIGHT_UNIGRAM);
    if (i > 0) add(`b:${stems[i - 1]} ${s}`, SEED_BIGRAM, WEIGHT_BIGRAM);
    if (!isStop) for (const gram of charNgrams(words[i])) add(`c:${gram}`, SEED_CHAR, WEIGHT_CHAR);
  }
  return features;
}

/** Creates the deterministic hashed n-gram embedder used when no embedding provider is configured. */
export function createLocalEmbedder(dimensions: number): LocalEmbedder {
  if (!Number.isInteger(dimensions) || dimensions < 8) {
    throw new RangeError(`embedding dimensions must be an integer >= 8, got ${dimensions}`);
  }

  const embed = (text: string): number[] => {
    const vector = new Float64Array(dimensions);
    for (const [key, { seed, weight, count }] of collectFeatures(text)) {
      const h = hash32(key, seed);
      const bucket = h % dimensions;
      // sign from a bit the bucket index does not depend on, so collisions cancel on average
      const sign = hash32(key, seed ^ 0x5bd1e995) & 1 ? 1 : -1;
      vector[bucket] += sign * weight * (1 + Math.log(count));
    }
    let norm = 0;
    for (let i = 0; i < dimensions; i++) norm += vector[i] * vector[i];
    norm = Math.sqrt(norm);
    const out = new Array<number>(dimensions);
    for (let i = 0; i < dimensions; i++) out[i] = norm > 0 ? vector[i] / norm : 0;
    return out;
  };

  return {
    dimensions,
    modelId: `local-hashed-ngram-v2-${dimensions}`,
    embed,
    embedMany: (texts) => texts.map(embed),
  };
}
