import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, invoices, supportTickets, conversations } from '../../db/schema.js';
import { formatMoney } from '../../agents/context.js';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { longMessageAround } from '../../../test/long-message.js';
import { SEARCH_QUERY_CHARS } from '../../knowledge/salient.js';
import { staffViewOf } from '../../../test/staff-view.js';

describe.each(DRIVERS)('chat turn end to end (%s)', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function latestInvoiceOf(email: string) {
    const [c] = await t.deps.db.select().from(customers).where(eq(customers.email, email));
    const [inv] = await t.deps.db.select().from(invoices).where(eq(invoices.customerId, c!.id)).orderBy(desc(invoices.issuedOn)).limit(1);
    return inv!;
  }

  it('answers a shipping question from the knowledge base with a citation to a real article', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'How long does shipping take?' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.conversation_token).toEqual(expect.any(String));
    const a = body.assistant_message;
    expect(a.agent).toBe('faq');
    expect(a.route).toBe('faq');
    expect(a.confidence).toBeGreaterThan(0);
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.citations[0].slug).toMatch(/ship/);
    expect(a.content).toMatch(/business days/i);
    expect(a.actions).toEqual([{ type: 'searched_help_center', label: 'Searched the help center', status: 'ok' }]);
    expect((await staffViewOf(t, a)).tool_calls.map((c) => c.name)).toContain('search_knowledge');
    // The citation points at a stored chunk of a stored document.
    const chunk = await t.deps.database.db.query.knowledgeChunks.findFirst({ where: (k, { eq: e }) => e(k.id, a.citations[0].chunk_id) });
    expect(chunk?.documentId).toBe(a.citations[0].document_id);
  });

  it('answers a 2,000-character message by its question: searched by its salient part, citing the right article', async () => {
    const message = longMessageAround('How long does shipping to Canada take?');
    expect(message.length).toBeGreaterThanOrEqual(2000);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message } });
    expect(res.statusCode).toBe(200);
    const a = res.json().assistant_message;
    expect(a.agent).toBe('faq');
    expect(a.citations.map((c: { slug: string }) => c.slug)).toContain('shipping-times');
    expect(a.content).toMatch(/^Canada[^.]*business days/);
    const search = (await staffViewOf(t, a)).tool_calls.find((c) => c.name === 'search_knowledge')! as { status: string; result: { searched_for: string } };
    expect(search.status).toBe('ok');
    expect(search.result.searched_for).toBe('How long does shipping to Canada take?');
    expect(search.result.searched_for.length).toBeLessThanOrEqual(SEARCH_QUERY_CHARS);
  });

  it("answers a signed-in customer's latest invoice from her own records", async () => {
    const token = await t.login('alice@example.com');
    const inv = await latestInvoiceOf('alice@example.com');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: { authorization: `Bearer ${token}` },
      payload: { message: 'What was my last invoice?' },
    });
    expect(res.statusCode).toBe(200);
    const a = res.json().assistant_message;
    expect(a.agent).toBe('account');
    expect(a.content).toContain(inv.invoiceNumber);
    expect(a.content).toContain(formatMoney(inv.amountCents, inv.currency));
    expect(a.actions).toEqual([{ type: 'looked_up_invoices', label: 'Looked up your invoices', status: 'ok' }]);
    expect((await staffViewOf(t, a)).tool_calls[0]!.name).toBe('list_invoices');
  });

  it("never reveals another customer's invoice, even by its number", async () => {
    const token = await t.login('alice@example.com');
    const bobs = await latestInvoiceOf('bob@example.com');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: { authorization: `Bearer ${token}` },
      payload: { message: `Can you show me invoice ${bobs.invoiceNumber}?` },
    });
    const a = res.json().assistant_message;
    expect(a.agent).toBe('account');
    expect(a.content).toMatch(/couldn't find/i);
    expect(a.content).not.toContain(formatMoney(bobs.amountCents, bobs.currency));
    expect(a.actions).toEqual([{ type: 'looked_up_invoice', label: 'Looked up the invoice (not found on your account)', status: 'not_found' }]);
    expect((await staffViewOf(t, a)).tool_calls[0]).toMatchObject({ name: 'get_invoice', status: 'not_found' });
  });

  it('asks an anonymous visitor to sign in before reading account data', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'What was my last invoice?' } });
    const a = res.json().assistant_message;
    expect(a.agent).toBe('account');
    expect(a.content).toMatch(/sign in/i);
    expect(a.actions).toEqual([]);
  });

  it('opens a ticket and hands over when the customer asks for a person', async () => {
    const token = await t.login('alice@example.com');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: { authorization: `Bearer ${token}` },
      payload: { message: 'I want to speak to a person' },
    });
    const body = res.json();
    const a = body.assistant_message;
    expect(a.agent).toBe('escalation');
    const [ticket] = await t.deps.db.select().from(supportTickets).where(eq(supportTickets.conversationId, body.conversation_id));
    expect(ticket).toBeDefined();
    expect(a.content).toContain(ticket!.ticketNumber);
    const [conv] = await t.deps.db.select().from(conversations).where(eq(conversations.id, body.conversation_id));
    expect(conv!.status).toBe('waiting_human');
    expect(a.actions).toEqual([{ type: 'opened_ticket', label: `Opened ticket ${ticket!.ticketNumber}`, status: 'ok', ticket_number: ticket!.ticketNumber }]);
  });

  it('gives the customer the answer, citations and actions, never the tool calls, passages or ticket summary; staff get them', async () => {
    const asJson = (text: string) => JSON.stringify(text).slice(1, -1);
    const faq = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'How long does shipping take?' } });
    const a = faq.json().assistant_message;
    expect(a.citations.length).toBeGreaterThan(0);
    const staff = await staffViewOf(t, a);
    const search = staff.tool_calls.find((c) => c.name === 'search_knowledge')!;
    const passages = (search.result as { passages: { content: string }[] }).passages;
    // Passages longer than a citation snippet: their full text is what must not reach the customer.
    const long = passages.map((p) => p.content).filter((c) => c.length > 400);
    expect(long.length).toBeGreaterThan(0);
    for (const content of long) {
      expect(faq.body).not.toContain(asJson(content));
      expect(JSON.stringify(staff)).toContain(asJson(content));
    }
    for (const key of ['"tool_calls"', '"passages"', '"arguments"', '"result"']) expect(faq.body).not.toContain(key);
    const own = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${a.conversation_id}`, headers: { authorization: `Bearer ${faq.json().conversation_token}` } });
    expect(own.statusCode).toBe(200);
    for (const content of long) expect(own.body).not.toContain(asJson(content));
    expect(own.body).not.toContain('"tool_calls"');
    expect(own.json().messages.at(-1).actions).toEqual(a.actions);

    const token = await t.login('alice@example.com');
    const esc = await t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: { authorization: `Bearer ${token}` }, payload: { message: 'Please put me through to a human agent' } });
    const e = esc.json().assistant_message;
    const [ticket] = await t.deps.db.select().from(supportTickets).where(eq(supportTickets.conversationId, esc.json().conversation_id));
    expect(e.actions).toContainEqual(expect.objectContaining({ type: 'opened_ticket', ticket_number: ticket!.ticketNumber }));
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${e.conversation_id}/messages`, headers: { authorization: `Bearer ${token}` } });
    // What the assistant wrote for staff (the tool call's summary, part of the ticket's summary) stays with staff.
    const written = (await staffViewOf(t, e)).tool_calls.find((c) => c.name === 'create_ticket')!.arguments.summary as string;
    expect(written.length).toBeGreaterThan(20);
    expect(ticket!.summary).toContain(written);
    for (const body of [esc.body, history.body]) {
      expect(body).not.toContain(asJson(ticket!.summary));
      expect(body).not.toContain(asJson(written));
      expect(body).not.toContain('"tool_calls"');
    }
  });

  it('continues an anonymous conversation with its token and no other', async () => {
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'hello' } });
    const { conversation_id, conversation_token } = first.json();
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/conversations' });
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation_id}/messages`,
      headers: { authorization: `Bearer ${conversation_token}` },
      payload: { content: 'What is your return policy?' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().assistant_message.agent).toBe('faq');
    const denied = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${other.json().id}`,
      headers: { authorization: `Bearer ${conversation_token}` },
    });
    expect(denied.statusCode).toBe(404);
    const history = await t.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${conversation_id}/messages`,
      headers: { authorization: `Bearer ${conversation_token}` },
    });
    expect(history.json().items.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });
});
