import type { Db } from '../db/client.js';
import { allDocuments, documentChunks, replaceChunks, syncChunks, upsertDocument, type KnowledgeDocument, type NewKnowledgeDocument } from '../db/queries/knowledge.js';
import type { Embedder } from '../llm/embeddings.js';
import { type Chunk, chunkArticle } from './chunk.js';

/** Which stored passages a new chunking keeps (by id, at a new position) and which it adds. */
export interface ChunkPlan {
  keep: { id: string; index: number }[];
  add: (Chunk & { index: number })[];
}

/**
 * Matches a document's new passages with its stored ones: a passage whose heading and text are
 * unchanged keeps its row and embedding; only the others need embedding.
 */
export function planChunkSync(existing: readonly { id: string; heading: string; content: string }[], next: readonly Chunk[]): ChunkPlan {
  const byText = new Map<string, string[]>();
  for (const e of existing) {
    const key = `${e.heading}\u0000${e.content}`;
    byText.set(key, [...(byText.get(key) ?? []), e.id]);
  }
  const plan: ChunkPlan = { keep: [], add: [] };
  next.forEach((c, index) => {
    const id = byText.get(`${c.heading}\u0000${c.content}`)?.shift();
    if (id) plan.keep.push({ id, index });
    else plan.add.push({ ...c, index });
  });
  return plan;
}

// The heading is embedded with the passage: it carries the topic the passage alone may not name.
const embeddingText = (c: Chunk) => `${c.heading}\n${c.content}`;

/**
 * How passages are made: bump it whenever chunkArticle or embeddingText changes what is stored, so
 * every process re-makes the passages made the old way at its next start (createDeps).
 */
const PASSAGE_RECIPE = 'passages-1';

/** The version a stored passage carries: the embedder's model id and the chunking recipe. */
export function passageVersion(embedder: Pick<Embedder, 'modelId'>): string {
  return `${embedder.modelId}+${PASSAGE_RECIPE}`;
}

/**
 * Chunks a stored document and makes its passages searchable. Passages whose text is unchanged keep
 * their embeddings (an edit or a re-sync embeds only what changed); `all` re-embeds every passage
 * (after the embedding model changes). Returns the passage count and how many were embedded.
 */
export async function embedDocument(db: Db, embedder: Embedder, doc: Pick<KnowledgeDocument, 'id' | 'title' | 'content'>, opts: { all?: boolean } = {}): Promise<{ chunks: number; embedded: number }> {
  const chunks = chunkArticle(doc.title, doc.content);
  if (opts.all) {
    const embeddings = await embedder.embed(chunks.map(embeddingText));
    await replaceChunks(
      db,
      doc.id,
      chunks.map((c, i) => ({ ...c, embedding: embeddings[i]! })),
      passageVersion(embedder),
    );
    return { chunks: chunks.length, embedded: chunks.length };
  }
  // Only passages this embedder and recipe made can be kept: another version's vector is not comparable.
  const version = passageVersion(embedder);
  const current = (await documentChunks(db, doc.id)).filter((c) => c.indexedWith === version);
  const plan = planChunkSync(current, chunks);
  const embeddings = plan.add.length ? await embedder.embed(plan.add.map(embeddingText)) : [];
  await syncChunks(db, doc.id, { keep: plan.keep, add: plan.add.map((c, i) => ({ ...c, embedding: embeddings[i]! })) }, version);
  return { chunks: chunks.length, embedded: plan.add.length };
}

/** Stores a knowledge article and (re)builds its embedded passages. */
export async function ingestDocument(db: Db, embedder: Embedder, doc: NewKnowledgeDocument): Promise<{ document: KnowledgeDocument; chunks: number }> {
  const document = await upsertDocument(db, doc);
  const { chunks } = await embedDocument(db, embedder, document);
  return { document, chunks };
}

/** Re-chunks and re-embeds every document (after the embedding model or its dimensions change). */
export async function reembedAll(db: Db, embedder: Embedder): Promise<number> {
  const docs = await allDocuments(db);
  for (const d of docs) await embedDocument(db, embedder, d, { all: true });
  return docs.length;
}
