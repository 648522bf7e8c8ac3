import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ROUTES } from '../../src/llm/offline/routes.js';
import { normalizeText } from '../../src/llm/offline/text.js';

/** Where the labelled evaluation sets live. */
export const DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

/**
 * Which batch an item was written in: `tuned` items were written first and their errors were looked
 * at while improving the classifier and the search; `fresh` items were written after that work and
 * never looked at before being scored, so they measure how well the improvements generalise.
 */
export const batchSchema = z.enum(['tuned', 'fresh']);
export type Batch = z.infer<typeof batchSchema>;

/** One labelled customer message of the routing set. */
export const routingItemSchema = z.object({
  text: z.string().min(1),
  route: z.enum(ROUTES),
  /** How it is written: plain, typo, slang, short, long, multi (several intents), lang:xx. */
  tags: z.array(z.string().regex(/^(plain|typo|slang|short|long|multi|lang:[a-z]{2})$/)).min(1),
  batch: batchSchema,
});
export type RoutingItem = z.infer<typeof routingItemSchema>;

/** One question of the retrieval set, with the knowledge-base articles that answer it. */
export const retrievalItemSchema = z.object({
  question: z.string().min(1),
  relevant: z.array(z.string().min(1)).min(1),
  /** True for the subset whose FAQ answer is checked too (its cited article must be relevant). */
  answer_check: z.boolean().optional(),
  /** For answer_check questions: a regular expression (case-insensitive) the answer's first sentence must match: the fact asked for. */
  answer_fact: z
    .string()
    .refine((s) => {
      try {
        new RegExp(s, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'not a regular expression')
    .optional(),
  batch: batchSchema,
});
export type RetrievalItem = z.infer<typeof retrievalItemSchema>;

/** Reads a JSON-lines file, validating every line; errors name the file and line. */
export function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: T[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = schema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    out.push(parsed.data);
  });
  return out;
}

/** The routing set (eval/data/routing.jsonl). */
export function loadRoutingSet(): RoutingItem[] {
  return readJsonl(`${DATA_DIR}routing.jsonl`, routingItemSchema);
}

/** The retrieval set (eval/data/retrieval.jsonl). */
export function loadRetrievalSet(): RetrievalItem[] {
  return readJsonl(`${DATA_DIR}retrieval.jsonl`, retrievalItemSchema);
}

/** A message as the overlap checks compare it: normalised, punctuation gone (emoji-only text stays as typed). */
export function overlapKey(text: string): string {
  return (
    normalizeText(text)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim() || text
  );
}

/** Every message of the own evaluation sets (routing and retrieval), as overlap keys: training leaves them out. */
export function evaluationKeys(): Set<string> {
  return new Set([...loadRoutingSet().map((i) => overlapKey(i.text)), ...loadRetrievalSet().map((i) => overlapKey(i.question))]);
}
