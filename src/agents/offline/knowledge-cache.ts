/**
 * What the offline engine derives from knowledge-base text, computed once per text rather than on
 * every turn: sentence vectors (per embedder), sentence units and content words. `precomputeKnowledge`
 * fills it for the whole knowledge base at start, so an offline FAQ turn embeds only the question.
 */
import type { Embedder } from '../../llm/embeddings.js';
import { contentWords } from '../../llm/offline/text.js';
import { TextMemo } from '../../util/text-memo.js';
import { type Unit, unitsOf } from './faq-answer-units.js';

const units = new TextMemo<Unit[]>(unitsOf, 20_000);
const words = new TextMemo<Set<string>>(contentWords, 50_000);
const vectors = new WeakMap<Embedder, TextMemo<number[]>>();
// The local embedder is a pure function of its model id: every instance shares one memo.
const localVectors = new Map<string, TextMemo<number[]>>();
const LOCAL = /^local-/;

/** A passage's sentence units (shared: callers must not change them). */
export const cachedUnits = (text: string): Unit[] => units.get(text);

/** A knowledge text's content words (shared: callers must not change the set). */
export const cachedWords = (text: string): Set<string> => words.get(text);

function memoOf(embedder: Embedder): TextMemo<number[]> {
  const local = LOCAL.test(embedder.modelId);
  let memo = local ? localVectors.get(embedder.modelId) : vectors.get(embedder);
  if (!memo) {
    memo = new TextMemo<number[]>(() => {
      throw new Error('knowledge vectors are stored in batches');
    }, 20_000);
    if (local) localVectors.set(embedder.modelId, memo);
    else vectors.set(embedder, memo);
  }
  return memo;
}

/** The vectors of knowledge texts, in order: those not seen before are embedded in one call. */
export async function knowledgeVectors(embedder: Embedder, texts: readonly string[]): Promise<number[][]> {
  const memo = memoOf(embedder);
  const fresh = new Map<string, number[]>();
  const missing = [...new Set(texts.filter((t) => memo.peek(t) === undefined))];
  if (missing.length > 0) {
    const embedded = await embedder.embed(missing);
    missing.forEach((t, i) => {
      fresh.set(t, embedded[i]!);
      memo.put(t, embedded[i]!);
    });
  }
  return texts.map((t) => memo.peek(t) ?? fresh.get(t)!);
}

/** The text a passage is embedded as when the FAQ answer ranks it. */
export const passageText = (p: { heading: string; content: string }): string => `${p.heading}\n${p.content}`;

/**
 * Computes, for every passage of the knowledge base, what the offline FAQ answer and the router's
 * knowledge evidence use: the passage's and each sentence's vector, the units, the content words.
 * Returns how many texts were embedded.
 */
export async function precomputeKnowledge(embedder: Embedder, passages: readonly { title: string; heading: string; content: string }[]): Promise<number> {
  const texts: string[] = [];
  for (const p of passages) {
    const list = cachedUnits(p.content);
    texts.push(passageText(p), `${p.title}\n${p.heading}\n${p.content}`, ...list.map((u) => u.text));
    cachedWords(passageText(p));
    cachedWords(p.heading);
    cachedWords(`${p.title} ${p.heading} ${p.content}`);
    for (const u of list) cachedWords(u.text);
  }
  // In batches, so one call never carries the whole knowledge base.
  for (let i = 0; i < texts.length; i += 256) await knowledgeVectors(embedder, texts.slice(i, i + 256));
  return new Set(texts).size;
}
