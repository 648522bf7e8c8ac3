import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSection } from './doc.js';
import { formatRatio, meetsTarget, missedTargets, ratioOf, type Figure } from './report.js';
import { quantile, summarize } from './stats.js';

describe('figures against their baseline', () => {
  const latency: Figure = { name: 'p50', value: 2, unit: 'ms', baseline: { name: 'exact', value: 100 }, target: { on: 'speedup', op: '>=', value: 40 } };

  it('reports the ratio to the baseline and the speed-up it means', () => {
    expect(ratioOf(latency)).toBeCloseTo(0.02);
    expect(formatRatio(latency)).toBe('0.0200× (50.0× faster)');
  });

  it('checks targets on the value, the ratio or the speed-up', () => {
    expect(meetsTarget(latency)).toBe(true);
    expect(meetsTarget({ ...latency, value: 4 })).toBe(false); // 25× < 40×
    expect(meetsTarget({ name: 'recall', value: 0.97, unit: '', target: { on: 'value', op: '>=', value: 0.98 } })).toBe(false);
    expect(meetsTarget({ name: 'overhead', value: 1.03, unit: '', baseline: { name: 'b', value: 1 }, target: { on: 'ratio', op: '<=', value: 1.05 } })).toBe(true);
    expect(meetsTarget({ name: 'no target', value: 1, unit: '' })).toBeNull();
  });

  it('counts a target against a missing baseline as missed, and lists misses with their reason', () => {
    const orphan: Figure = { name: 'x', value: 1, unit: 'ms', target: { on: 'speedup', op: '>=', value: 2 }, note: 'no baseline' };
    expect(meetsTarget(orphan)).toBe(false);
    expect(missedTargets([{ caption: 't', figures: [latency, orphan] }])).toEqual([expect.stringMatching(/^x: 1\.00 ms, target speed-up ≥ 2\.00× — no baseline$/)]);
  });
});

describe('latency statistics', () => {
  it('interpolates quantiles between ranks', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.99)).toBe(5);
    expect(summarize([1, 2, 3, 4, 100])).toMatchObject({ n: 5, p50: 3, mean: 22 });
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe('writeSection', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-doc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites one section and keeps the others, in the given order', () => {
    const file = path.join(dir, 'doc.md');
    writeSection(file, '# Title', 'b', 'second v1', ['a', 'b']);
    writeSection(file, '# Title', 'a', 'first', ['a', 'b']);
    writeSection(file, '# Title v2', 'b', 'second v2', ['a', 'b']);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Title v2\n')).toBe(true);
    expect(text.indexOf('first')).toBeLessThan(text.indexOf('second v2'));
    expect(text).not.toContain('second v1');
  });
});
