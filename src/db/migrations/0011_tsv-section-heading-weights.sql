-- Full-text weights: a passage's own section heading A, its article's title C (was: the whole heading A), the text D.
ALTER TABLE "knowledge_chunks" drop column "tsv";--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "tsv" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', regexp_replace(heading, '^.* — ', '')), 'A') || setweight(to_tsvector('english', CASE WHEN heading LIKE '% — %' THEN regexp_replace(heading, ' — [^—]*$', '') ELSE '' END), 'C') || to_tsvector('english', content)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "knowledge_chunks_tsv_gin_idx" ON "knowledge_chunks" USING gin ("tsv");
