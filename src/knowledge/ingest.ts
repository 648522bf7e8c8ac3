import type { Db } from '../db/client.js';
import { allDocuments, replaceChunks, upsertDocument, type KnowledgeDocument, type NewKnowledgeDocument } from '../db/queries/knowledge.js';
import type { Embedder } from '../llm/embeddings.js';
import { chunkArticle } from './chunk.js';

/** Stores a knowledge article and (re)builds its embedded passages. */
export async function ingestDocument(db: Db, embedder: Embedder, doc: NewKnowledgeDocument): Promise<{ document: KnowledgeDocument; chunks: number }> {
  const document = await upsertDocument(db, doc);
  const chunks = chunkArticle(document.title, document.content);
  // The heading is embedded with the passage: it carries the topic the passage alone may not name.
  const embeddings = await embedder.embed(chunks.map((c) => `${c.heading}\n${c.content}`));
  await replaceChunks(
    db,
    document.id,
    chunks.map((c, i) => ({ ...c, embedding: embeddings[i]! })),
  );
  return { document, chunks: chunks.length };
}

/** Re-chunks and re-embeds every document (after the embedding model or its dimensions change). */
export async function reembedAll(db: Db, embedder: Embedder): Promise<number> {
  const docs = await allDocuments(db);
  for (const d of docs) await ingestDocument(db, embedder, d);
  return docs.length;
}
