import { describe, expect, it } from 'vitest';
import { accuracy, balancedAccuracy, calibration, classScores, confusionMatrix, dedupe, macroF1, passHatK, recallAtK, reciprocalRank } from './metrics.js';

describe('classification metrics', () => {
  const labels = ['a', 'b', 'c'] as const;
  const gold = ['a', 'a', 'a', 'b', 'b', 'c'];
  const pred = ['a', 'a', 'b', 'b', 'c', 'c'];

  it('counts accuracy and a confusion matrix with gold rows and predicted columns', () => {
    expect(accuracy(gold, pred)).toBeCloseTo(4 / 6);
    expect(confusionMatrix(labels, gold, pred)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('averages per-class F1 without weighting by support', () => {
    const m = confusionMatrix(labels, gold, pred);
    const s = classScores(m);
    // a: P 1, R 2/3 → F1 0.8; b: P 1/2, R 1/2 → 0.5; c: P 1/2, R 1 → 2/3
    expect(s.map((x) => x.f1)).toEqual([expect.closeTo(0.8), expect.closeTo(0.5), expect.closeTo(2 / 3)]);
    expect(macroF1(m)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3);
  });

  it('gives a class that is never predicted precision 0 and skips classes absent from the gold labels', () => {
    const m = confusionMatrix(labels, ['a', 'b'], ['a', 'a']);
    expect(classScores(m)[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    // c has no gold items: the macro average is over a and b only (F1 a = 2/3, b = 0)
    expect(macroF1(m)).toBeCloseTo(1 / 3);
  });

  it('rejects labels outside the label set', () => {
    expect(() => confusionMatrix(labels, ['a'], ['z'])).toThrow(RangeError);
  });
});

describe('ranking metrics', () => {
  it('finds the relevant items within the first k of a ranking', () => {
    const ranking = ['x', 'r1', 'y', 'z', 'w', 'r2'];
    expect(recallAtK(ranking, new Set(['r1']), 5)).toBe(1);
    expect(recallAtK(ranking, new Set(['r1', 'r2']), 5)).toBe(0.5);
    expect(recallAtK(ranking, new Set(['r2']), 5)).toBe(0);
  });

  it('scores the first relevant item by its reciprocal rank, 0 when missing', () => {
    expect(reciprocalRank(['x', 'y', 'r'], new Set(['r']))).toBeCloseTo(1 / 3);
    expect(reciprocalRank(['r', 'y'], new Set(['r', 'y']))).toBe(1);
    expect(reciprocalRank(['x'], new Set(['r']))).toBe(0);
  });

  it('ranks documents by their first chunk', () => {
    expect(dedupe(['d1', 'd2', 'd1', 'd3', 'd2'])).toEqual(['d1', 'd2', 'd3']);
  });
});

describe('pass^k', () => {
  it('is the pass rate at k = 1 and the chance that k runs all pass above it', () => {
    const outcomes = [
      [true, true, true, true],
      [true, true, false, true],
      [false, false, false, false],
    ];
    expect(passHatK(outcomes, 1)).toBeCloseTo((1 + 0.75 + 0) / 3);
    // task 2: C(3,2)/C(4,2) = 3/6
    expect(passHatK(outcomes, 2)).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(passHatK(outcomes, 4)).toBeCloseTo(1 / 3);
  });

  it('needs at least k runs of every task', () => {
    expect(() => passHatK([[true]], 2)).toThrow(RangeError);
  });
});

describe('balanced accuracy', () => {
  it('weights every gold class alike, so a majority-class guesser scores 1 / classes', () => {
    const labels = ['a', 'b'] as const;
    const gold = ['a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'b', 'b'];
    const allA = gold.map(() => 'a');
    expect(accuracy(gold, allA)).toBeCloseTo(0.8);
    expect(balancedAccuracy(confusionMatrix(labels, gold, allA))).toBeCloseTo(0.5);
  });
});

describe('calibration', () => {
  it('is 0 when each bin is right as often as it is confident', () => {
    const conf = [0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.55, 0.55];
    const right = [...Array(9).fill(true), false, true, false];
    // bin (0.9, 1]: 10 predictions, 90 % right vs 0.95 → gap 0.05; bin (0.5, 0.6]: 2, 50 % vs 0.55 → 0.05
    const { ece, bins } = calibration(conf, right);
    expect(ece).toBeCloseTo(0.05);
    expect(bins[9]).toMatchObject({ n: 10, accuracy: 0.9 });
    expect(bins[9]!.confidence).toBeCloseTo(0.95);
    expect(bins[5]).toMatchObject({ n: 2, accuracy: 0.5 });
  });

  it('weights the gap of each bin by its size: overconfident answers raise it', () => {
    // 8 answers at 0.99 of which 4 right; 2 at 0.15, both wrong
    const { ece, bins } = calibration([...Array(8).fill(0.99), 0.15, 0.15], [true, true, true, true, false, false, false, false, false, false]);
    expect(ece).toBeCloseTo(0.8 * Math.abs(0.5 - 0.99) + 0.2 * 0.15);
    expect(bins[1]).toMatchObject({ n: 2, accuracy: 0 });
  });

  it('puts 0 in the first bin and 1 in the last, and leaves empty bins out of the sum', () => {
    const { bins, ece } = calibration([0, 1], [false, true]);
    expect(bins[0]!.n).toBe(1);
    expect(bins[9]!.n).toBe(1);
    expect(bins[4]!.n).toBe(0);
    expect(ece).toBe(0);
  });

  it('rejects confidences outside [0, 1]', () => {
    expect(() => calibration([1.2], [true])).toThrow(RangeError);
  });
});
