import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { TokenUsage } from './observer.js';

/** A model's price in US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cached (prompt-cache read) input tokens; the input price when absent. */
  cachedInput?: number;
}

/**
 * List prices (USD per 1M tokens) of common models as published by the providers; override or
 * extend them with LLM_PRICES_FILE. Models not listed (local models) cost nothing.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  // Anthropic
  'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-5-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
};

const priceFile = z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0), cached_input: z.number().min(0).optional() }));

/** Prices by model; a dated model id ("gpt-4o-mini-2024-07-18") takes the price of its longest listed prefix. */
export class PriceTable {
  private readonly byLength: [string, ModelPrice][];
  /** Looked-up prices by model id (a handful of ids per process; every call asks). */
  private readonly found = new Map<string, ModelPrice | undefined>();

  constructor(prices: Record<string, ModelPrice> = DEFAULT_PRICES) {
    this.byLength = Object.entries(prices).sort((a, b) => b[0].length - a[0].length);
  }

  /** The price of a model, or undefined when it is not listed ("llama3.1:8b" and "gpt-4o-2024-08-06" match their family). */
  priceOf(model: string): ModelPrice | undefined {
    if (this.found.has(model)) return this.found.get(model);
    const price = this.lookUp(model);
    this.found.set(model, price);
    return price;
  }

  private lookUp(model: string): ModelPrice | undefined {
    const id = model.toLowerCase().replace(/^.*\//, ''); // "openai/gpt-4o" → "gpt-4o"
    return this.byLength.find(([name]) => id === name || [`${name}-`, `${name}@`, `${name}:`].some((p) => id.startsWith(p)))?.[1];
  }

  /** What a call cost in US dollars (0 for unlisted models), to the micro-dollar. */
  cost(model: string, usage: TokenUsage): number {
    const p = this.priceOf(model);
    if (!p) return 0;
    const cached = Math.min(usage.cachedTokens, usage.inputTokens);
    const usd = ((usage.inputTokens - cached) * p.input + cached * (p.cachedInput ?? p.input) + usage.outputTokens * p.output) / 1_000_000;
    return Math.round(usd * 1e6) / 1e6;
  }
}

/** The default prices, with a JSON file's entries (`{"model": {"input", "output", "cached_input"?}}`, USD per 1M tokens) on top. */
export function loadPrices(file?: string): PriceTable {
  if (!file) return new PriceTable();
  const parsed = priceFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`LLM_PRICES_FILE ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const extra = Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k.toLowerCase(), { input: v.input, output: v.output, cachedInput: v.cached_input }]));
  return new PriceTable({ ...DEFAULT_PRICES, ...extra });
}
