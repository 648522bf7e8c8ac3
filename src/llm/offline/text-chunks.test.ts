import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, textChunks } from './offline-model.js';

describe("textChunks (the offline engine's stream deltas)", () => {
  it('sends a few words a delta, never splitting a word, and loses nothing', () => {
    const text = 'Standard shipping to Canada takes 5–8 business days; express takes 2–3. Orders placed before noon ship the same day, and every order gets a tracking link by email.';
    const chunks = textChunks(text);
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBeLessThan(text.split(' ').length / 4); // word by word was one delta per word
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeGreaterThanOrEqual(CHUNK_CHARS);
      expect(c).toMatch(/\s$/); // ends at a word's end
    }
  });

  it('keeps any text whole, in order, each delta but the last at least the size', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', 'é'), maxLength: 400 }), fc.integer({ min: 1, max: 80 }), (text, size) => {
        const chunks = textChunks(text, size);
        expect(chunks.join('')).toBe(text);
        for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(size);
        for (let i = 1; i < chunks.length; i++) expect(/\S$/.test(chunks[i - 1]!) && /^\S/.test(chunks[i]!)).toBe(false);
      }),
    );
  });
});
