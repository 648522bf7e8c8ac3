import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../../test/db.js';
import { expansionTerms } from '../../knowledge/query-expansion.js';
import { localEmbedder } from '../../llm/embeddings.js';
import { seedDemo } from '../../demo/seed.js';
import { queryRows } from '../client.js';
import { knowledgeChunks, knowledgeDocuments, supportTickets } from '../schema.js';
import { createConversation, getConversation, listConversations, setConversationStatus, touchConversation } from './conversations.js';
import { getCustomerByEmail, getCustomerById } from './customers.js';
import { getInvoiceByNumber, listInvoices } from './invoices.js';
import { hybridSearch, toOrTsQuery } from './knowledge.js';
import { getMessage, insertMessage, listMessages, recentMessages } from './messages.js';
import { getOrderByNumber, listOrders } from './orders.js';
import { listSubscriptions } from './subscriptions.js';
import { createTicket, getOpenTicketForConversation } from './tickets.js';
import { createUser, getUserByEmail, getUserById } from './users.js';

describe.each(DRIVERS)('query functions (%s)', (driver) => {
  let t: TestDatabase;
  const embedder = localEmbedder(384);
  let aliceId: string;
  let bobId: string;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    await seedDemo(t.database.db, embedder);
    aliceId = (await getCustomerByEmail(t.database.db, 'alice@example.com'))!.id;
    bobId = (await getCustomerByEmail(t.database.db, 'BOB@example.com'))!.id;
  });
  afterAll(async () => {
    await t?.drop();
  });
  const db = () => t.database.db;

  it('customers: by id and case-insensitive email', async () => {
    expect((await getCustomerById(db(), aliceId))?.email).toBe('alice@example.com');
    expect(await getCustomerByEmail(db(), 'nobody@example.com')).toBeUndefined();
  });

  it('users: create, by email, by id', async () => {
    const u = await createUser(db(), { email: 'New@Example.com', name: 'New', passwordHash: 'x' });
    expect(u.email).toBe('new@example.com');
    expect((await getUserByEmail(db(), 'NEW@example.com'))?.id).toBe(u.id);
    expect((await getUserById(db(), u.id))?.role).toBe('customer');
  });

  it("subscriptions: only the customer's own", async () => {
    const subs = await listSubscriptions(db(), aliceId);
    expect(subs.length).toBeGreaterThan(0);
    expect(subs.every((s) => s.customerId === aliceId)).toBe(true);
    expect(subs.some((s) => s.plan.toLowerCase() === 'pro')).toBe(true);
  });

  it('invoices: latest first, by status, by number only when owned', async () => {
    const all = await listInvoices(db(), aliceId, { limit: 50 });
    expect(all.length).toBeGreaterThanOrEqual(6);
    const dates = all.map((i) => i.issuedOn);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(all[0]!.issuedOn).toBe('2026-11-01');
    const paid = await listInvoices(db(), aliceId, { status: 'paid' });
    expect(paid.every((i) => i.status === 'paid')).toBe(true);
    expect((await getInvoiceByNumber(db(), aliceId, all[0]!.invoiceNumber.toLowerCase()))?.id).toBe(all[0]!.id);
    expect(await getInvoiceByNumber(db(), bobId, all[0]!.invoiceNumber)).toBeUndefined();
  });

  it('orders: newest first, by number only when owned', async () => {
    const orders = await listOrders(db(), aliceId);
    expect(orders.length).toBe(7);
    expect(orders.some((o) => o.carrier === 'UPS' && o.trackingNumber)).toBe(true);
    expect((await getOrderByNumber(db(), aliceId, orders[0]!.orderNumber))?.id).toBe(orders[0]!.id);
    expect(await getOrderByNumber(db(), bobId, orders[0]!.orderNumber)).toBeUndefined();
  });

  it('conversations and messages: create, page, recent, status', async () => {
    const user = await getUserByEmail(db(), 'alice@example.com');
    const c = await createConversation(db(), { userId: user!.id, customerId: aliceId });
    expect((await getConversation(db(), c.id))?.status).toBe('active');
    const m1 = await insertMessage(db(), { conversationId: c.id, role: 'user', content: 'one' });
    await insertMessage(db(), { conversationId: c.id, role: 'assistant', content: 'two', citations: [], toolCalls: [] });
    await insertMessage(db(), { conversationId: c.id, role: 'user', content: 'three' });
    expect((await getMessage(db(), c.id, m1.id))?.content).toBe('one');
    const page1 = await listMessages(db(), c.id, { limit: 2 });
    expect(page1.items.map((m) => m.content)).toEqual(['one', 'two']);
    const page2 = await listMessages(db(), c.id, { limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((m) => m.content)).toEqual(['three']);
    expect(page2.nextCursor).toBeNull();
    expect((await recentMessages(db(), c.id, 2)).map((m) => m.content)).toEqual(['two', 'three']);
    const waiting = await setConversationStatus(db(), c.id, 'waiting_human', { handoffReason: 'customer_request' });
    expect(waiting).toMatchObject({ status: 'waiting_human', handoffReason: 'customer_request' });
    await touchConversation(db(), c.id);
    const listed = await listConversations(db(), { userId: user!.id, limit: 10 });
    expect(listed.items.map((x) => x.id)).toContain(c.id);
    const onlyWaiting = await listConversations(db(), { status: 'waiting_human', limit: 10 });
    expect(onlyWaiting.items.every((x) => x.status === 'waiting_human')).toBe(true);
  });

  it('tickets: numbered by sequence, open ticket per conversation, per customer', async () => {
    const c = await createConversation(db(), { customerId: aliceId });
    const t1 = await createTicket(db(), { customerId: aliceId, conversationId: c.id, subject: 's', summary: 'x', priority: 'high' });
    const t2 = await createTicket(db(), { customerId: aliceId, subject: 's2', summary: 'y' });
    expect(t1.ticketNumber).toMatch(/^TCK-\d{6}$/);
    expect(t1.ticketNumber).not.toBe(t2.ticketNumber);
    expect((await getOpenTicketForConversation(db(), c.id))?.id).toBe(t1.id);
    const mine = await db().select().from(supportTickets).where(eq(supportTickets.customerId, aliceId));
    expect(mine.map((x) => x.id)).toEqual(expect.arrayContaining([t1.id, t2.id]));
  });

  it('knowledge: documents seeded, chunks embedded, OR full-text query', async () => {
    const docs = await db().select().from(knowledgeDocuments).where(eq(knowledgeDocuments.isActive, true));
    expect(docs.length).toBeGreaterThanOrEqual(30);
    const [counts] = await queryRows<{ total: number; unembedded: number }>(
      db(),
      sql`SELECT count(*)::int AS total, (count(*) FILTER (WHERE embedding IS NULL))::int AS unembedded FROM knowledge_chunks`,
    );
    expect(counts!.total).toBeGreaterThan(docs.length);
    expect(counts!.unembedded).toBe(0);
    const asked = "How long does shipping take? it's O'Brien";
    expect(toOrTsQuery(asked, expansionTerms(asked))).toBe('how | long | does | shipping | take | it | brien | time | days | delivery | transit');
  });

  it('hybrid search fuses vector and full-text hits; each mode alone works', async () => {
    const text = 'How long does shipping take?';
    const [embedding] = await embedder.embed([text]);
    const expansion = expansionTerms(text);
    const hybrid = await hybridSearch(db(), { text, embedding: embedding!, expansion }, { limit: 5 });
    expect(hybrid).toHaveLength(5);
    expect(hybrid[0]!.slug).toMatch(/ship/);
    expect(hybrid[0]!.similarity).not.toBeNull();
    expect(hybrid[0]!.textRank).not.toBeNull();
    const scores = hybrid.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const vectorOnly = await hybridSearch(db(), { text, embedding: embedding!, expansion }, { mode: 'vector' });
    expect(vectorOnly.every((h) => h.textRank === null && h.similarity !== null)).toBe(true);
    const textOnly = await hybridSearch(db(), { text, embedding: embedding!, expansion }, { mode: 'text' });
    expect(textOnly.every((h) => h.similarity === null && h.textRank !== null)).toBe(true);
  });

  it('hybrid search orders equal scores by document slug, then passage position, not by the random chunk id', async () => {
    // Four identical passages (same text, same vector: every score ties) whose ids sort the other way round.
    const text = 'Zorblax quindle calibration';
    const [embedding] = await embedder.embed([text]);
    const ids = ['ffffffff-ffff-4fff-bfff-ffffffffffff', 'eeeeeeee-eeee-4eee-beee-eeeeeeeeeeee', 'dddddddd-dddd-4ddd-bddd-dddddddddddd', '00000000-0000-4000-8000-000000000001'];
    const docs = await db()
      .insert(knowledgeDocuments)
      .values(['tie-break-a', 'tie-break-b'].map((slug) => ({ slug, title: 'Zorblax', category: 'test', content: text })))
      .returning();
    const bySlug = (slug: string) => docs.find((d) => d.slug === slug)!.id;
    await db()
      .insert(knowledgeChunks)
      .values([
        { id: ids[0], documentId: bySlug('tie-break-a'), chunkIndex: 0, heading: 'Zorblax', content: text, embedding },
        { id: ids[1], documentId: bySlug('tie-break-a'), chunkIndex: 1, heading: 'Zorblax', content: text, embedding },
        { id: ids[2], documentId: bySlug('tie-break-b'), chunkIndex: 0, heading: 'Zorblax', content: text, embedding },
        { id: ids[3], documentId: bySlug('tie-break-b'), chunkIndex: 1, heading: 'Zorblax', content: text, embedding },
      ]);
    try {
      for (const mode of ['hybrid', 'vector', 'text'] as const) {
        const hits = await hybridSearch(db(), { text, embedding: embedding! }, { limit: 4, mode });
        expect(
          hits.map((h) => h.chunkId),
          mode,
        ).toEqual(ids);
      }
    } finally {
      await db().delete(knowledgeDocuments).where(eq(knowledgeDocuments.category, 'test'));
    }
  });
});
