import { describe, expect, it } from 'vitest';
import { expansionTerms } from './query-expansion.js';

describe('query expansion', () => {
  it('adds the other names of a country or region the question names', () => {
    expect(expansionTerms('Are duties prepaid in the UK?')).toEqual(expect.arrayContaining(['united', 'kingdom']));
    expect(expansionTerms('Do you deliver to Great Britain?')).toEqual(expect.arrayContaining(['uk', 'united', 'kingdom']));
    expect(expansionTerms('Is there VAT for United Kingdom customers?')).toContain('uk');
    expect(expansionTerms('Can I pay in the USA?')).toEqual(expect.arrayContaining(['united', 'states']));
    expect(expansionTerms('Which countries of the European Union?')).toContain('eu');
  });

  it('reads "trial" in the articles\' words ("try ... free for 14 days")', () => {
    expect(expansionTerms('How long is the trial?')).toContain('try');
    expect(expansionTerms('Are trials limited to one per company?')).toContain('try');
    expect(expansionTerms('Is there a trial period for hardware?')).toContain('try');
  });

  it('reads "US" as the country only in capitals', () => {
    expect(expansionTerms('Do you ship outside the US?')).toContain('usa');
    expect(expansionTerms('Can you email us the invoice?')).not.toContain('usa');
  });
});
