import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../client.js';
import { knowledgeChunks, knowledgeDocuments } from '../schema.js';

export type KnowledgeDocument = typeof knowledgeDocuments.$inferSelect;
export type NewKnowledgeDocument = typeof knowledgeDocuments.$inferInsert;

/** A retrieved passage with the scores that placed it. */
export interface SearchHit {
  chunkId: string;
  documentId: string;
  title: string;
  slug: string;
  category: string;
  heading: string;
  content: string;
  /** Reciprocal-rank-fusion score (what the hits are ordered by). */
  score: number;
  /** Cosine similarity to the query, when the vector search found it. */
  similarity: number | null;
  /** Full-text rank, when the text search found it. */
  textRank: number | null;
}

/** Inserts or replaces a document by slug and returns it. */
export async function upsertDocument(db: Db, doc: NewKnowledgeDocument): Promise<KnowledgeDocument> {
  const [row] = await db
    .insert(knowledgeDocuments)
    .values(doc)
    .onConflictDoUpdate({
      target: knowledgeDocuments.slug,
      set: { title: doc.title, category: doc.category, content: doc.content, isActive: doc.isActive ?? true, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

/** Replaces a document's chunks (and their embeddings) in one transaction. */
export async function replaceChunks(db: Db, documentId: string, chunks: { heading: string; content: string; embedding: number[] }[], indexedWith: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(knowledgeChunks).where(eq(knowledgeChunks.documentId, documentId));
    if (chunks.length === 0) return;
    await tx.insert(knowledgeChunks).values(chunks.map((c, i) => ({ documentId, chunkIndex: i, heading: c.heading, content: c.content, embedding: c.embedding, indexedWith })));
  });
}

/** A document's passages as stored: what an ingestion compares the new passages with. */
export function documentChunks(db: Db, documentId: string): Promise<{ id: string; heading: string; content: string; indexedWith: string | null }[]> {
  return db
    .select({ id: knowledgeChunks.id, heading: knowledgeChunks.heading, content: knowledgeChunks.content, indexedWith: knowledgeChunks.indexedWith })
    .from(knowledgeChunks)
    .where(eq(knowledgeChunks.documentId, documentId))
    .orderBy(asc(knowledgeChunks.chunkIndex));
}

/**
 * Brings a document's passages to a new list in one transaction: `keep` (existing ids, each at its
 * new position) stay with their embeddings, `add` are inserted, every other passage is deleted.
 */
export async function syncChunks(
  db: Db,
  documentId: string,
  change: { keep: { id: string; index: number }[]; add: { index: number; heading: string; content: string; embedding: number[] }[] },
  indexedWith: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const keepIds = change.keep.map((k) => k.id);
    await tx.delete(knowledgeChunks).where(and(eq(knowledgeChunks.documentId, documentId), keepIds.length ? notInArray(knowledgeChunks.id, keepIds) : undefined));
    if (change.keep.length) {
      // Two steps through negative positions: (document_id, chunk_index) is unique at every statement.
      const positions = sql.join(
        change.keep.map((k) => sql`(${k.id}::uuid, ${k.index}::int)`),
        sql`, `,
      );
      await tx.execute(sql`UPDATE knowledge_chunks c SET chunk_index = -1 - p.idx FROM (VALUES ${positions}) AS p(id, idx) WHERE c.id = p.id`);
      await tx.execute(sql`UPDATE knowledge_chunks SET chunk_index = -1 - chunk_index WHERE document_id = ${documentId} AND chunk_index < 0`);
    }
    if (change.add.length) {
      await tx.insert(knowledgeChunks).values(change.add.map((c) => ({ documentId, chunkIndex: c.index, heading: c.heading, content: c.content, embedding: c.embedding, indexedWith })));
    }
  });
}

/** The documents with a passage made by another embedder or chunking than `indexedWith` (or before versions were kept). */
export async function documentsIndexedOtherwise(db: Db, indexedWith: string): Promise<string[]> {
  const rows = await db.selectDistinct({ id: knowledgeChunks.documentId }).from(knowledgeChunks).where(sql`${knowledgeChunks.indexedWith} IS DISTINCT FROM ${indexedWith}`);
  return rows.map((r) => r.id);
}

/** Every document, active or not (the re-embedding sweep's work list). */
export function allDocuments(db: Db): Promise<KnowledgeDocument[]> {
  return db.select().from(knowledgeDocuments);
}

/** Every passage of the knowledge base with its document's title (what the offline engine precomputes at start). */
export function allPassages(db: Db, limit = 20_000): Promise<{ title: string; heading: string; content: string }[]> {
  return db
    .select({ title: knowledgeDocuments.title, heading: knowledgeChunks.heading, content: knowledgeChunks.content })
    .from(knowledgeChunks)
    .innerJoin(knowledgeDocuments, eq(knowledgeDocuments.id, knowledgeChunks.documentId))
    .limit(limit);
}

/**
 * Turns free text into an OR full-text query: every meaningful word (plus the expansion terms the
 * caller adds, e.g. the domain thesaurus's) may match, and chunks matching more of them rank higher.
 */
export function toOrTsQuery(text: string, expansion: readonly string[] = []): string {
  const expanded = `${text} ${expansion.join(' ')}`;
  const words =
    expanded
      .toLowerCase()
      .normalize('NFKD')
      .match(/[a-z0-9]+/g) ?? [];
  return [...new Set(words.filter((w) => w.length > 1))].slice(0, 32).join(' | ');
}

const RRF_K = 60;

/** Options of one hybrid search. */
export interface SearchOptions {
  /** Hits to return. */
  limit?: number;
  /** Candidates each side (vector, text) contributes before fusion. */
  candidates?: number;
  /** Which retrievers to use; both by default (the evaluation compares them). */
  mode?: 'hybrid' | 'vector' | 'text';
}

/**
 * Hybrid retrieval in one round trip: pgvector cosine (HNSW) and Postgres full-text search,
 * fused by reciprocal rank (1/(60+rank) from each list), over active documents only. `expansion`
 * terms (the caller's thesaurus) join the full-text query. Equal distances, text ranks and fused
 * scores are ordered by the document's slug, then the passage's position in it, so the same
 * knowledge base always gives the same ranking (chunk ids are random: ordering ties by them made
 * results change with every re-seed).
 */
export async function hybridSearch(db: Db, query: { text: string; embedding: number[]; expansion?: readonly string[] }, opts: SearchOptions = {}): Promise<SearchHit[]> {
  const limit = opts.limit ?? 5;
  const candidates = opts.candidates ?? 40;
  const mode = opts.mode ?? 'hybrid';
  const vectorLiteral = `[${query.embedding.join(',')}]`;
  const tsq = toOrTsQuery(query.text, query.expansion);
  const useVector = mode !== 'text';
  const useText = mode !== 'vector' && tsq.length > 0;
  const rows = await queryRows<{
    chunk_id: string;
    document_id: string;
    title: string;
    slug: string;
    category: string;
    heading: string;
    content: string;
    score: number;
    similarity: number | null;
    text_rank: number | null;
  }>(
    db,
    sql`
    WITH vec AS (
      SELECT v.id, row_number() OVER (ORDER BY v.dist, d.slug, v.chunk_index) AS rank, 1 - v.dist AS similarity
      FROM (
        SELECT id, document_id, chunk_index, embedding <=> ${vectorLiteral}::vector AS dist
        FROM knowledge_chunks
        WHERE ${useVector} AND embedding IS NOT NULL
        ORDER BY embedding <=> ${vectorLiteral}::vector
        LIMIT ${candidates}
      ) v
      JOIN knowledge_documents d ON d.id = v.document_id
    ),
    fts AS (
      SELECT id, row_number() OVER (ORDER BY text_rank DESC, slug, chunk_index) AS rank, text_rank
      FROM (
        SELECT c.id, d.slug, c.chunk_index, ts_rank_cd(c.tsv, q) AS text_rank
        FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id, to_tsquery('english', ${tsq}) q
        WHERE ${useText} AND c.tsv @@ q
        ORDER BY text_rank DESC, d.slug, c.chunk_index
        LIMIT ${candidates}
      ) t
    ),
    fused AS (
      SELECT coalesce(vec.id, fts.id) AS id,
             coalesce(1.0 / (${RRF_K} + vec.rank), 0) + coalesce(1.0 / (${RRF_K} + fts.rank), 0) AS score,
             vec.similarity, fts.text_rank
      FROM vec FULL OUTER JOIN fts ON vec.id = fts.id
    )
    SELECT c.id AS chunk_id, c.document_id, d.title, d.slug, d.category, c.heading, c.content,
           f.score::float8 AS score, f.similarity::float8 AS similarity, f.text_rank::float8 AS text_rank
    FROM fused f
    JOIN knowledge_chunks c ON c.id = f.id
    JOIN knowledge_documents d ON d.id = c.document_id AND d.is_active
    ORDER BY f.score DESC, d.slug, c.chunk_index
    LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    chunkId: r.chunk_id,
    documentId: r.document_id,
    title: r.title,
    slug: r.slug,
    category: r.category,
    heading: r.heading,
    content: r.content,
    score: Number(r.score),
    similarity: r.similarity === null ? null : Number(r.similarity),
    textRank: r.text_rank === null ? null : Number(r.text_rank),
  }));
}

/**
 * How many passages of the knowledge base (active documents) contain each word, as the full-text
 * index stems it, and how many passages there are: the knowledge base's vocabulary, looked up for
 * the words of one long message. A word the index drops (a stop word) counts 0. Counts stop at
 * `cap`, so a common word costs no more than a rare one.
 */
export async function termDocumentFrequencies(db: Db, words: readonly string[], cap = 1000): Promise<{ total: number; df: Map<string, number> }> {
  const unique = [...new Set(words)];
  if (unique.length === 0) return { total: 0, df: new Map() };
  const rows = await queryRows<{ word: string | null; df: number }>(
    db,
    sql`
    WITH w AS (SELECT value AS word, plainto_tsquery('english', value) AS q FROM jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb))
    SELECT w.word,
           CASE WHEN numnode(w.q) = 0 THEN 0 ELSE (
             SELECT count(*) FROM (
               SELECT 1 FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id AND d.is_active
               WHERE c.tsv @@ w.q LIMIT ${cap}
             ) m
           ) END::int AS df
    FROM w
    UNION ALL
    SELECT NULL, count(*)::int FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id AND d.is_active`,
  );
  const df = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    if (r.word === null) total = Number(r.df);
    else df.set(r.word, Number(r.df));
  }
  return { total, df };
}
