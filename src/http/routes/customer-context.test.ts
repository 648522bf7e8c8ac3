import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { customers, invoices, orders } from '../../db/schema.js';

describe.each(DRIVERS)('customer context beside a conversation (%s)', (driver) => {
  let t: TestApp;
  let agent: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    agent = { authorization: `Bearer ${await t.login('agent@example.com')}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  const chat = async (message: string, opts: { token?: string; conversationId?: string } = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
      payload: { message, ...(opts.conversationId ? { conversation_id: opts.conversationId } : {}) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { conversation_id: string; conversation_token?: string };
  };
  const context = (id: string, headers = agent) => t.app.inject({ method: 'GET', url: `/api/v1/staff/conversations/${id}/context`, headers });

  it("shows a signed-in customer's record, plan, latest invoices and orders, other conversations and tickets", async () => {
    const alice = await t.login('alice@example.com');
    const earlier = await chat('How long does shipping to Canada take?', { token: alice });
    const now = await chat('I want to talk to a person about a double charge', { token: alice });
    const res = await context(now.conversation_id);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    const [record] = await t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com'));
    expect(c.customer).toMatchObject({ id: record!.id, name: record!.name, email: 'alice@example.com', plan: { plan: expect.any(String), status: expect.any(String) } });
    expect(c.conversation).toMatchObject({ id: now.conversation_id, messages: 2, contact_email: null });

    // The latest five invoices and orders, newest first, exactly the customer's own.
    const ownInvoices = await t.deps.db.select().from(invoices).where(eq(invoices.customerId, record!.id)).orderBy(desc(invoices.issuedOn), desc(invoices.invoiceNumber)).limit(5);
    expect(c.invoices.map((i: { invoice_number: string }) => i.invoice_number)).toEqual(ownInvoices.map((i) => i.invoiceNumber));
    const ownOrders = await t.deps.db.select().from(orders).where(eq(orders.customerId, record!.id)).orderBy(desc(orders.createdAt)).limit(5);
    expect(c.orders.map((o: { order_number: string }) => o.order_number).sort()).toEqual(ownOrders.map((o) => o.orderNumber).sort());
    expect(c.orders.length).toBeGreaterThan(0);

    // Her other conversation is listed (not this one), with its first message; the new ticket too.
    expect(c.conversations.map((p: { id: string }) => p.id)).toContain(earlier.conversation_id);
    expect(c.conversations.map((p: { id: string }) => p.id)).not.toContain(now.conversation_id);
    expect(c.conversations.find((p: { id: string }) => p.id === earlier.conversation_id).first_message).toBe('How long does shipping to Canada take?');
    expect(c.tickets.find((tk: { conversation_id: string }) => tk.conversation_id === now.conversation_id)).toMatchObject({ ticket_number: expect.stringMatching(/^TCK-\d{6}$/), status: 'open' });
  });

  it('shows what is known of a visitor: no customer, the channel, the messages and the email they left', async () => {
    const first = await chat('Can I talk to a human please?');
    await chat('sure, it is visitor.kim@example.org', { token: first.conversation_token, conversationId: first.conversation_id });
    const c = (await context(first.conversation_id)).json();
    expect(c.customer).toBeNull();
    expect(c).toMatchObject({ invoices: [], orders: [], conversations: [] });
    expect(c.conversation).toMatchObject({ id: first.conversation_id, messages: 4, contact_email: 'visitor.kim@example.org' });
    expect(c.tickets).toHaveLength(1);
  });

  it('is for staff only: a customer token gets 403, a conversation token 401, a made-up id 404', async () => {
    const alice = await t.login('alice@example.com');
    const own = await chat('Where is my order?', { token: alice });
    expect((await context(own.conversation_id, { authorization: `Bearer ${alice}` })).statusCode).toBe(403);
    const visitor = await chat('Hello there');
    const withToken = await context(visitor.conversation_id, { authorization: `Bearer ${visitor.conversation_token}` });
    expect([401, 403]).toContain(withToken.statusCode);
    expect((await context(own.conversation_id, {})).statusCode).toBe(401);
    const missing = await context('00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('conversation_not_found');
  });
});
