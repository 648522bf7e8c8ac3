ALTER TABLE "knowledge_documents" ADD COLUMN "last_embedded" integer;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD COLUMN "source_type" text DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD COLUMN "source_name" text;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD COLUMN "source_url" text;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD COLUMN "synced_at" timestamp (3) with time zone;