import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPrices, PriceTable } from './prices.js';

describe('price table', () => {
  it('prices input, cached input and output tokens per million, dated model ids by their family', () => {
    const prices = new PriceTable();
    const usage = { inputTokens: 2_000_000, cachedTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(prices.cost('gpt-4o-mini', usage)).toBeCloseTo(0.15 + 0.075 + 0.6, 6);
    expect(prices.cost('gpt-4o-mini-2024-07-18', usage)).toBe(prices.cost('gpt-4o-mini', usage));
    expect(prices.cost('gpt-4o', usage)).toBeCloseTo(2.5 + 1.25 + 10, 6); // not mistaken for gpt-4o-mini
    expect(prices.cost('claude-sonnet-4-5-20250929', usage)).toBeCloseTo(3 + 0.3 + 15, 6);
    expect(prices.cost('llama3.1:8b', usage)).toBe(0); // local models cost nothing unless listed
  });

  it('takes overrides and new models from LLM_PRICES_FILE, and rejects a malformed one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prices-'));
    const file = join(dir, 'prices.json');
    writeFileSync(file, JSON.stringify({ 'gpt-4o-mini': { input: 1, output: 2 }, 'llama3.1': { input: 0.1, output: 0.1, cached_input: 0 } }));
    const prices = loadPrices(file);
    expect(prices.cost('gpt-4o-mini', { inputTokens: 1_000_000, cachedTokens: 0, outputTokens: 1_000_000 })).toBe(3);
    expect(prices.cost('llama3.1:8b', { inputTokens: 1_000_000, cachedTokens: 0, outputTokens: 0 })).toBeCloseTo(0.1, 6);
    writeFileSync(file, JSON.stringify({ 'gpt-x': { input: -1 } }));
    expect(() => loadPrices(file)).toThrow(/LLM_PRICES_FILE/);
  });
});
