-- drizzle-kit does not emit extensions: pgvector must exist before any vector column.
CREATE EXTENSION IF NOT EXISTS vector;--> statement-breakpoint
-- Ticket numbers are human-facing (TCK-200001) and must be unique under concurrency: a sequence.
CREATE SEQUENCE IF NOT EXISTS support_ticket_number_seq START WITH 200001;
