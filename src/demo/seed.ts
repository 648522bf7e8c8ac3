import { hashPassword } from '../auth/passwords.js';
import { ingestDocument } from '../knowledge/ingest.js';
import type { Embedder } from '../llm/embeddings.js';
import type { Db } from '../db/client.js';
import { insertDemoCompany, userEmailExists } from '../db/queries/demo.js';
import { actionDemoOrders, buildDemoData, DEMO_CANNED_REPLIES, DEMO_PASSWORD, DEMO_USERS } from './demo-data.js';
import { KNOWLEDGE_ARTICLES } from './knowledge-articles.js';

/** Loads the knowledge articles only (chunked and embedded). */
export async function seedKnowledge(db: Db, embedder: Embedder): Promise<number> {
  for (const a of KNOWLEDGE_ARTICLES) await ingestDocument(db, embedder, a);
  return KNOWLEDGE_ARTICLES.length;
}

/**
 * Loads the demo company (customers with their records, the demo sign-ins, the knowledge base)
 * unless it is already there. Returns what it loaded, or null when nothing was needed.
 */
export async function seedDemo(db: Db, embedder: Embedder, now: Date = new Date()): Promise<{ customers: number; documents: number } | null> {
  if (await userEmailExists(db, 'admin@example.com')) return null;
  const built = buildDemoData();
  // Alice's orders to try the account actions on, dated from today (see actionDemoOrders).
  const alice = built.customers.find((c) => c.email === 'alice@example.com')!;
  const data = { ...built, orders: [...built.orders, ...actionDemoOrders(alice.id!, now)] };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const byEmail = new Map(data.customers.map((c) => [c.email, c.id]));
  await insertDemoCompany(db, {
    ...data,
    users: DEMO_USERS.map((u) => ({
      email: u.email,
      name: u.name,
      role: u.role,
      passwordHash,
      customerId: u.role === 'customer' ? (byEmail.get(u.email) ?? null) : null,
    })),
    cannedReplies: DEMO_CANNED_REPLIES.map((r) => ({ ...r })),
  });
  const documents = await seedKnowledge(db, embedder);
  return { customers: data.customers.length, documents };
}
