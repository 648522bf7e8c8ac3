import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { offersTool, startFakeOpenAI, toolResults, wantsJson, type FakeOpenAI } from '../../../test/fake-openai/server.js';
import { llmEnv } from '../../../test/scripted-llm.js';
import { WsClient } from '../../../test/ws-client.js';
import { messages } from '../../db/schema.js';
import type { NumberedEvent, ServerEvent } from '../../contract/events.js';

const ANSWER = 'Standard shipping takes 3 to 5 business days [1]. Express shipping takes 1 to 2 business days [1], and every order gets a tracking link by email once it leaves the warehouse [1].';

// A model over real HTTP that streams its answer at 20 tokens a second, so the turn is still
// generating while the test looks at what reached the socket.
describe.each(DRIVERS)('WebSocket streaming from a model (%s)', (driver) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let base: string;
  let alice: string;
  const clients: WsClient[] = [];
  const connect = async (token: string) => {
    const c = await WsClient.connect(base, token);
    clients.push(c);
    return c;
  };
  const newConversation = async () => (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${alice}` } })).json().id as string;

  beforeAll(async () => {
    fake = await startFakeOpenAI({
      tokensPerSecond: 20,
      defaultStep: (req) => {
        if (wantsJson(req)) return { json: { route: 'faq', confidence: 0.95, reasoning: 'shipping question' } };
        if (offersTool('search_knowledge')(req) && toolResults(req).length === 0) {
          return { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'shipping times' } }] };
        }
        return { reply: ANSWER };
      },
    });
    t = await createTestApp(driver, { ...llmEnv(fake), CHAT_DEBOUNCE_MS: '0' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    alice = await t.login('alice@example.com');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('delivers tokens while the model still generates, before the reply is stored and completed', async () => {
    const id = await newConversation();
    const c = await connect(alice);
    await c.join(id);
    c.send({ type: 'message.send', conversation_id: id, content: 'How long does shipping take?', client_id: 'llm-1' });
    await c.waitFor((e) => e.type === 'token');
    const stored = await t.deps.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(stored.filter((m) => m.role === 'assistant')).toHaveLength(0);
    expect(c.events.some((e) => e.type === 'message.completed')).toBe(false);

    const done = await c.waitFor<Extract<ServerEvent, { type: 'message.completed' }>>((e) => e.type === 'message.completed');
    expect(done.message.engine).toBe('llm');
    expect(done.message.content.startsWith(ANSWER)).toBe(true); // plus the sources the service appends
    const tokens = c.conversationEvents(id).filter((e): e is Extract<NumberedEvent, { type: 'token' }> => e.type === 'token');
    expect(tokens.length).toBeGreaterThan(5);
    expect(
      tokens
        .map((e) => e.delta)
        .join('')
        .startsWith(ANSWER),
    ).toBe(true);
    const types = c.conversationEvents(id).map((e) => e.type);
    expect(types.indexOf('tool')).toBeLessThan(types.indexOf('token'));
  });

  it('resumes a socket closed mid-stream: the rest arrives once, partly replayed and partly live', async () => {
    const id = await newConversation();
    const observer = await connect(alice);
    await observer.join(id, 0);
    const first = await connect(alice);
    await first.join(id, 0);
    first.send({ type: 'message.send', conversation_id: id, content: 'How long does shipping take?', client_id: 'llm-2' });
    const token = await first.waitFor<NumberedEvent>((e) => e.type === 'token');
    await first.close();
    const seen = first.conversationEvents(id).filter((e) => e.id <= token.id);
    // More tokens are generated while no socket of this client is open.
    await observer.waitFor((e) => e.type === 'token' && e.id >= token.id + 2);

    const second = await connect(alice);
    const joined = await second.join(id, token.id);
    expect(joined).toMatchObject({ gap: false });
    expect(second.events.some((e) => e.type === 'message.completed')).toBe(false); // still streaming at the join
    await second.waitFor((e) => e.type === 'message.completed');
    await second.waitFor((e) => e.type === 'typing' && e.who === 'assistant' && !e.on);
    await observer.waitFor((e) => e.type === 'typing' && e.who === 'assistant' && !e.on);
    const resumed = second.conversationEvents(id);
    expect(resumed.map((e) => e.id)).toEqual(resumed.map((_, i) => token.id + 1 + i));
    expect([...seen, ...resumed]).toEqual(observer.conversationEvents(id));
  });
});
