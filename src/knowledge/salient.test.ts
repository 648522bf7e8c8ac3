import { describe, expect, it } from 'vitest';
import { longMessageAround } from '../../test/long-message.js';
import { pieces, salientPart, SEARCH_QUERY_CHARS } from './salient.js';

describe('salientPart', () => {
  it('returns a message within the limit as it is', () => {
    expect(salientPart('  How long does shipping take?  ')).toBe('How long does shipping take?');
  });

  it('finds the question in a 2,000-character message, within the limit', () => {
    const text = longMessageAround('How long does shipping to Canada take?');
    expect(text.length).toBeGreaterThanOrEqual(2000);
    expect(salientPart(text)).toBe('How long does shipping to Canada take?');
  });

  it('keeps every question of a long message, in the order they were asked', () => {
    const text = longMessageAround('Can I pay by PayPal? And how long does shipping to Canada take?');
    expect(salientPart(text)).toBe('Can I pay by PayPal? And how long does shipping to Canada take?');
  });

  it('with a vague question, also keeps the statements richest in the knowledge base words', () => {
    const kb = new Set(['headset', 'cracked', 'arrived', 'warranty']);
    const text = longMessageAround('My new headset arrived cracked. What should I do now?');
    const out = salientPart(text, { weight: (w) => (kb.has(w) ? 2 : 0) });
    expect(out).toContain('My new headset arrived cracked.');
    expect(out).toContain('What should I do now?');
    expect(out.length).toBeLessThanOrEqual(SEARCH_QUERY_CHARS);
  });

  it('with no question, picks the sentences that use the knowledge base words', () => {
    const kb = new Set(['invoice', 'vat', 'number']);
    const filler = 'We had a long week at the office and everybody is tired. '.repeat(12);
    const out = salientPart(`${filler}Our VAT number is missing on the invoice. ${filler}`, { weight: (w) => (kb.has(w) ? 3 : 0) });
    expect(out).toBe('Our VAT number is missing on the invoice.');
  });

  it('cuts text with nothing salient at a word boundary within the limit', () => {
    const text = 'word '.repeat(400);
    const out = salientPart(text);
    expect(out.length).toBeLessThanOrEqual(SEARCH_QUERY_CHARS);
    expect(out.endsWith('word')).toBe(true);
  });

  it('splits run-on text without full stops into clauses no longer than 250 characters', () => {
    const runOn = Array.from({ length: 120 }, (_, i) => `part${i}`).join(' ');
    const parts = pieces(runOn);
    expect(parts.length).toBeGreaterThan(1);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThanOrEqual(250);
    expect(parts.join(' ')).toBe(runOn);
  });

  it('never returns more than the limit, whatever the message', () => {
    const many = Array.from({ length: 40 }, (_, i) => `How do I set up integration number ${i} with the API?`).join(' ');
    expect(salientPart(many).length).toBeLessThanOrEqual(SEARCH_QUERY_CHARS);
    expect(salientPart(many, { maxChars: 120 }).length).toBeLessThanOrEqual(120);
  });
});
