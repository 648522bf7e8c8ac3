-- drizzle-kit does not emit extensions: pgvector must exist before any vector column.
CREATE EXTENSION IF NOT EXISTS vector;
