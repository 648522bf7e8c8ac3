import { describe, it, expect } from 'vitest';
import { charNgrams, hash32, normalizeText, stem, stemmedTokens, tokenize, contentWords } from './text.js';

describe('normalizeText', () => {
  it('lowercases and strips accents', () => {
    expect(normalizeText('Crème Brûlée À LA Façon')).toBe('creme brulee a la facon');
    expect(normalizeText('Straße Ñandú')).toBe('straße nandu');
  });

  it('folds compatibility forms (NFKD)', () => {
    expect(normalizeText('ﬁle ①')).toBe('file 1');
  });
});

describe('tokenize', () => {
  it('splits on anything that is not a letter or digit and keeps digits', () => {
    expect(tokenize('Where is ORD-104233?? (shipped 2x)')).toEqual(['where', 'is', 'ord', '104233', 'shipped', '2x']);
  });

  it('joins words split by apostrophes', () => {
    expect(tokenize("I don't know, it’s fine")).toEqual(['i', 'dont', 'know', 'its', 'fine']);
  });

  it('returns nothing for punctuation only', () => {
    expect(tokenize(' ?!... ')).toEqual([]);
  });
});

describe('stem', () => {
  it('brings inflected forms together', () => {
    expect(new Set(['shipping', 'shipped', 'ships', 'ship'].map(stem))).toEqual(new Set(['ship']));
    expect(new Set(['charges', 'charged', 'charging', 'charge'].map(stem)).size).toBe(1);
    expect(stem('invoices')).toBe(stem('invoice'));
    expect(stem('quickly')).toBe('quick');
    expect(stem('deliveries')).toBe(stem('delivery'));
  });

  it('undoubles a final l the way Porter2 does: British -lling and -lled meet the base, short words keep ll', () => {
    expect(new Set(['cancelling', 'cancelled', 'cancels', 'cancel'].map(stem))).toEqual(new Set(['cancel']));
    expect(new Set(['travelling', 'traveled', 'travel'].map(stem))).toEqual(new Set(['travel']));
    expect(stem('installed')).toBe(stem('install'));
    expect(['bill', 'billed', 'call', 'calling', 'small', 'still', 'scrolling'].map(stem)).toEqual(['bill', 'bill', 'call', 'call', 'small', 'still', 'scroll']);
  });

  it('leaves short words, numbers and non-plurals ending in s alone', () => {
    expect(stem('is')).toBe('is');
    expect(stem('status')).toBe('status');
    expect(stem('address')).toBe('address');
    expect(stem('2026s')).toBe('2026s');
    expect(stem('string')).toBe('string');
  });

  it('stems every token of a text', () => {
    expect(stemmedTokens('Shipped Headsets')).toEqual(['ship', 'headset']);
  });
});

describe('hash32', () => {
  it('is deterministic, unsigned 32-bit, and seed-dependent', () => {
    expect(hash32('invoice')).toBe(hash32('invoice'));
    expect(hash32('invoice')).not.toBe(hash32('invoices'));
    expect(hash32('invoice', 1)).not.toBe(hash32('invoice', 2));
    for (const s of ['', 'a', 'hello world', '💡']) {
      const h = hash32(s);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });

  it('spreads similar keys evenly over buckets', () => {
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 16000; i++) buckets[hash32(`c:key${i}`) % 16]++;
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
});

describe('charNgrams', () => {
  it('returns padded 3- to 5-grams', () => {
    expect(charNgrams('ab')).toEqual(['<ab', 'ab>', '<ab>']);
    expect(charNgrams('ship')).toContain('<sh');
    expect(charNgrams('ship')).toContain('ship>');
    expect(charNgrams('ship')).toHaveLength(4 + 3 + 2);
  });
});

describe('contentWords', () => {
  it('leaves out pronouns and prepositions that name no topic', () => {
    expect([...contentWords('Can we force everyone to log in through Okta?')]).toEqual(['forc', 'log', 'okta']);
    expect([...contentWords('How do I upgrade my plan?')]).toEqual(['upgrad', 'plan']);
  });
});
