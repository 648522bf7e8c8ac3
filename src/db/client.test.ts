import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../test/db.js';
import { ensureEmbeddingDimensions, MIGRATIONS_FOLDER, queryRows } from './client.js';

const TABLES = [
  'users',
  'customers',
  'subscriptions',
  'invoices',
  'orders',
  'support_tickets',
  'conversations',
  'messages',
  'knowledge_documents',
  'knowledge_chunks',
  'llm_usage',
  'refresh_tokens',
  'idempotency_keys',
];

// The roadmap's indexes, as (table, leading columns).
const ROADMAP_INDEXES: [string, string][] = [
  ['messages', 'conversation_id, created_at'],
  ['messages', 'role, created_at'],
  ['conversations', 'customer_id, status'],
  ['conversations', 'status, created_at'],
  ['conversations', 'updated_at'],
  ['knowledge_documents', 'category, is_active'],
  ['knowledge_documents', 'is_active, created_at'],
  ['customers', 'email'],
  ['customers', 'is_active, created_at'],
  ['subscriptions', 'customer_id, status'],
  ['subscriptions', 'status, end_date'],
  ['invoices', 'customer_id, status'],
  ['invoices', 'status, due_date'],
  ['invoices', 'invoice_number'],
  ['support_tickets', 'customer_id, status'],
  ['support_tickets', 'priority, status'],
  ['support_tickets', 'status, created_at'],
  ['llm_usage', 'created_at'],
  ['llm_usage', 'model, created_at'],
  ['llm_usage', 'conversation_id'],
];

describe.each(DRIVERS)('migrations (%s)', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const indexes = () =>
    queryRows<{ table: string; name: string; def: string; cols: string }>(
      t.database.db,
      sql`SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS def,
                 (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS cols
          FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`,
    );

  it('creates every table and the vector extension', async () => {
    const rows = await queryRows<{ tablename: string }>(t.database.db, sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    expect(rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(TABLES));
    const [ext] = await queryRows<{ extversion: string }>(t.database.db, sql`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
    expect(ext?.extversion).toMatch(/^0\.[7-9]|^[1-9]/);
  });

  it('has every index the roadmap lists', async () => {
    const all = await indexes();
    for (const [table, cols] of ROADMAP_INDEXES) {
      expect(
        all.some((i) => i.table === table && i.cols.startsWith(cols)),
        `${table}(${cols})`,
      ).toBe(true);
    }
    expect(all.find((i) => i.table === 'customers' && i.cols === 'email')?.def).toMatch(/UNIQUE/);
    expect(all.find((i) => i.table === 'invoices' && i.cols === 'invoice_number')?.def).toMatch(/UNIQUE/);
  });

  it('indexes chunk embeddings with HNSW (cosine, m=16, ef_construction=64) and the tsvector with GIN', async () => {
    const all = await indexes();
    const hnsw = all.find((i) => i.name === 'knowledge_chunks_embedding_hnsw_idx')!;
    expect(hnsw.def).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(hnsw.def).toMatch(/m='?16'?/);
    expect(hnsw.def).toMatch(/ef_construction='?128'?/);
    expect(all.find((i) => i.name === 'knowledge_chunks_tsv_gin_idx')!.def).toMatch(/USING gin \(tsv\)/);
  });

  it('indexes every foreign key', async () => {
    const fks = await queryRows<{ table: string; column: string }>(
      t.database.db,
      sql`SELECT c.conrelid::regclass::text AS table, a.attname AS column
          FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f'`,
    );
    expect(fks.length).toBeGreaterThan(15);
    const all = await indexes();
    const unindexed = fks.filter((fk) => !all.some((i) => i.table === fk.table && i.cols.split(', ')[0] === fk.column));
    expect(unindexed).toEqual([]);
  });

  it('generates the tsvector from heading and content', async () => {
    const [doc] = await queryRows<{ id: string }>(t.database.db, sql`INSERT INTO knowledge_documents (slug, title, category, content) VALUES ('t', 'T', 'x', 'c') RETURNING id`);
    const [chunk] = await queryRows<{ tsv: string }>(
      t.database.db,
      sql`INSERT INTO knowledge_chunks (document_id, chunk_index, heading, content) VALUES (${doc!.id}, 0, 'Refunds', 'Money returned within ten days') RETURNING tsv::text`,
    );
    expect(chunk!.tsv).toContain("'refund'");
    expect(chunk!.tsv).toContain("'money'");
  });

  it("weighs a passage's own section heading above its article's title (A, C; the text D)", async () => {
    const [doc] = await queryRows<{ id: string }>(t.database.db, sql`INSERT INTO knowledge_documents (slug, title, category, content) VALUES ('t2', 'T2', 'x', 'c') RETURNING id`);
    const rows = await queryRows<{ tsv: string }>(
      t.database.db,
      sql`INSERT INTO knowledge_chunks (document_id, chunk_index, heading, content) VALUES (${doc!.id}, 0, 'Billing guide', 'Intro text'), (${doc!.id}, 1, 'Billing guide — Refunds', 'Money returned') RETURNING tsv::text`,
    );
    // An introduction's heading is the title alone: it is the passage's own heading.
    expect(rows[0]!.tsv).toMatch(/'bill':\d+A/);
    expect(rows[1]!.tsv).toMatch(/'refund':\d+A/);
    expect(rows[1]!.tsv).toMatch(/'bill':\d+C/);
    expect(rows[1]!.tsv).toMatch(/'money':\d+(?![ABC])/);
  });

  it('applying migrations again changes nothing', async () => {
    await t.database.migrate();
    const rows = await queryRows<{ n: string }>(t.database.db, sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`);
    // One row per migration in the journal, however many there are by now.
    const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    expect(journal.entries.length).toBeGreaterThanOrEqual(3);
    expect(Number(rows[0]!.n)).toBe(journal.entries.length);
  });

  it('retypes the embedding column when the configured dimensions change', async () => {
    expect(await ensureEmbeddingDimensions(t.database.db, 384)).toBe(false);
    expect(await ensureEmbeddingDimensions(t.database.db, 256)).toBe(true);
    const [row] = await queryRows<{ dims: number }>(t.database.db, sql`SELECT atttypmod AS dims FROM pg_attribute WHERE attrelid = 'knowledge_chunks'::regclass AND attname = 'embedding'`);
    expect(Number(row!.dims)).toBe(256);
    const all = await indexes();
    expect(all.find((i) => i.name === 'knowledge_chunks_embedding_hnsw_idx')).toBeDefined();
    expect(await ensureEmbeddingDimensions(t.database.db, 384)).toBe(true);
  });
});
