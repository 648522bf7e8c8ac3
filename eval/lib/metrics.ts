/** Quality metrics of the evaluation: classification (accuracy, macro-F1), ranking (recall@k, MRR), agents (pass^k). */

/** Fraction of predictions equal to their gold label. */
export function accuracy<L>(gold: readonly L[], predicted: readonly L[]): number {
  if (gold.length !== predicted.length) throw new RangeError('gold and predicted differ in length');
  if (gold.length === 0) return Number.NaN;
  let right = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) right++;
  return right / gold.length;
}

/** counts[g][p]: how many items of gold label `labels[g]` were predicted as `labels[p]`. */
export function confusionMatrix<L>(labels: readonly L[], gold: readonly L[], predicted: readonly L[]): number[][] {
  const counts = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < gold.length; i++) {
    const g = labels.indexOf(gold[i]!);
    const p = labels.indexOf(predicted[i]!);
    if (g < 0 || p < 0) throw new RangeError(`label not in the label set: ${String(g < 0 ? gold[i] : predicted[i])}`);
    counts[g]![p]!++;
  }
  return counts;
}

/** Precision, recall and F1 of one class. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix. A class never predicted has
 * precision 0 (not NaN), so it lowers the macro average as it should.
 */
export function classScores(matrix: readonly (readonly number[])[]): ClassScores[] {
  return matrix.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((s, v) => s + v, 0);
    const predictedAs = matrix.reduce((s, r) => s + r[c]!, 0);
    const precision = predictedAs === 0 ? 0 : tp / predictedAs;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}

/** Unweighted mean of the per-class F1 over the classes that occur in the gold labels. */
export function macroF1(matrix: readonly (readonly number[])[]): number {
  const scores = classScores(matrix).filter((s) => s.support > 0);
  return scores.length === 0 ? Number.NaN : scores.reduce((s, c) => s + c.f1, 0) / scores.length;
}

/** Fraction of the relevant items found in the first k of a ranking (duplicates count once). */
export function recallAtK<T>(ranking: readonly T[], relevant: ReadonlySet<T>, k: number): number {
  if (relevant.size === 0) throw new RangeError('recall needs at least one relevant item');
  const found = new Set(ranking.slice(0, k).filter((x) => relevant.has(x)));
  return found.size / relevant.size;
}

/** 1 / rank of the first relevant item (1-based), 0 when none is in the ranking. */
export function reciprocalRank<T>(ranking: readonly T[], relevant: ReadonlySet<T>): number {
  const i = ranking.findIndex((x) => relevant.has(x));
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Keeps the first occurrence of each item: chunk hits → the ranking of their documents. */
export function dedupe<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Binomial coefficient C(n, k) for small n. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * pass^k (τ-bench): the chance that k independent runs of a task all pass, estimated per task
 * from n runs with c passes as C(c, k) / C(n, k) and averaged over tasks. pass^1 is the plain
 * pass rate; pass^k falls as k grows unless every task passes every time.
 */
export function passHatK(outcomes: readonly (readonly boolean[])[], k: number): number {
  if (outcomes.length === 0) return Number.NaN;
  let sum = 0;
  for (const runs of outcomes) {
    if (runs.length < k) throw new RangeError(`pass^${k} needs at least ${k} runs per task, got ${runs.length}`);
    sum += choose(runs.filter(Boolean).length, k) / choose(runs.length, k);
  }
  return sum / outcomes.length;
}

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Mean recall over the classes that occur in the gold labels: accuracy with every class weighted alike. */
export function balancedAccuracy(matrix: readonly (readonly number[])[]): number {
  const scores = classScores(matrix).filter((s) => s.support > 0);
  return scores.length === 0 ? Number.NaN : scores.reduce((s, c) => s + c.recall, 0) / scores.length;
}

/** One bin of a reliability table. */
export interface ReliabilityBin {
  /** The bin holds confidences in (lo, hi]; the first bin also holds 0. */
  lo: number;
  hi: number;
  n: number;
  /** Mean confidence and share correct of the bin's predictions (NaN for an empty bin). */
  confidence: number;
  accuracy: number;
}

/**
 * Calibration of confidences: expected calibration error over `bins` equal-width bins (the
 * size-weighted mean gap between a bin's accuracy and its mean confidence) and the reliability
 * table it is computed from. A router is calibrated when its 0.9 answers are right 90 % of the time.
 */
export function calibration(confidences: readonly number[], correct: readonly boolean[], bins = 10): { ece: number; bins: ReliabilityBin[] } {
  if (confidences.length !== correct.length) throw new RangeError('confidences and correct differ in length');
  const table = Array.from({ length: bins }, (_, b) => ({ lo: b / bins, hi: (b + 1) / bins, n: 0, sumConf: 0, right: 0 }));
  confidences.forEach((c, i) => {
    if (!(c >= 0 && c <= 1)) throw new RangeError(`confidence out of [0, 1]: ${c}`);
    const bin = table[Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1))]!;
    bin.n++;
    bin.sumConf += c;
    if (correct[i]) bin.right++;
  });
  const n = confidences.length;
  const out = table.map((b) => ({ lo: b.lo, hi: b.hi, n: b.n, confidence: b.n ? b.sumConf / b.n : Number.NaN, accuracy: b.n ? b.right / b.n : Number.NaN }));
  const ece = n === 0 ? Number.NaN : out.reduce((s, b) => s + (b.n ? (b.n / n) * Math.abs(b.accuracy - b.confidence) : 0), 0);
  return { ece, bins: out };
}
