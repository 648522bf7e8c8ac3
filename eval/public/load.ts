/**
 * The public data as the router's training code and the evaluation use it:
 * - `loadPublicTraining()`: the TRAIN splits (CLINC150 train + oos_train, Banking77 train, ABCD
 *   train), minus every message that is also in an evaluation set;
 * - `loadPublicEvaluation()`: the EVAL splits (CLINC150 val + oos_val, Banking77 test, ABCD test,
 *   SGD test), optionally a deterministic stratified subsample of each.
 * A set whose snapshot is missing is skipped with a message naming the repository to fetch.
 */
import { ownUtterances } from '../../src/llm/offline/router-model.js';
import { loadRoutingSet } from '../lib/data.js';
import { SETS, type LabelledUtterance, type PublicSetName } from './sets.js';
import { MissingData } from './snapshots.js';

export type { LabelledUtterance } from './sets.js';

/** The form in which two messages count as the same: lowercased, whitespace collapsed. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

const warned = new Set<string>();

/** Runs a set's loader; a missing snapshot or file is reported once and gives no items. */
function tryLoad(set: string, load: () => LabelledUtterance[]): LabelledUtterance[] | null {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof MissingData) && !(err instanceof Error && /none of the test dialogue files/.test(err.message))) throw err;
    if (!warned.has(err.message)) {
      warned.add(err.message);
      console.warn(`public data: skipping ${set}: ${err.message}`);
    }
    return null;
  }
}

/**
 * Keeps the first message of each normalised text; a text labelled with two different routes is
 * dropped altogether (its label is ambiguous).
 */
export function dedupeByText(items: readonly LabelledUtterance[]): LabelledUtterance[] {
  const routes = new Map<string, Set<string>>();
  for (const i of items) {
    const k = normalise(i.text);
    if (!routes.has(k)) routes.set(k, new Set());
    routes.get(k)!.add(i.route);
  }
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = normalise(i.text);
    if (routes.get(k)!.size > 1 || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** One evaluation set: its name and its mapped messages. */
export interface PublicEvaluationSet {
  set: PublicSetName;
  items: LabelledUtterance[];
}

/** How to subsample: at most `perSet` messages of each set, chosen by `seed`. */
export interface SubsampleOptions {
  perSet?: number;
  seed?: string;
}

/** FNV-1a over a string: a stable, order-free key for choosing a subsample. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A deterministic subsample of n items, stratified by route: each route gets its proportional
 * share (largest remainders, at least one item for every route present), and within a route the
 * items with the smallest hash of seed + text are taken, so the choice does not depend on order.
 */
export function stratifiedSubsample<T extends { text: string; route: string }>(items: readonly T[], n: number, seed = 'switchboard'): T[] {
  if (n >= items.length) return [...items];
  const byRoute = new Map<string, T[]>();
  for (const i of items) {
    if (!byRoute.has(i.route)) byRoute.set(i.route, []);
    byRoute.get(i.route)!.push(i);
  }
  const groups = [...byRoute.entries()].sort(([a], [b]) => a.localeCompare(b));
  const quota = groups.map(([, g]) => (n * g.length) / items.length);
  const take = quota.map((q, i) => Math.min(groups[i]![1].length, Math.max(1, Math.floor(q))));
  let left = n - take.reduce((s, t) => s + t, 0);
  // The one-per-route minimum can overshoot n: take back from the largest shares.
  while (left < 0) {
    const i = take.indexOf(Math.max(...take));
    take[i]!--;
    left++;
  }
  const order = quota.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length * 2; k++) {
    const { i } = order[k % order.length]!;
    if (take[i]! < groups[i]![1].length) {
      take[i]!++;
      left--;
    }
  }
  const keyed = (t: T) => fnv(`${seed}\u0000${normalise(t.text)}`);
  const chosen = new Set<T>();
  groups.forEach(([, g], gi) => {
    for (const t of [...g].sort((a, b) => keyed(a) - keyed(b)).slice(0, take[gi])) chosen.add(t);
  });
  return items.filter((i) => chosen.has(i));
}

/** Normalised texts of the project's own hand-written training utterances. */
function ownTrainingTexts(): Set<string> {
  return new Set(ownUtterances().map((u) => normalise(u.text)));
}

let full: { sets: PublicEvaluationSet[]; droppedAsOwnTraining: LabelledUtterance[] } | undefined;

/**
 * Every evaluation set in full, deduplicated, skipping sets whose data are missing. A message the
 * project's own training utterances (src/llm/offline/training-data.ts and the templated ones of src/llm/offline/training/) also contain is not
 * evaluated: it would be scored on a message the classifier learnt by heart. Those are kept in
 * `droppedAsOwnTraining` so a test can bound them.
 */
function fullEvaluation(): { sets: PublicEvaluationSet[]; droppedAsOwnTraining: LabelledUtterance[] } {
  if (full) return full;
  const own = ownTrainingTexts();
  const dropped: LabelledUtterance[] = [];
  const sets = SETS.flatMap((s) => {
    const items = tryLoad(s.name, s.evaluation);
    if (!items) return [];
    const kept: LabelledUtterance[] = [];
    for (const i of dedupeByText(items)) (own.has(normalise(i.text)) ? dropped : kept).push(i);
    return [{ set: s.name, items: kept }];
  });
  full = { sets, droppedAsOwnTraining: dropped };
  return full;
}

/** The public evaluation messages left out because the project's own training utterances contain them. */
export function evaluationDroppedAsOwnTraining(): LabelledUtterance[] {
  return fullEvaluation().droppedAsOwnTraining;
}

/**
 * The public evaluation sets (EVAL splits), each deduplicated by normalised text; with `perSet`, a
 * deterministic subsample of each stratified by route.
 */
export function loadPublicEvaluation(opts: SubsampleOptions = {}): PublicEvaluationSet[] {
  const { sets } = fullEvaluation();
  if (opts.perSet === undefined) return sets;
  return sets.map((s) => ({ set: s.set, items: stratifiedSubsample(s.items, opts.perSet!, opts.seed) }));
}

/**
 * The public training pool (TRAIN splits), deduplicated, without any message whose normalised text
 * is in a public evaluation set or in the project's own routing set (eval/data/routing.jsonl).
 */
export function loadPublicTraining(): LabelledUtterance[] {
  const held = new Set([...fullEvaluation().sets.flatMap((s) => s.items.map((i) => normalise(i.text))), ...loadRoutingSet().map((i) => normalise(i.text))]);
  const pool = SETS.flatMap((s) => tryLoad(s.name, s.train) ?? []);
  return dedupeByText(pool).filter((i) => !held.has(normalise(i.text)));
}

/**
 * Splits a pool in two, deterministically and stratified by route: `heldOut` (a `share` of it, e.g.
 * for calibrating confidences on data the model did not learn from) and `train` (the rest). The same
 * pool and seed always give the same split.
 */
export function holdOut<T extends { text: string; route: string }>(items: readonly T[], share = 0.1, seed = 'calibration'): { train: T[]; heldOut: T[] } {
  const held = new Set(stratifiedSubsample(items, Math.round(share * items.length), seed));
  return { train: items.filter((i) => !held.has(i)), heldOut: items.filter((i) => held.has(i)) };
}
