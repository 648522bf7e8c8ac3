import { describe, expect, it } from 'vitest';
import { loadIntentClassifier, trainClassifierArtifact } from './classifier.js';
import { loadRouterClassifier, ownUtterances, readRouterModel, utterancesHash } from './router-model.js';
import { TRAINING_UTTERANCES } from './training-data.js';
import { templatedUtterances } from './training/intents.js';
import { combinations, expand } from './training/expand.js';

describe('the trained router model', () => {
  const artifact = readRouterModel();
  const classifier = loadRouterClassifier();

  it('was trained on the current own utterances (run `npm run train:router` after changing them)', () => {
    expect(artifact.meta.ownUtterancesHash).toBe(utterancesHash());
  });

  it('was trained on the public training splits too, with a temperature fitted on held-out messages', () => {
    const trainedOn = artifact.meta.trainedOn as Record<string, number>;
    expect(trainedOn['clinc150/train']).toBeGreaterThan(10_000);
    expect(trainedOn['banking77/train']).toBeGreaterThan(5_000);
    expect(Object.keys(trainedOn).some((s) => /test|val|oos_test/.test(s))).toBe(false);
    expect(artifact.meta.heldOutForCalibration).toBeGreaterThan(1_000);
    expect(artifact.temperature).toBeGreaterThan(0.2);
    expect(artifact.temperature).toBeLessThan(5);
  });

  it.each([
    ['I need assistance to cancel purchase 3707955617', 'account'],
    ['help me see the bill from March', 'account'],
    ['where is my refund for order 12345678', 'account'],
    ['i want to change the shipping address of my order', 'account'],
    ['how long does the shipment take', 'faq'],
    ['how long do refunds take', 'faq'],
    ['what payment methods do you accept', 'faq'],
    ['I want to talk to a human agent', 'escalation'],
    ['someone hacked my account', 'escalation'],
    ['when is your birthday', 'smalltalk'],
    ['thanks a lot!', 'smalltalk'],
    ["what's the weather in Paris tomorrow", 'out_of_scope'],
    ['how do I transfer money to another bank account', 'out_of_scope'],
  ])('routes "%s" to %s', (text, route) => {
    expect(classifier.classify(text).route).toBe(route);
  });

  it('gives calibrated probabilities that sum to one', () => {
    const { scores, confidence } = classifier.classify('can you tell me about your plans');
    expect(Object.values(scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(confidence).toBe(Math.max(...Object.values(scores)));
  });
});

describe('classifier artifacts', () => {
  const examples = [
    ...['where is my order', 'track my package', 'my invoice please', 'show my bills'].map((text) => ({ text, route: 'account' as const })),
    ...['what is your return policy', 'how long is shipping', 'do you ship abroad', 'what plans do you have'].map((text) => ({ text, route: 'faq' as const })),
  ];

  it('round-trips: the loaded model classifies as the trained one would, within quantisation', () => {
    const artifact = trainClassifierArtifact(examples, { calibrationFolds: 0 });
    const loaded = loadIntentClassifier(JSON.parse(JSON.stringify(artifact)));
    expect(loaded.classify('where is my package').route).toBe('account');
    expect(loaded.classify('what is the shipping policy').route).toBe('faq');
  });

  it('weights examples: a heavier contradicting example wins', () => {
    const conflicting = [...examples, { text: 'refund status', route: 'faq' as const, weight: 0.1 }, { text: 'refund status', route: 'account' as const, weight: 5 }];
    const loaded = loadIntentClassifier(trainClassifierArtifact(conflicting, { calibrationFolds: 0 }));
    expect(loaded.classify('refund status').route).toBe('account');
    const flipped = conflicting.map((e) => (e.text === 'refund status' ? { ...e, weight: e.route === 'faq' ? 5 : 0.1 } : e));
    expect(loadIntentClassifier(trainClassifierArtifact(flipped, { calibrationFolds: 0 })).classify('refund status').route).toBe('faq');
  });

  it('refuses an artifact of another format or other routes', () => {
    const artifact = trainClassifierArtifact(examples, { calibrationFolds: 0 });
    expect(() => loadIntentClassifier({ ...artifact, format: 'other' as never })).toThrow(/format/);
    expect(() => loadIntentClassifier({ ...artifact, labels: ['faq', 'account'] })).toThrow(/labels/);
  });
});

describe('templated training utterances', () => {
  it('expands alternatives, nested groups and empty alternatives', () => {
    expect(combinations('{a|b} {c|{d|e}}')).toEqual(['a c', 'a d', 'a e', 'b c', 'b d', 'b e']);
    expect(combinations('x{| y}')).toEqual(['x', 'x y']);
    expect(() => combinations('{a|b')).toThrow(/unbalanced/);
  });

  it('fills slots and is deterministic', () => {
    const once = expand(['cancel order <order>'], { order: ['1', '2', '3'] }, 3);
    expect(once.length).toBeGreaterThan(0);
    expect(once.every((t) => /^cancel order [123]$/i.test(t) || /^[a-z ]+[123]$/.test(t))).toBe(true);
    expect(expand(['cancel order <order>'], { order: ['1', '2', '3'] }, 3)).toEqual(once);
    expect(() => expand(['<nope>'], {}, 1)).toThrow(/unknown slot/);
  });

  it('gives thousands of utterances over the four routes the company answers, short and long', () => {
    const items = templatedUtterances();
    expect(items.length).toBeGreaterThan(3_000);
    for (const route of ['faq', 'account', 'escalation', 'smalltalk']) expect(items.filter((i) => i.route === route).length).toBeGreaterThan(100);
    expect(items.filter((i) => i.text.length > 120).length).toBeGreaterThan(200);
    expect(ownUtterances().length).toBe(items.length + TRAINING_UTTERANCES.length);
  });
});
