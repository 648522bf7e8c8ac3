import { describe, it, expect } from 'vitest';
import { createLocalEmbedder } from './embedder.js';

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

function norm(v: number[]): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
}

describe('createLocalEmbedder', () => {
  it('honours the requested dimensions and names the model after them', () => {
    const embedder = createLocalEmbedder(384);
    expect(embedder.dimensions).toBe(384);
    expect(embedder.embed('hello world')).toHaveLength(384);
    expect(embedder.modelId).toContain('384');
    expect(createLocalEmbedder(64).embed('hello world')).toHaveLength(64);
  });

  it('is deterministic across calls and instances', () => {
    const a = createLocalEmbedder(256).embed('Where is my order ORD-104233?');
    const b = createLocalEmbedder(256).embed('Where is my order ORD-104233?');
    expect(a).toEqual(b);
  });

  it('returns unit vectors for text with words', () => {
    const embedder = createLocalEmbedder(512);
    for (const text of ['a', 'How do I reset my password?', 'Café crème, s’il vous plaît', '42']) {
      expect(norm(embedder.embed(text))).toBeCloseTo(1, 10);
    }
  });

  it('returns a zero vector for text with no words', () => {
    const v = createLocalEmbedder(32).embed('  ?! ');
    expect(v).toHaveLength(32);
    expect(v.every((x) => x === 0)).toBe(true);
  });

  it('places a paraphrase closer than unrelated sentences at common sizes', () => {
    for (const dimensions of [256, 384, 512, 768, 1024, 1536]) {
      const embedder = createLocalEmbedder(dimensions);
      const query = embedder.embed('How long does shipping take?');
      const paraphrase = embedder.embed('Shipping times / delivery time');
      for (const other of ['What is the capital of France?', 'Tell me a joke about cats']) {
        expect(cosine(query, paraphrase)).toBeGreaterThan(cosine(query, embedder.embed(other)) + 0.05);
      }
    }
  });

  it('matches inflected forms through stemming', () => {
    const embedder = createLocalEmbedder(512);
    const a = embedder.embed('my headset was shipped');
    const b = embedder.embed('headsets shipping');
    const c = embedder.embed('reset the password');
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
  });

  it('ignores case and accents', () => {
    const embedder = createLocalEmbedder(128);
    expect(embedder.embed('RÉSUMÉ Café')).toEqual(embedder.embed('resume cafe'));
  });

  it('embeds many texts in order', () => {
    const embedder = createLocalEmbedder(64);
    const many = embedder.embedMany(['one', 'two']);
    expect(many).toEqual([embedder.embed('one'), embedder.embed('two')]);
  });

  it('rejects nonsensical dimensions', () => {
    expect(() => createLocalEmbedder(0)).toThrow(RangeError);
    expect(() => createLocalEmbedder(12.5)).toThrow(RangeError);
  });
});
