import { describe, it, expect } from 'vitest';
import { crossValidate, trainIntentClassifier } from './classifier.js';
import { ROUTES, type Route } from './routes.js';
import { normalizeText } from './text.js';
import { TRAINING_UTTERANCES } from './training-data.js';

// Written for this test, never trained on (checked below).
const HELD_OUT: Record<Route, string[]> = {
  faq: [
    'Do you offer a discount for annual billing?',
    'How do I connect Switchboard to Microsoft Teams?',
    "what's the warranty period on headsets",
    "Can I get a refund if the headset doesn't fit?",
    'is there a limit on how many agents can be on the Starter plan',
    'how do I turn off call recording',
  ],
  account: [
    'When will ORD-100555 be delivered?',
    'what was the total on my February invoice',
    'am I still on the trial?',
    "show me the invoices I haven't paid",
    'which plan does my company have',
    'has my return been received yet',
  ],
  escalation: [
    'I need to talk to an actual human being',
    'Cancel my Pro subscription today',
    'You billed me $99 twice, refund one of them',
    'this is a joke, nobody from support has answered in a week',
    "our phones have been down since this morning and we can't reach anyone",
    'please erase my personal information from your systems',
  ],
  smalltalk: ['hey hey', 'thanks a bunch!', 'good evening', 'are you an actual person?', 'ok cool thanks', 'bye for now'],
  out_of_scope: [
    "what's the best recipe for lasagna",
    'who won the NBA finals',
    'write me a short story about a dragon',
    'how do I calculate compound interest',
    "what's the weather like in Seattle",
    'recommend a TV show to binge',
  ],
};

const classifier = trainIntentClassifier();

describe('trainIntentClassifier', () => {
  it('is deterministic: two trainings give identical scores', () => {
    const again = trainIntentClassifier();
    expect(again.temperature).toBe(classifier.temperature);
    for (const text of ['where is my order', 'hello', 'what is the refund policy']) {
      expect(again.classify(text)).toEqual(classifier.classify(text));
    }
  });

  it('gives different models for different seeds', () => {
    const other = trainIntentClassifier(TRAINING_UTTERANCES, { seed: 99 });
    expect(other.classify('hmm the thing').scores).not.toEqual(classifier.classify('hmm the thing').scores);
  });

  it('labels every route and returns a distribution over them', () => {
    expect(classifier.labels).toEqual(ROUTES);
    const result = classifier.classify('Is invoice INV-2026-00042 paid?');
    const total = ROUTES.reduce((sum, route) => sum + result.scores[route], 0);
    expect(total).toBeCloseTo(1, 10);
    expect(result.confidence).toBe(Math.max(...Object.values(result.scores)));
    expect(result.scores[result.route]).toBe(result.confidence);
  });

  it('classifies fresh sentences it never saw into the right route', () => {
    const seen = new Set(TRAINING_UTTERANCES.map((e) => normalizeText(e.text)));
    let correct = 0;
    let total = 0;
    for (const route of ROUTES) {
      const texts = HELD_OUT[route];
      const hits = texts.filter((text) => classifier.classify(text).route === route).length;
      for (const text of texts) expect(seen.has(normalizeText(text)), text).toBe(false);
      expect(hits, `${route}: ${hits}/${texts.length}`).toBeGreaterThanOrEqual(texts.length - 1);
      correct += hits;
      total += texts.length;
    }
    expect(correct / total).toBeGreaterThanOrEqual(0.9);
  });

  it('routes identifiers and clear requests by their meaning', () => {
    expect(classifier.classify('status of ORD-104255?').route).toBe('account');
    expect(classifier.classify('I demand to speak to a manager').route).toBe('escalation');
    expect(classifier.classify('What payment methods can I use?').route).toBe('faq');
  });

  it('is less confident about gibberish and ambiguous text than about a clear request', () => {
    const clear = classifier.classify('Where is my order ORD-104233?').confidence;
    for (const text of ['asdkjh qwpeoiru zxcmvn', 'xq zzv blorp', 'the thing with the stuff']) {
      expect(classifier.classify(text).confidence, text).toBeLessThan(clear - 0.2);
    }
  });

  it('fits a positive finite temperature', () => {
    expect(classifier.temperature).toBeGreaterThan(0.05);
    expect(classifier.temperature).toBeLessThan(20);
  });

  it('uses temperature 1 when calibration is disabled', () => {
    expect(trainIntentClassifier(TRAINING_UTTERANCES, { calibrationFolds: 0 }).temperature).toBe(1);
  });

  it('rejects an empty training set and unknown routes', () => {
    expect(() => trainIntentClassifier([])).toThrow(RangeError);
    const bad = [{ text: 'hi', route: 'sales' }] as unknown as { text: string; route: Route }[];
    expect(() => trainIntentClassifier(bad)).toThrow(/unknown route/);
  });
});

describe('crossValidate', () => {
  it('reaches at least 85% held-out accuracy with calibrated confidence', () => {
    const result = crossValidate(TRAINING_UTTERANCES, 5);
    console.log(
      `5-fold CV over ${TRAINING_UTTERANCES.length} utterances: accuracy ${result.accuracy.toFixed(3)}, ` +
        `ECE ${result.ece.toFixed(3)} (uncalibrated ${result.eceUncalibrated.toFixed(3)}), NLL ${result.nll.toFixed(3)}`,
    );
    expect(result.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(result.ece).toBeLessThan(0.12);
    for (const route of ROUTES) expect(result.accuracyByRoute[route], route).toBeGreaterThan(0.7);
    expect(result.errors.length).toBe(Math.round((1 - result.accuracy) * TRAINING_UTTERANCES.length));
  });

  it('rejects fewer than two folds', () => {
    expect(() => crossValidate(TRAINING_UTTERANCES, 1)).toThrow(RangeError);
  });
});
