import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { llmRouter } from './llm-router.js';

const answer = (text: string) =>
  new MockLanguageModelV3({
    doGenerate: async () => ({
      content: [{ type: 'text', text }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
      warnings: [],
    }),
  });

describe('llmRouter', () => {
  const opts = { threshold: 0.45, timeoutMs: 5000, maxRetries: 0 };

  it("scores the model's structured decision, asking to clarify below the threshold", async () => {
    const sure = await llmRouter(answer('{"route":"account","confidence":0.9,"reasoning":"own invoice"}'), opts)('my invoice?');
    expect(sure).toEqual({ route: 'account', confidence: 0.9, clarify: false });
    const unsure = await llmRouter(answer('{"route":"faq","confidence":0.2,"reasoning":"vague"}'), opts)('hmm');
    expect(unsure.clarify).toBe(true);
  });

  it('counts an answer that is not a valid decision as a failed call', async () => {
    const r = await llmRouter(answer('{"route":"sales","confidence":2}'), opts)('hello');
    expect(r).toMatchObject({ failed: true, route: 'out_of_scope' });
  });
});
