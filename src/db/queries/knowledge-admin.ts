import { and, eq, ilike, like, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { knowledgeDocuments } from '../schema.js';
import type { KnowledgeDocument } from './knowledge.js';
import { keyset, pageOf } from './pagination.js';

// The knowledge base as administrators manage it: documents with their ingestion state.
// (Retrieval lives in knowledge.ts.)

/** A document with the number of searchable passages it has now. */
export type KnowledgeDocumentWithChunks = KnowledgeDocument & { chunkCount: number };

// Spelled out: inside a select list Drizzle renders columns unqualified, and `id` would bind to the chunk.
const chunkCount = sql<number>`(SELECT count(*)::int FROM knowledge_chunks kc WHERE kc.document_id = "knowledge_documents"."id")`;

/** Title, slug or text containing the words, in any case (LIKE wildcards in them taken literally). */
function searchCondition(q: string) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(knowledgeDocuments.title, pattern), ilike(knowledgeDocuments.slug, pattern), ilike(knowledgeDocuments.content, pattern));
}

/** Documents newest first, one page, each with its passage count (one query). */
export async function listKnowledgePage(
  db: Db,
  opts: { limit: number; cursor?: string; category?: string; status?: KnowledgeDocument['ingestStatus']; includeInactive?: boolean; q?: string },
): Promise<{ items: KnowledgeDocumentWithChunks[]; nextCursor: string | null }> {
  const page = keyset(knowledgeDocuments, opts.cursor);
  const conds = [
    opts.includeInactive ? undefined : eq(knowledgeDocuments.isActive, true),
    opts.category ? eq(knowledgeDocuments.category, opts.category) : undefined,
    opts.status ? eq(knowledgeDocuments.ingestStatus, opts.status) : undefined,
    opts.q ? searchCondition(opts.q) : undefined,
    page.after,
  ].filter((c) => c !== undefined);
  const rows = await db
    .select({ doc: knowledgeDocuments, chunkCount })
    .from(knowledgeDocuments)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(...page.orderBy)
    .limit(opts.limit + 1);
  return pageOf(
    rows.map((r) => ({ ...r.doc, chunkCount: Number(r.chunkCount) })),
    opts.limit,
  );
}

/** One document with its passage count. */
export async function getKnowledgeDocument(db: Db, id: string): Promise<KnowledgeDocumentWithChunks | undefined> {
  const [row] = await db.select({ doc: knowledgeDocuments, chunkCount }).from(knowledgeDocuments).where(eq(knowledgeDocuments.id, id)).limit(1);
  return row ? { ...row.doc, chunkCount: Number(row.chunkCount) } : undefined;
}

/** The fields an administrator writes. */
export interface KnowledgeInput {
  slug: string;
  title: string;
  category: string;
  content: string;
  isActive: boolean;
}

/** Where an imported document came from. */
export interface KnowledgeSource {
  sourceType: 'file' | 'url';
  sourceName: string;
  sourceUrl?: string;
}

/** Adds a document waiting for ingestion; undefined when the slug is taken. */
export async function insertKnowledgeDocument(db: Db, input: KnowledgeInput, source?: KnowledgeSource): Promise<KnowledgeDocument | undefined> {
  const [row] = await db
    .insert(knowledgeDocuments)
    .values({ ...input, ...source, ...(source?.sourceUrl ? { syncedAt: sql`now()` } : {}), ingestStatus: 'pending' })
    .onConflictDoNothing({ target: knowledgeDocuments.slug })
    .returning();
  return row;
}

/** Replaces a document's fields and marks it for re-ingestion; undefined when it does not exist. */
export async function updateKnowledgeDocument(db: Db, id: string, input: KnowledgeInput): Promise<KnowledgeDocument | undefined> {
  const [row] = await db
    .update(knowledgeDocuments)
    .set({ ...input, ingestStatus: 'pending', ingestError: null, updatedAt: sql`now()` })
    .where(eq(knowledgeDocuments.id, id))
    .returning();
  return row;
}

/**
 * Stores what a re-sync fetched: new content marks the document for re-ingestion; the same content
 * only records when it was checked. Undefined when the document does not exist.
 */
export async function recordSync(db: Db, id: string, content: string | null): Promise<KnowledgeDocument | undefined> {
  const [row] = await db
    .update(knowledgeDocuments)
    .set(content === null ? { syncedAt: sql`now()` } : { content, syncedAt: sql`now()`, ingestStatus: 'pending', ingestError: null, updatedAt: sql`now()` })
    .where(eq(knowledgeDocuments.id, id))
    .returning();
  return row;
}

/** The slug itself when free, else the first free "slug-2", "slug-3", … (one query). */
export async function freeSlug(db: Db, slug: string): Promise<string> {
  const rows = await db
    .select({ slug: knowledgeDocuments.slug })
    .from(knowledgeDocuments)
    .where(or(eq(knowledgeDocuments.slug, slug), like(knowledgeDocuments.slug, `${slug}-%`)));
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(slug)) return slug;
  let n = 2;
  while (taken.has(`${slug}-${n}`)) n++;
  return `${slug}-${n}`;
}

/** True when another document already uses the slug. */
export async function slugTakenByOther(db: Db, slug: string, id: string): Promise<boolean> {
  const [row] = await db.select({ id: knowledgeDocuments.id }).from(knowledgeDocuments).where(eq(knowledgeDocuments.slug, slug)).limit(1);
  return row !== undefined && row.id !== id;
}

/** Deletes a document and (by cascade) its passages; false when it did not exist. */
export async function deleteKnowledgeDocument(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(knowledgeDocuments).where(eq(knowledgeDocuments.id, id)).returning({ id: knowledgeDocuments.id });
  return rows.length > 0;
}

/** Records where a document's ingestion stands. */
export async function setIngestStatus(db: Db, id: string, status: KnowledgeDocument['ingestStatus'], error: string | null = null, embedded?: number): Promise<void> {
  await db
    .update(knowledgeDocuments)
    .set({ ingestStatus: status, ingestError: error, ...(status === 'ready' ? { ingestedAt: sql`now()`, lastEmbedded: embedded ?? null } : {}) })
    .where(eq(knowledgeDocuments.id, id));
}

/** Marks every document for re-ingestion and returns their ids (after an embedding change). */
export async function markAllPending(db: Db): Promise<string[]> {
  const rows = await db.update(knowledgeDocuments).set({ ingestStatus: 'pending' }).returning({ id: knowledgeDocuments.id });
  return rows.map((r) => r.id);
}
