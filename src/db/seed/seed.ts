import { count, eq } from 'drizzle-orm';
import { hashPassword } from '../../auth/passwords.js';
import { ingestDocument } from '../../knowledge/ingest.js';
import type { Embedder } from '../../llm/embeddings.js';
import type { Db } from '../client.js';
import { customers, invoices, orders, subscriptions, supportTickets, users } from '../schema.js';
import { buildDemoData, DEMO_PASSWORD, DEMO_USERS } from './demo-data.js';
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
export async function seedDemo(db: Db, embedder: Embedder): Promise<{ customers: number; documents: number } | null> {
  const [existing] = await db.select({ n: count() }).from(users).where(eq(users.email, 'admin@example.com'));
  if (existing && existing.n > 0) return null;
  const data = buildDemoData();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    await tx.insert(customers).values(data.customers);
    await tx.insert(subscriptions).values(data.subscriptions);
    await tx.insert(invoices).values(data.invoices);
    if (data.orders.length) await tx.insert(orders).values(data.orders);
    if (data.supportTickets.length) await tx.insert(supportTickets).values(data.supportTickets);
    const byEmail = new Map(data.customers.map((c) => [c.email, c.id]));
    await tx.insert(users).values(
      DEMO_USERS.map((u) => ({
        email: u.email,
        name: u.name,
        role: u.role,
        passwordHash,
        customerId: u.role === 'customer' ? (byEmail.get(u.email) ?? null) : null,
      })),
    );
  });
  const documents = await seedKnowledge(db, embedder);
  return { customers: data.customers.length, documents };
}
