import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { TEST_REDIS_URL } from '../../test/app.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../test/db.js';
import { runTurn } from '../agents/orchestrator.js';
import { loadConfig } from '../config.js';
import { createDeps } from '../deps.js';
import { createConversation, getConversation, setConversationStatus, type Conversation } from '../db/queries/conversations.js';
import { insertMessage } from '../db/queries/messages.js';
import { conversations } from '../db/schema.js';
import { RedisCache } from '../infra/cache.js';
import { createRedis } from '../infra/redis.js';
import { invalidateMemory, loadMemory, rememberTurn, type MemoryDeps } from './memory.js';
import { summaryDue } from './summary.js';

const redis = createRedis(TEST_REDIS_URL);
afterAll(() => redis.quit());

describe('summaryDue', () => {
  it('refreshes once the conversation outgrows the window, then every half window (three turns of 12)', () => {
    // A turn starts with an odd count (each turn adds the customer's message and the reply).
    expect([11, 13, 15, 17, 19, 21, 23, 25].map((t) => summaryDue(t, 12))).toEqual([false, true, false, false, true, false, false, true]);
  });
});

describe.each(DRIVERS)('conversation memory, Redis-cached (%s)', (driver) => {
  let t: TestDatabase;
  let deps: MemoryDeps;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    deps = { db: t.database.db, cache: new RedisCache(redis, `sbtest:${randomUUID()}:`), config: { MEMORY_MESSAGES: 3 } };
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function conversationWith(...contents: string[]): Promise<Conversation> {
    const c = await createConversation(t.database.db, {});
    for (const [i, content] of contents.entries()) await insertMessage(t.database.db, { conversationId: c.id, role: i % 2 ? 'assistant' : 'user', content });
    return (await getConversation(t.database.db, c.id))!;
  }
  const say = (c: Conversation, content: string, role: 'user' | 'assistant' = 'user') => insertMessage(t.database.db, { conversationId: c.id, role, content });

  it('reads the last N messages, the summary and the count on a miss; a turn’s own reply refreshes the entry', async () => {
    let c = await conversationWith('one', 'two', 'three');
    await t.database.db.update(conversations).set({ summary: 'earlier: greetings' }).where(eq(conversations.id, c.id));
    c = (await getConversation(t.database.db, c.id))!;
    const q = await say(c, 'four');
    const first = await loadMemory(deps, c, q);
    expect(first).toMatchObject({ cached: false, summary: 'earlier: greetings', total: 4 });
    expect(first.messages.map((m) => m.content)).toEqual(['two', 'three', 'four']);

    const reply = await say(c, 'five', 'assistant');
    await rememberTurn(deps, c, first, [reply]);
    // The next turn: the customer's message is stored (the conversation is not touched), memory comes from the cache.
    c = (await getConversation(t.database.db, c.id))!;
    const q2 = await say(c, 'six');
    const second = await loadMemory(deps, c, q2);
    expect(second).toMatchObject({ cached: true, summary: 'earlier: greetings', total: 6 });
    expect(second.messages.map((m) => m.content)).toEqual(['four', 'five', 'six']);
    expect(second.messages[0]!.createdAt).toBeInstanceOf(Date);
  });

  it('caches only what the agents read of each message, not its tool calls, citations or usage', async () => {
    let c = await conversationWith('Where is my order?');
    const q = await say(c, 'And my invoice?');
    const memory = await loadMemory(deps, c, q);
    const passages = Array.from({ length: 5 }, (_, i) => ({ title: `Article ${i}`, text: 'A passage of the help center. '.repeat(40) }));
    const reply = await insertMessage(t.database.db, {
      conversationId: c.id,
      role: 'assistant',
      content: 'Your last invoice is INV-1001.',
      route: 'account',
      followUp: { kind: 'handoff_offer' },
      toolCalls: [{ name: 'search_knowledge', arguments: { query: 'invoice' }, result: passages, status: 'ok', duration_ms: 3 }],
      citations: [{ document_id: randomUUID(), chunk_id: randomUUID(), title: 'Invoices', slug: 'invoices', snippet: 'Invoices are issued monthly.', score: 0.9 }],
    });
    await rememberTurn(deps, c, memory, [reply]);
    const raw = await redis.get(`${(deps.cache as unknown as { prefix: string }).prefix}memory:${c.id}`);
    expect(raw).not.toBeNull();
    const entry = JSON.parse(raw!) as { messages: Record<string, unknown>[] };
    for (const m of entry.messages) expect(Object.keys(m).sort()).toEqual(['content', 'createdAt', 'followUp', 'id', 'role', 'route']);
    expect(raw!.length).toBeLessThan(1000); // the tool call's passages alone are ~6 KB
    c = (await getConversation(t.database.db, c.id))!;
    const next = await loadMemory(deps, c, await say(c, 'thanks'));
    expect(next.cached).toBe(true);
    expect(next.messages.at(-2)).toMatchObject({ id: reply.id, role: 'assistant', content: reply.content, route: 'account', followUp: { kind: 'handoff_offer' } });
  });

  it('is invalidated by any write that touches the conversation (a staff message, a takeover)', async () => {
    let c = await conversationWith('hello');
    const m = await loadMemory(deps, c, (await say(c, 'anyone?'))!);
    await rememberTurn(deps, c, m, [await say(c, 'Hi!', 'assistant')]);
    c = (await getConversation(t.database.db, c.id))!;
    await insertMessage(t.database.db, { conversationId: c.id, role: 'staff', content: 'A person here.' });
    await setConversationStatus(t.database.db, c.id, 'human');
    c = (await getConversation(t.database.db, c.id))!;
    const after = await loadMemory(deps, c, await say(c, 'thanks'));
    expect(after.cached).toBe(false);
    expect(after.messages.map((x) => x.content)).toEqual(['Hi!', 'A person here.', 'thanks']);
  });

  it('is dropped, not refreshed, when another writer changed the conversation during the turn', async () => {
    const c = await conversationWith('a');
    const m = await loadMemory(deps, c, await say(c, 'b'));
    await setConversationStatus(t.database.db, c.id, 'active'); // someone else touched it meanwhile
    await rememberTurn(deps, c, m, [await say(c, 'c', 'assistant')]);
    const now = (await getConversation(t.database.db, c.id))!;
    expect((await loadMemory(deps, now, await say(now, 'd'))).cached).toBe(false);
  });

  it('invalidateMemory drops the entry', async () => {
    let c = await conversationWith('x');
    const m = await loadMemory(deps, c, await say(c, 'y'));
    await rememberTurn(deps, c, m, [await say(c, 'z', 'assistant')]);
    c = (await getConversation(t.database.db, c.id))!;
    await invalidateMemory(deps, c.id);
    expect((await loadMemory(deps, c, await say(c, 'w'))).cached).toBe(false);
  });

  it('keeps a running summary of a long conversation through real turns (offline engine)', async () => {
    const config = loadConfig({ NODE_ENV: 'test', MEMORY_MESSAGES: '4' });
    const agentDeps = await createDeps(config, { database: t.database, seed: false });
    onTestFinished(() => agentDeps.jobs.close());
    let c = await createConversation(t.database.db, {});
    const asks = ['hello there', 'thanks a lot', 'are you a bot?', 'goodbye'];
    for (const content of asks) {
      const userMessage = await say(c, content);
      await runTurn(agentDeps, { auth: { kind: 'anonymous' }, conversation: c, userMessage });
      c = (await getConversation(t.database.db, c.id))!;
    }
    expect(c.summary).toContain('- Customer asked: hello there');
    expect(c.summary).not.toContain('goodbye'); // still in the window
  });
});
