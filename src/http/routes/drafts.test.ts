import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { offersTool, startFakeOpenAI, toolResults, wantsJson, type FakeOpenAI } from '../../../test/fake-openai/server.js';
import { customers, invoices, messages } from '../../db/schema.js';
import type { NumberedEvent } from '../../contract/events.js';

// "Suggest reply" for staff: a draft of an answer to the customer's latest message in a held
// conversation, from the knowledge base or the customer's records. Nothing is stored or published
// until the agent sends it.

type Draft = { content: string; citations: { title: string; slug: string }[]; agent: string; engine: string; reply_to: string };

async function heldConversation(t: TestApp, customer: string, agent: string, question: string): Promise<{ id: string; questionId: string }> {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const asked = await t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: auth(customer), payload: { message: 'I want to talk to a person please' } });
  const id = asked.json().conversation_id as string;
  expect((await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/takeover`, headers: auth(agent) })).statusCode).toBe(200);
  const sent = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: auth(customer), payload: { content: question } });
  expect(sent.statusCode, sent.body).toBe(201);
  expect(sent.json().assistant_message).toBeNull(); // a person holds it: the AI stays silent
  return { id, questionId: sent.json().user_message.id };
}

/** The draft, with what the conversation stored and published while it was drafted. */
async function draftWatched(t: TestApp, id: string, token: string) {
  const before = await t.deps.db.select().from(messages).where(eq(messages.conversationId, id));
  const events: NumberedEvent[] = [];
  const off = await t.deps.bus.subscribe(id, (e) => events.push(e));
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/draft`, headers: { authorization: `Bearer ${token}` } });
  // The bus keeps a conversation's events in the order they were published: once a marker published
  // after the draft has arrived, anything the draft published has too (a fixed wait could end first).
  const marker = await t.deps.bus.publish({ type: 'typing', conversation_id: id, who: 'staff', on: false });
  await vi.waitFor(() => expect(events.map((e) => e.id)).toContain(marker.id), { timeout: 10_000 });
  off();
  const after = await t.deps.db.select().from(messages).where(eq(messages.conversationId, id));
  return { res, draft: res.json().draft as Draft, added: after.length - before.length, events: events.filter((e) => e.id !== marker.id) };
}

describe.each(DRIVERS)('suggested replies for staff (%s)', (driver) => {
  let t: TestApp;
  let alice: string;
  let agent: string;
  beforeAll(async () => {
    t = await createTestApp(driver);
    [alice, agent] = await Promise.all([t.login('alice@example.com'), t.login('agent@example.com')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('drafts an answer from the knowledge base, citing it, without storing or publishing anything', async () => {
    const { id, questionId } = await heldConversation(t, alice, agent, 'How long does standard shipping take?');
    const { res, draft, added, events } = await draftWatched(t, id, agent);
    expect(res.statusCode, res.body).toBe(200);
    expect(draft).toMatchObject({ agent: 'faq', engine: 'offline', reply_to: questionId });
    expect(draft.content).toMatch(/business days/i);
    expect(draft.citations.length).toBeGreaterThan(0);
    expect(draft.citations.some((c) => /shipping/i.test(`${c.title} ${c.slug}`))).toBe(true);
    expect(added).toBe(0);
    expect(events).toEqual([]);
  });

  it("drafts from the conversation's customer's own records, and only theirs", async () => {
    const { id } = await heldConversation(t, alice, agent, 'What is my latest invoice?');
    const [me] = await t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com'));
    const own = await t.deps.db.select().from(invoices).where(eq(invoices.customerId, me!.id));
    const others = (await t.deps.db.select().from(invoices)).filter((i) => i.customerId !== me!.id);
    const { draft, added } = await draftWatched(t, id, agent);
    expect(draft.agent).toBe('account');
    const numbers = draft.content.match(/INV-\d{4}-\d{5}/g) ?? [];
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(own.map((i) => i.invoiceNumber)).toContain(n);
    expect(others.some((i) => draft.content.includes(i.invoiceNumber))).toBe(false);
    expect(added).toBe(0);
  });

  it('never changes anything from a draft: a cancellation request gets words, no proposed action', async () => {
    const { id } = await heldConversation(t, alice, agent, 'Please cancel my order ORD-000001');
    const { res, added, events } = await draftWatched(t, id, agent);
    expect(res.statusCode).toBe(200);
    expect(res.json().draft.content.length).toBeGreaterThan(0);
    expect(added).toBe(0);
    expect(events.filter((e) => e.type.startsWith('action.'))).toEqual([]);
  });

  it('is sent only when the agent sends it, as their own staff message', async () => {
    const { id } = await heldConversation(t, alice, agent, 'How long does standard shipping take?');
    const { draft } = await draftWatched(t, id, agent);
    const edited = `Hi Alice! ${draft.content}`;
    const sent = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/staff-messages`, headers: { authorization: `Bearer ${agent}` }, payload: { content: edited } });
    expect(sent.statusCode).toBe(201);
    const stored = await t.deps.db.select().from(messages).where(eq(messages.conversationId, id));
    expect(stored.filter((m) => m.role === 'staff').map((m) => m.content)).toEqual([edited]);
  });

  it('is for staff only, on a conversation a person holds', async () => {
    const { id } = await heldConversation(t, alice, agent, 'How long does standard shipping take?');
    const post = (token?: string, conversationId = id) =>
      t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/draft`, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const customer = await post(alice);
    expect(customer.statusCode).toBe(403);
    expect(customer.json().error.code).toBe('forbidden');
    expect((await post()).statusCode).toBe(401);
    const visitor = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations' })).json();
    expect((await post(visitor.conversation_token, visitor.id)).statusCode).toBe(401);
    const notHeld = await post(agent, visitor.id);
    expect(notHeld.statusCode).toBe(409);
    expect(notHeld.json().error.code).toBe('conversation_not_held');
    expect((await post(agent, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('suggested replies on an LLM (openai-compatible, fake server)', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let alice: string;
  let agent: string;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp('pglite', { LLM_PROVIDER: 'openai-compatible', LLM_BASE_URL: fake.url, LLM_MODEL: 'gpt-4o-mini', LLM_TIMEOUT_MS: '20000', LLM_RETRY_BASE_DELAY_MS: '5' });
    [alice, agent] = await Promise.all([t.login('alice@example.com'), t.login('agent@example.com')]);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.setDefault({ status: 500 }); // an unscripted call fails instead of answering by luck
  });

  it("drafts with the model, which is told it writes for a person to send, and stores the model's text nowhere", async () => {
    // The customer's request for a person goes to the (failing) model first; the offline engine answers it.
    const { id } = await heldConversation(t, alice, agent, 'How long does standard shipping take?');
    fake.reset();
    fake.script(
      { match: wantsJson, json: { route: 'faq', confidence: 0.95, reasoning: 'shipping' } },
      { match: offersTool('search_knowledge'), toolCalls: [{ name: 'search_knowledge', arguments: { query: 'standard shipping time' } }] },
      (req) => ({
        match: (r) => toolResults(r).length > 0,
        reply: `Hi! Standard shipping usually takes a few business days [${(toolResults(req)[0]!.content as { passages: { ref: number }[] }).passages[0]!.ref}].`,
      }),
    );
    const { res, draft, added, events } = await draftWatched(t, id, agent);
    expect(res.statusCode, res.body).toBe(200);
    expect(draft).toMatchObject({ agent: 'faq', engine: 'llm' });
    expect(draft.content).toMatch(/^Hi! Standard shipping usually takes a few business days \[1\]\.\n\nSources:\n\[1\] /);
    expect(draft.citations).toHaveLength(1);
    const agentCall = fake.requests.find((r) => (r.body?.tools ?? []).length > 0)!;
    expect(JSON.stringify(agentCall.body?.messages?.[0])).toContain('drafting a reply that a person on the support team will read, edit and send');
    expect(added).toBe(0);
    expect(events).toEqual([]);
  });

  it('offers the model only read tools for records: no proposals, no resends', async () => {
    const { id } = await heldConversation(t, alice, agent, 'Cancel my latest order please');
    fake.reset();
    fake.script({ match: wantsJson, json: { route: 'account', confidence: 0.95, reasoning: 'order' } }, { reply: 'I can see your latest order and will cancel it for you now.' });
    const { draft, added } = await draftWatched(t, id, agent);
    expect(draft).toMatchObject({ agent: 'account', engine: 'llm', content: 'I can see your latest order and will cancel it for you now.' });
    const offered = fake.requests.flatMap((r) => (r.body?.tools ?? []).map((x) => x.function.name));
    expect(offered).toContain('list_orders');
    expect(offered).not.toContain('propose_action');
    expect(offered).not.toContain('resend_invoice');
    expect(added).toBe(0);
  });
});
