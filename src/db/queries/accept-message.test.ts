import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../../test/db.js';
import { createConversation, getConversation, setConversationStatus } from './conversations.js';
import { customers, llmUsage } from '../schema.js';
import { acceptMessage, getMessage } from './messages.js';
import { createUser } from './users.js';

describe.each(DRIVERS)('the customer message in one statement (%s)', (driver) => {
  let t: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    userId = (await createUser(t.database.db, { email: `accept-${driver}@example.com`, name: 'Accept', passwordHash: 'x' })).id;
  });
  afterAll(async () => {
    await t?.drop();
  });
  const db = () => t.database.db;

  it('stores the owner’s message and returns the conversation and message exactly as the selects read them', async () => {
    const c = await createConversation(db(), { userId });
    const first = await acceptMessage(db(), { conversationId: c.id, content: 'Where is my order?', authorId: userId, clientId: 'k1' }, { userId, conversationId: null });
    expect(first.conversation).toEqual(await getConversation(db(), c.id));
    expect(first.message).toEqual(await getMessage(db(), c.id, first.message!.id));
    expect(first.message).toMatchObject({ role: 'user', content: 'Where is my order?', clientId: 'k1', citations: [], toolCalls: [] });
    expect(first.hadMessages).toBe(false);
    expect(first.spend).toEqual({ conversation: null, customer: null });
    const second = await acceptMessage(db(), { conversationId: c.id, content: 'And my invoice?', authorId: userId }, { userId, conversationId: null });
    expect(second.hadMessages).toBe(true);
    // The same client id again: nothing stored twice.
    const again = await acceptMessage(db(), { conversationId: c.id, content: 'Where is my order?', authorId: userId, clientId: 'k1' }, { userId, conversationId: null });
    expect(again.message).toBeNull();
    expect(again.conversation?.id).toBe(c.id);
  });

  it('reads the cost budgets’ spend in the same statement when asked', async () => {
    const [customer] = await db()
      .insert(customers)
      .values({ email: `spend-${driver}@example.com`, name: 'Spend' })
      .returning();
    const c = await createConversation(db(), { userId, customerId: customer!.id });
    const row = { provider: 'openai', model: 'm', agent: 'faq', customerId: customer!.id };
    await db()
      .insert(llmUsage)
      .values([
        { ...row, conversationId: c.id, costUsd: 0.25 },
        { ...row, costUsd: 0.5 },
        { ...row, costUsd: 7, createdAt: new Date(Date.now() - 48 * 3600 * 1000) },
      ]);
    const since = new Date(Date.now() - 24 * 3600 * 1000);
    const got = await acceptMessage(db(), { conversationId: c.id, content: 'hi', authorId: userId }, { userId, conversationId: null }, { conversation: true, customerId: customer!.id, since });
    expect(got.spend.conversation).toBeCloseTo(0.25, 6);
    expect(got.spend.customer).toBeCloseTo(0.75, 6);
  });

  it('stores nothing for a stranger, in a closed conversation, or in one that does not exist', async () => {
    const c = await createConversation(db(), { userId });
    const stranger = await acceptMessage(db(), { conversationId: c.id, content: 'hi', authorId: null }, { userId: null, conversationId: null });
    expect(stranger.message).toBeNull();
    expect(stranger.conversation?.id).toBe(c.id);
    const other = await createConversation(db(), {});
    expect((await acceptMessage(db(), { conversationId: c.id, content: 'hi', authorId: null }, { userId: null, conversationId: other.id })).message).toBeNull();
    // A conversation token for this conversation is its owner.
    const anonymous = await acceptMessage(db(), { conversationId: other.id, content: 'hi', authorId: null }, { userId: null, conversationId: other.id });
    expect(anonymous.message?.content).toBe('hi');
    await setConversationStatus(db(), c.id, 'closed');
    expect((await acceptMessage(db(), { conversationId: c.id, content: 'hi', authorId: userId }, { userId, conversationId: null })).message).toBeNull();
    const missing = await acceptMessage(db(), { conversationId: '018f0000-0000-7000-8000-000000000000', content: 'hi', authorId: userId }, { userId, conversationId: null });
    expect(missing).toEqual({ conversation: undefined, message: null, hadMessages: false, spend: { conversation: null, customer: null } });
  });
});
