import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createDeps } from '../deps.js';
import type { Conversation } from '../db/queries/conversations.js';
import type { Message } from '../db/queries/messages.js';
import { customers, invoices, orders } from '../db/schema.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../test/db.js';
import { account } from './account.js';
import { chooseTools } from './offline/account-answer.js';
import { formatMoney, RetrievedPassages, type TurnContext } from './context.js';
import { runAgent } from './runner.js';

const NOW = new Date('2026-12-07T10:00:00Z');
function calls(text: string): [string, unknown][] {
  const reply = chooseTools(text, NOW);
  return 'toolCalls' in reply ? reply.toolCalls.map((c) => [c.toolName, c.input]) : [];
}

describe('account agent: which records a message asks about', () => {
  it('looks up an 8–15 digit purchase or order number as given, with the recent orders beside it', () => {
    expect(calls('purchase 3707955617 never arrived')).toEqual([
      ['get_order', { order_number: '3707955617' }],
      ['list_orders', { limit: 5 }],
    ]);
    expect(calls('where is order #12345678?')[0]).toEqual(['get_order', { order_number: '12345678' }]);
    expect(calls('my order number is 3707955617')[0]).toEqual(['get_order', { order_number: '3707955617' }]);
  });

  it('looks up a long number named as a bill or transaction as an invoice', () => {
    expect(calls('the bill 55501234 looks wrong')).toEqual([
      ['get_invoice', { invoice_number: '55501234' }],
      ['list_invoices', { limit: 5 }],
    ]);
  });

  it('reads our own numbers in lower case and with spaces', () => {
    expect(calls('question about inv 2026 00308')).toEqual([['get_invoice', { invoice_number: 'INV-2026-00308' }]]);
  });

  it('lists the invoices of a month named without a day, or of the month of a date', () => {
    expect(calls('Can you explain the bill from March?')).toEqual([['list_invoices', { limit: 5, month: '2026-03' }]]);
    expect(calls('the invoice from 3 November')).toEqual([['list_invoices', { limit: 5, month: '2026-11' }]]);
    expect(calls('my invoice from last month')).toEqual([['list_invoices', { limit: 5, month: '2026-11' }]]);
  });
});

describe.each(DRIVERS)('account agent offline, on the demo records (%s)', (driver) => {
  let testDb: TestDatabase;
  let deps: Awaited<ReturnType<typeof createDeps>>;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    testDb = await createTestDatabase(driver);
    const config = loadConfig({ NODE_ENV: 'test' });
    deps = await createDeps(config, { database: testDb.database, seed: true });
    const byEmail = async (email: string) => (await deps.db.select().from(customers).where(eq(customers.email, email)))[0]!.id;
    alice = await byEmail('alice@example.com');
    bob = await byEmail('bob@example.com');
  });
  afterAll(async () => {
    await deps?.jobs?.close();
    await testDb?.drop();
  });

  async function ask(customerId: string, content: string) {
    const llm = deps.llm;
    const userMessage = { id: '00000000-0000-7000-8000-000000000001', conversationId: 'c', role: 'user', content, toolCalls: [], citations: [], createdAt: new Date() } as unknown as Message;
    const ctx: TurnContext = {
      deps,
      llm,
      auth: { kind: 'user', userId: 'u', role: 'customer', customerId } as unknown as TurnContext['auth'],
      conversation: { id: 'c' } as Conversation,
      customerId,
      userMessage,
      messageId: 'm',
      history: [userMessage],
      summary: null,
      language: null,
      emit: () => {},
      retrieved: new RetrievedPassages(),
      handoff: { decision: { kind: 'none' } },
    };
    return runAgent(account, ctx);
  }

  it('finds an order by the tracking number the customer quotes', async () => {
    const [o] = await deps.db
      .select()
      .from(orders)
      .where(and(eq(orders.customerId, alice), isNotNull(orders.trackingNumber)))
      .orderBy(desc(orders.createdAt))
      .limit(1);
    const reply = await ask(alice, `where is my package ${o!.trackingNumber}`);
    expect(reply.content).toContain(o!.orderNumber);
    expect(reply.content).not.toMatch(/couldn't find/i);
  });

  it('answers "the bill from <month>" with that month’s invoice', async () => {
    const [inv] = await deps.db.select().from(invoices).where(eq(invoices.customerId, alice)).orderBy(desc(invoices.issuedOn)).limit(1);
    const month = new Date(`${inv!.issuedOn}T00:00:00Z`).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
    const reply = await ask(alice, `I have a question about the bill from ${month} ${inv!.issuedOn.slice(0, 4)}`);
    expect(reply.toolCalls[0]).toMatchObject({ name: 'list_invoices', arguments: { month: inv!.issuedOn.slice(0, 7) } });
    expect(reply.content).toContain(inv!.invoiceNumber);
    expect(reply.content).toContain(formatMoney(inv!.amountCents, inv!.currency));
  });

  it('says "not found", and nothing of whose it is, for another customer’s order, tracking or invoice number', async () => {
    const [theirOrder] = await deps.db
      .select()
      .from(orders)
      .where(and(eq(orders.customerId, bob), isNotNull(orders.trackingNumber)))
      .limit(1);
    const [theirInvoice] = await deps.db.select().from(invoices).where(eq(invoices.customerId, bob)).limit(1);
    const lowercase = theirInvoice!.invoiceNumber.toLowerCase().replace(/-/g, ' ');
    for (const message of [`order number is ${theirOrder!.trackingNumber}`, `where is ${theirOrder!.orderNumber}`, `what about ${lowercase}`]) {
      const reply = await ask(alice, message);
      expect(reply.content, message).toMatch(/couldn't find/i);
      expect(
        reply.toolCalls.filter((c) => c.name.startsWith('get_')).map((c) => c.status),
        message,
      ).toEqual(['not_found']);
      const secrets = ['Bob', 'Chen', theirOrder!.orderNumber, theirOrder!.trackingNumber!, formatMoney(theirInvoice!.amountCents, theirInvoice!.currency)];
      for (const secret of secrets.filter((x) => !message.includes(x))) expect(reply.content, message).not.toContain(secret);
    }
  });

  it('explains our number formats when a number in another format is not found', async () => {
    const reply = await ask(alice, 'purchase 3707955617 never arrived');
    expect(reply.content).toMatch(/^I couldn't find order 3707955617 on your account\. Our order numbers are ORD- followed by 6 digits/);
    expect(reply.content).toMatch(/Your recent orders:/);
  });
});
