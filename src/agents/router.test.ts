import { APICallError } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import type { Conversation } from '../db/queries/conversations.js';
import type { Message } from '../db/queries/messages.js';
import { localEmbedder } from '../llm/embeddings.js';
import type { IntentClassifier } from '../llm/offline/classifier.js';
import { loadRouterClassifier } from '../llm/offline/router-model.js';
import { createLlm } from '../llm/registry.js';
import { RetrievedPassages, type AgentDeps, type TurnContext } from './context.js';
import { createOfflineEngine } from './llm.js';
import { longMessageAround } from '../../test/long-message.js';
import { CLARIFY_ROUTE, classifyOffline, decide } from './router.js';

// Routing from structured output, and its fallbacks, with AI SDK mock models behind the real middleware.

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = loadRouterClassifier();
});

const usage = { inputTokens: { total: 50, noCache: 50, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 20, text: 20, reasoning: 0 } };
const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }], finishReason: { unified: 'stop' as const, raw: 'stop' }, usage, warnings: [] });
const AGENTS = [
  { name: 'faq', description: 'help center' },
  { name: 'account', description: 'own records' },
  { name: 'escalation', description: 'a person' },
];

let n = 0;
function message(role: Message['role'], content: string, route: string | null = null): Message {
  return {
    id: `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    conversationId: 'c',
    role,
    content,
    route,
    agent: null,
    confidence: null,
    engine: null,
    authorId: null,
    clientId: null,
    replyTo: null,
    citations: [],
    toolCalls: [],
    usage: null,
    pendingAction: null,
    quickReplies: [],
    followUp: null,
    createdAt: new Date(),
  } as Message;
}

function contextWith(model: MockLanguageModelV3, history: Message[]): TurnContext {
  const config = loadConfig({ LLM_PROVIDER: 'openai-compatible', LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'gpt-4o-mini', LLM_MAX_RETRIES: '1' });
  const embedder = localEmbedder(config.EMBEDDING_DIMENSIONS);
  const llm = createLlm(config, { offline: createOfflineEngine({ config, classifier, embedder }), record: async () => undefined, providerModel: () => model, sleep: async () => {} });
  const deps = { config, classifier, embedder, db: undefined as never, llm } satisfies AgentDeps;
  const userMessage = history.at(-1)!;
  return {
    deps,
    llm,
    auth: { kind: 'anonymous' },
    conversation: { id: 'c' } as Conversation,
    customerId: null,
    userMessage,
    messageId: 'm',
    history,
    summary: null,
    language: null,
    emit: () => {},
    retrieved: new RetrievedPassages(),
    handoff: { decision: { kind: 'none' } },
  };
}

describe('router', () => {
  it('routes from the model’s structured output and sends it the conversation and a JSON schema', async () => {
    const model = new MockLanguageModelV3({ doGenerate: async () => text('{"route":"account","confidence":0.88,"reasoning":"asks about their own order"}') });
    const d = await decide(contextWith(model, [message('user', 'Where is my stuff?')]), AGENTS);
    expect(d).toMatchObject({ route: 'account', confidence: 0.88, reasoning: 'asks about their own order', clarify: false, engine: 'llm' });
    expect(d.fallbackReason).toBeUndefined();
    expect(d.usage).toMatchObject({ input_tokens: 50, output_tokens: 20 });
    const call = model.doGenerateCalls[0]!;
    expect(call.responseFormat).toMatchObject({ type: 'json', schema: { properties: { route: { enum: ['faq', 'account', 'escalation', 'smalltalk', 'out_of_scope'] } } } });
    expect(JSON.stringify(call.prompt)).toContain('Where is my stuff?');
  });

  it('falls back to the offline classifier when the output is not valid JSON', async () => {
    const model = new MockLanguageModelV3({ doGenerate: async () => text('{"route": "account", "confid') });
    const d = await decide(contextWith(model, [message('user', 'How long does shipping take to Canada?')]), AGENTS);
    expect(d).toMatchObject({ route: 'faq', engine: 'offline', fallbackReason: 'parse_error', clarify: false });
    expect(d.reasoning).toMatch(/^offline classifier/);
  });

  it('falls back to the offline classifier when the output names a route that does not exist, or an impossible confidence', async () => {
    for (const out of ['{"route":"billing","confidence":0.9,"reasoning":"x"}', '{"route":"faq","confidence":7,"reasoning":"x"}']) {
      const model = new MockLanguageModelV3({ doGenerate: async () => text(out) });
      const d = await decide(contextWith(model, [message('user', 'I want to speak to a person')]), AGENTS);
      expect(d).toMatchObject({ route: 'escalation', engine: 'offline', fallbackReason: 'parse_error' });
    }
  });

  it('falls back to the offline classifier when the call fails (after its retry)', async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        throw new APICallError({ message: 'upstream down', url: 'http://x', requestBodyValues: {}, statusCode: 503, isRetryable: true });
      },
    });
    const d = await decide(contextWith(model, [message('user', 'What was my last invoice?')]), AGENTS);
    expect(model.doGenerateCalls).toHaveLength(2);
    expect(d).toMatchObject({ route: 'account', engine: 'offline', fallbackReason: 'server_error' });
  });

  it('asks a clarifying question below the confidence threshold, but not twice in a row', async () => {
    const unsure = () => new MockLanguageModelV3({ doGenerate: async () => text('{"route":"faq","confidence":0.2,"reasoning":"vague"}') });
    const first = await decide(contextWith(unsure(), [message('user', 'it does not work')]), AGENTS);
    expect(first).toMatchObject({ route: 'faq', clarify: true, engine: 'llm' });
    const history = [message('user', 'it does not work'), message('assistant', 'Is this about…?', CLARIFY_ROUTE), message('user', 'the app')];
    const second = await decide(contextWith(unsure(), history), AGENTS);
    expect(second.clarify).toBe(false);
  });

  it('routes a long message offline by what it asks, not by its background', () => {
    const config = loadConfig({});
    const services = { config, classifier, embedder: localEmbedder(config.EMBEDDING_DIMENSIONS) };
    expect(classifyOffline(services, longMessageAround('How long does shipping to Canada take?')).route).toBe('faq');
    expect(classifyOffline(services, longMessageAround('Please connect me with a person from your support team.')).route).toBe('escalation');
  });
});

describe('clarifying question quick replies', () => {
  it('puts the likely route first and reads a click back as its route', async () => {
    const { clarifyQuickReplies, clarifyChoice } = await import('./router.js');
    expect(clarifyQuickReplies('account')).toEqual(['About my account', 'A general question', 'Talk to a person']);
    expect(clarifyQuickReplies('faq')).toEqual(['A general question', 'About my account', 'Talk to a person']);
    expect(clarifyChoice('About my account')).toBe('account');
    expect(clarifyChoice(' a general question ')).toBe('faq');
    expect(clarifyChoice('my invoice')).toBeUndefined();
  });
});
