-- Issue 15: ef_construction 64 -> 128, so recall@10 reaches 0.98 at the default ef_search (docs/operations.md, "Vector search").
DROP INDEX "knowledge_chunks_embedding_hnsw_idx";--> statement-breakpoint
CREATE INDEX "knowledge_chunks_embedding_hnsw_idx" ON "knowledge_chunks" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=128);