import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';

/** The Drizzle database every query function takes first, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** An open database: the Drizzle handle plus what the process needs to manage it. */
export interface Database {
  db: Db;
  driver: 'postgres' | 'pglite';
  /** Applies pending migrations (serialised across processes on PostgreSQL); resolves with how many this call applied. */
  migrate(): Promise<number>;
  /** Cheap liveness probe for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
}

// An arbitrary constant: the advisory lock that serialises migrations between API processes.
const MIGRATION_LOCK_ID = 727_001;

/** Opens PostgreSQL through `pg` when a URL is given, else PGlite with pgvector. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 20);
  return openPglite(opts.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // PostgreSQL being down or silent makes a request fail within seconds, never hang: a connection
  // must open within 3 s and a query answer within 30 s (the longest is an index build at start-up).
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 3000,
    query_timeout: 30_000,
    keepAlive: true,
  });
  // An idle client erroring (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    async migrate() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        const applied = async () => {
          const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present");
          if (!rows[0]?.present) return 0;
          return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0]!.n);
        };
        const before = await applied();
        await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
        return (await applied()) - before;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
        await client.end();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  let location: string | undefined;
  if (!inMemory) {
    location = path.resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
  }
  const client = await PGlite.create(location, { extensions: { vector } });
  const pglite = drizzlePglite(client, { schema });
  const db = pglite as unknown as Db;
  return {
    db,
    driver: 'pglite',
    async migrate() {
      const applied = async () => {
        const { rows } = await client.query<{ n: number }>("SELECT CASE WHEN to_regclass('drizzle.__drizzle_migrations') IS NULL THEN 0 ELSE 1 END AS n");
        if (!rows[0]?.n) return 0;
        return Number((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).rows[0]!.n);
      };
      const before = await applied();
      await migratePglite(pglite, { migrationsFolder: MIGRATIONS_FOLDER });
      return (await applied()) - before;
    },
    async ping() {
      await client.query('SELECT 1');
    },
    close: () => client.close(),
  };
}

/** Runs a raw SQL statement and returns its rows, for the queries Drizzle's builder cannot express. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Makes the embedding column match the configured dimensions. Changing dimensions means a new
 * embedding model, so existing vectors are meaningless: they are cleared and the HNSW index rebuilt;
 * the caller re-embeds (see knowledge/ingest.ts). Returns true when the column was retyped.
 */
export async function ensureEmbeddingDimensions(db: Db, dimensions: number): Promise<boolean> {
  const [row] = await queryRows<{ dims: number }>(
    db,
    sql`SELECT atttypmod AS dims FROM pg_attribute
        WHERE attrelid = 'knowledge_chunks'::regclass AND attname = 'embedding'`,
  );
  if (!row || Number(row.dims) === dimensions) return false;
  await db.transaction(async (tx) => {
    await tx.execute(sql`DROP INDEX IF EXISTS knowledge_chunks_embedding_hnsw_idx`);
    await tx.execute(sql.raw(`ALTER TABLE knowledge_chunks ALTER COLUMN embedding TYPE vector(${dimensions}) USING NULL`));
    const { m, ef_construction } = schema.HNSW_INDEX_OPTIONS;
    await tx.execute(
      sql.raw(`CREATE INDEX knowledge_chunks_embedding_hnsw_idx ON knowledge_chunks
          USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${ef_construction})`),
    );
  });
  return true;
}

/** True for a unique-constraint violation (SQLSTATE 23505) from pg or PGlite, also when drizzle wraps it in `cause`. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (e.code === '23505') return true;
  }
  return false;
}
