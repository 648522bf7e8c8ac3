import { lastUserText, offersTool, startFakeOpenAI, toolResults, wantsJson, type FakeOpenAI, type FakeStep, type RecordedRequest } from './fake-openai/server.js';

// A fake OpenAI-compatible model that behaves like a well-prompted LLM for the scripted scenarios of
// the observability tests: the router answers JSON by keywords, agents call their tool once, then
// answer in words. A message containing "garble" gets a router answer that is not JSON.

function route(text: string): FakeStep {
  if (/garble/i.test(text)) return { reply: 'not json at all', usage: { prompt_tokens: 400, completion_tokens: 5 } };
  const r = /person|human|agent/i.test(text) ? 'escalation' : /invoice|bill/i.test(text) ? 'account' : 'faq';
  return { json: { route: r, confidence: 0.93, reasoning: `keywords say ${r}` }, usage: { prompt_tokens: 400, completion_tokens: 20 } };
}

function agentStep(req: RecordedRequest): FakeStep {
  const done = toolResults(req).length > 0;
  const usage = { prompt_tokens: 900, completion_tokens: 60, cached_tokens: 200 };
  if (offersTool('create_ticket')(req)) {
    return done
      ? { reply: 'I have opened a ticket and a person from our team will reply here.', usage }
      : { toolCalls: [{ name: 'create_ticket', arguments: { subject: 'Customer asks for a person', summary: lastUserText(req), priority: 'normal', reason: 'customer_request' } }], usage };
  }
  if (offersTool('list_invoices')(req)) {
    return done ? { reply: 'Your latest invoice is listed above.', usage } : { toolCalls: [{ name: 'list_invoices', arguments: {} }], usage };
  }
  if (offersTool('search_knowledge')(req)) {
    return done ? { reply: 'Standard shipping takes 3-5 business days [1].', usage } : { toolCalls: [{ name: 'search_knowledge', arguments: { query: lastUserText(req) } }], usage };
  }
  return { reply: 'OK.', usage };
}

/** Starts the scripted fake model server. */
export function startScriptedLlm(): Promise<FakeOpenAI> {
  return startFakeOpenAI({ defaultStep: (req) => (wantsJson(req) ? route(lastUserText(req)) : agentStep(req)) });
}

/** Environment that points the app at a fake server as an OpenAI-compatible provider with a priced model. */
export function llmEnv(fake: FakeOpenAI, model = 'gpt-4o-mini'): Record<string, string> {
  return { LLM_PROVIDER: 'openai-compatible', LLM_MODEL: model, LLM_BASE_URL: fake.url, LLM_API_KEY: 'test-key', LLM_MAX_RETRIES: '0' };
}
