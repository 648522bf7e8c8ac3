import { afterEach, describe, expect, it, vi } from 'vitest';
import { ownUtterances } from '../../src/llm/offline/router-model.js';
import { loadRoutingSet } from '../lib/data.js';
import { dedupeByText, evaluationDroppedAsOwnTraining, holdOut, loadPublicEvaluation, loadPublicTraining, normalise, stratifiedSubsample } from './load.js';
import { parseBankingCsv } from './sets.js';
import { snapshotDir } from './snapshots.js';
import { existsSync } from 'node:fs';

const item = (text: string, route: string) => ({ text, route, source: 'x/y', label: 'l' });

describe('normalised text and duplicates', () => {
  it('counts messages equal when they differ only in case and spacing', () => {
    expect(normalise('  Where IS\tmy\n order ')).toBe('where is my order');
  });

  it('keeps one copy of a repeated message and drops a message labelled with two routes', () => {
    const items = [item('Hi', 'smalltalk'), item('hi ', 'smalltalk'), item('cancel it', 'account'), item('Cancel it', 'escalation')] as never[];
    expect(dedupeByText(items).map((i: { text: string }) => i.text)).toEqual(['Hi']);
  });
});

describe('the stratified subsample', () => {
  const items = [
    ...Array.from({ length: 80 }, (_, i) => item(`out ${i}`, 'out_of_scope')),
    ...Array.from({ length: 15 }, (_, i) => item(`acc ${i}`, 'account')),
    ...Array.from({ length: 5 }, (_, i) => item(`faq ${i}`, 'faq')),
  ];

  it('takes n items in the proportions of the routes, every route at least once', () => {
    const s = stratifiedSubsample(items, 20);
    expect(s).toHaveLength(20);
    expect(s.filter((i) => i.route === 'out_of_scope')).toHaveLength(16);
    expect(s.filter((i) => i.route === 'account')).toHaveLength(3);
    expect(s.filter((i) => i.route === 'faq')).toHaveLength(1);
    expect(
      stratifiedSubsample(items, 3)
        .map((i) => i.route)
        .sort(),
    ).toEqual(['account', 'faq', 'out_of_scope']);
  });

  it('chooses the same items whatever their order, and other items for another seed', () => {
    const a = stratifiedSubsample(items, 20, 's1').map((i) => i.text);
    const b = stratifiedSubsample([...items].reverse(), 20, 's1').map((i) => i.text);
    expect(new Set(b)).toEqual(new Set(a));
    expect(new Set(stratifiedSubsample(items, 20, 's2').map((i) => i.text))).not.toEqual(new Set(a));
  });

  it('returns everything when n is the whole set or more', () => {
    expect(stratifiedSubsample(items, 500)).toHaveLength(100);
  });

  it('holds a stratified share apart for calibration, the rest for training, with nothing in both', () => {
    const { train, heldOut } = holdOut(items, 0.2);
    expect(heldOut).toHaveLength(20);
    expect(train).toHaveLength(80);
    expect(heldOut.filter((i) => i.route === 'account')).toHaveLength(3);
    expect(train.filter((i) => heldOut.includes(i))).toEqual([]);
    expect(holdOut(items, 0.2).heldOut).toEqual(heldOut);
  });
});

describe("Banking77's CSV", () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const csv = 'text,category\nplain text,card_arrival\n"a, ""quoted""\nmessage",request_refund\n';
    expect(parseBankingCsv(csv)).toEqual([
      { text: 'plain text', category: 'card_arrival' },
      { text: 'a, "quoted"\nmessage', category: 'request_refund' },
    ]);
  });
});

const haveData = existsSync(snapshotDir('clinc/oos-eval')) && existsSync(snapshotDir('PolyAI-LDN/task-specific-datasets'));

describe.skipIf(!haveData)('the public sets (snapshots under PUBLIC_DATA_DIR)', () => {
  const evaluation = loadPublicEvaluation();
  const training = loadPublicTraining();

  it('loads every set that is present, with TRAIN and EVAL from their fixed splits only', () => {
    expect(evaluation.map((s) => s.set)).toEqual(expect.arrayContaining(['clinc150', 'banking77']));
    const evalSources = new Set(evaluation.flatMap((s) => s.items.map((i) => i.source)));
    const trainSources = new Set(training.map((i) => i.source));
    for (const s of evalSources) expect(['clinc150/val', 'clinc150/oos_val', 'banking77/test', 'abcd/test', 'sgd/test']).toContain(s);
    for (const s of trainSources) expect(['clinc150/train', 'clinc150/oos_train', 'banking77/train', 'abcd/train']).toContain(s);
    expect(training.length).toBeGreaterThan(20000);
  });

  it('shares no message between the evaluation sets and the training pool, the own training utterances or the own routing set', () => {
    const train = new Set(training.map((i) => normalise(i.text)));
    const own = new Set(ownUtterances().map((u) => normalise(u.text)));
    const leaked = evaluation.flatMap((s) => s.items.filter((i) => train.has(normalise(i.text)) || own.has(normalise(i.text))).map((i) => i.text));
    expect(leaked).toEqual([]);
    const ownEval = new Set(loadRoutingSet().map((i) => normalise(i.text)));
    expect(training.filter((i) => ownEval.has(normalise(i.text))).map((i) => i.text)).toEqual([]);
  });

  it('loses almost nothing to messages the project copied into its own training utterances', () => {
    // A few generic ones ("hi", "hello") are written independently; more means eval texts were copied into training-data.ts.
    const total = evaluation.reduce((s, e) => s + e.items.length, 0);
    expect(evaluationDroppedAsOwnTraining().length).toBeLessThanOrEqual(Math.ceil(0.002 * total));
  });

  it('subsamples every set deterministically, stratified by route', () => {
    const a = loadPublicEvaluation({ perSet: 200 });
    const b = loadPublicEvaluation({ perSet: 200 });
    expect(a.map((s) => s.items.map((i) => i.text))).toEqual(b.map((s) => s.items.map((i) => i.text)));
    for (const s of a) {
      expect(s.items.length).toBe(Math.min(200, evaluation.find((e) => e.set === s.set)!.items.length));
      const routesFull = new Set(evaluation.find((e) => e.set === s.set)!.items.map((i) => i.route));
      expect(new Set(s.items.map((i) => i.route))).toEqual(routesFull);
    }
  });
});

describe('a missing data set', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is skipped with a message naming the repository to fetch', async () => {
    vi.stubEnv('PUBLIC_DATA_DIR', '/nonexistent-public-data');
    vi.resetModules();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fresh = await import('./load.js');
    expect(fresh.loadPublicEvaluation()).toEqual([]);
    expect(fresh.loadPublicTraining()).toEqual([]);
    const said = warn.mock.calls.map((c) => String(c[0])).join('\n');
    for (const repo of ['clinc/oos-eval', 'PolyAI-LDN/task-specific-datasets', 'asappresearch/abcd', 'google-research-datasets/dstc8-schema-guided-dialogue'])
      expect(said).toContain(`fetch github:${repo}`);
    warn.mockRestore();
  });
});
