/**
 * The two databases the vector benchmark runs on, behind the few calls it needs: a scratch
 * database on the PostgreSQL server (created and dropped by the benchmark) and an in-memory PGlite.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import pg from 'pg';
import { vectorBinary } from './synthetic-vectors.js';

/** How a nearest-neighbour query runs: through the HNSW index, or as an exact scan. */
export type Mode = 'exact' | 'hnsw';

/** One database the benchmark runs on, PostgreSQL or PGlite, behind the few calls it needs. */
export interface VectorStore {
  label: string;
  /** Rows per insert statement that load fastest on this driver. */
  batchSize: number;
  exec(sql: string): Promise<void>;
  /** Runs a statement where the exact queries run (PostgreSQL: their own connection). */
  execExact(sql: string): Promise<void>;
  /** Makes the next `nearest` calls use the index (`hnsw`) or scan the table (`exact`); not timed. */
  prepare(mode: Mode): Promise<void>;
  /** The 10 nearest rows to a query vector (a parameter from `param`), nearest first. */
  nearest(param: unknown, mode: Mode): Promise<{ id: number; dist: number }[]>;
  /** The plan of the nearest-neighbour query, one line per node. */
  plan(param: unknown, mode: Mode): Promise<string[]>;
  /** Shared buffers the query hit in the cache and read from outside it (EXPLAIN ANALYZE, BUFFERS). */
  buffers(param: unknown, mode: Mode): Promise<{ hit: number; read: number }>;
  scalar(sql: string): Promise<string>;
  /**
   * CPU time (ms, user + system) the database has used so far, when it can be told apart from the
   * rest of the machine: every process of a PostgreSQL cluster the benchmark started (parallel
   * workers included), or this process for PGlite. Undefined on a shared server.
   */
  cpuMs?(): Promise<number>;
  insert(flat: Float32Array, from: number, count: number, d: number): Promise<void>;
  /** The query vector as this driver's parameter. */
  param(flat: Float32Array, i: number, d: number): unknown;
  close(): Promise<void>;
}

const nearestSql = (vectorParam: string) => `SELECT id, embedding <=> ${vectorParam} AS dist FROM items ORDER BY embedding <=> ${vectorParam} LIMIT 10`;
/**
 * PGlite parses float text in WebAssembly at about 1 ms per 384-d vector, which would dominate both
 * loading and every query; integers parse ~7× faster. So PGlite gets the vectors scaled to integers
 * (cosine distance ignores scale; the 1/30000 rounding is far below the gaps between neighbours).
 */
const FROM_INTS = "string_to_array($1, ',')::int4[]::vector";
const INT_SCALE = 30_000;

function vectorInts(flat: Float32Array, i: number, d: number): string {
  const parts = new Array<string>(d);
  for (let x = 0; x < d; x++) parts[x] = String(Math.round(flat[i * d + x]! * INT_SCALE));
  return parts.join(',');
}

type Row = { id: number; dist: number };
type PlanRow = { 'QUERY PLAN': string };
type JsonPlanRow = { 'QUERY PLAN': [{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }] | string };

function buffersOf(rows: JsonPlanRow[]): { hit: number; read: number } {
  const raw = rows[0]!['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan;
  return { hit: Number(plan['Shared Hit Blocks']), read: Number(plan['Shared Read Blocks']) };
}
const EXPLAIN_BUFFERS = 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** The fields of /proc/<pid>/stat after the command name (field 3, the state, first). */
function procStat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone (a parallel worker that just exited: the postmaster's cutime has it)
  }
}

/**
 * CPU time (ms) of a PostgreSQL cluster on this machine: its postmaster (with the children it has
 * reaped, e.g. parallel workers that exited) and every live child (backends, workers). Found from
 * one backend's pid (its parent is the postmaster).
 */
export function clusterCpuMs(backendPid: number): number {
  const backend = procStat(backendPid);
  if (!backend) throw new Error(`no /proc entry for backend ${backendPid}`);
  const postmaster = Number(backend[1]);
  const pm = procStat(postmaster);
  if (!pm) throw new Error(`no /proc entry for the postmaster ${postmaster}`);
  // utime, stime, cutime, cstime are fields 14-17, i.e. 11-14 here.
  let ticks = Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = procStat(Number(entry));
    if (f && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return (ticks * 1000) / USER_HZ;
}

/**
 * A scratch database on the PostgreSQL server, with two connections: one that may use the index
 * and one with index scans off (the exact baseline), so exact and HNSW queries can alternate with
 * no settings changed in between and background load hits both alike.
 */
export async function postgresStore(serverUrl: string, opts: { ownCluster?: boolean } = {}): Promise<VectorStore> {
  const name = `sb_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const clients = { hnsw: new pg.Client({ connectionString: url.toString() }), exact: new pg.Client({ connectionString: url.toString() }) };
  await clients.hnsw.connect();
  await clients.exact.connect();
  await clients.exact.query('SET enable_indexscan = off');
  const sql = nearestSql('$1::vector');
  const backendPid = Number((await clients.hnsw.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
  return {
    label: 'PostgreSQL',
    batchSize: 500,
    exec: async (text) => {
      await clients.hnsw.query(text);
    },
    execExact: async (text) => {
      await clients.exact.query(text);
    },
    prepare: async () => {},
    // A named statement is parsed and planned once per connection, as an application's hot query
    // would be; planning (~0.5 ms) would otherwise weigh on the fast HNSW lookups most.
    nearest: async (param, mode) => (await clients[mode].query<Row>({ name: `nearest_${mode}`, text: sql, values: [param] })).rows,
    plan: async (param, mode) => (await clients[mode].query<PlanRow>(`EXPLAIN ${sql}`, [param])).rows.map((r) => r['QUERY PLAN']),
    buffers: async (param, mode) => buffersOf((await clients[mode].query<JsonPlanRow>(`${EXPLAIN_BUFFERS} ${sql}`, [param])).rows),
    scalar: async (text) => String(Object.values((await clients.hnsw.query(text)).rows[0] ?? {})[0]),
    cpuMs: opts.ownCluster ? async () => clusterCpuMs(backendPid) : undefined,
    async insert(flat, from, count, d) {
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = from; i < from + count; i++) {
        params.push(i, vectorBinary(flat, i - from, d));
        values.push(`($${params.length - 1}::int4, $${params.length}::vector)`);
      }
      await clients.hnsw.query(`INSERT INTO items (id, embedding) VALUES ${values.join(',')}`, params);
    },
    param: (flat, i, d) => vectorBinary(flat, i, d),
    async close() {
      await clients.hnsw.end();
      await clients.exact.end();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** An in-memory PGlite (one connection: the mode is switched between queries, outside the timing). */
export async function pgliteStore(): Promise<VectorStore> {
  const db = await PGlite.create({ extensions: { vector } });
  const sql = nearestSql(FROM_INTS);
  let current: Mode = 'hnsw';
  const prepare = async (mode: Mode) => {
    if (mode !== current) await db.exec(mode === 'exact' ? 'SET enable_indexscan = off' : 'RESET enable_indexscan');
    current = mode;
  };
  return {
    label: 'PGlite',
    batchSize: 1000,
    exec: async (text) => {
      await db.exec(text);
    },
    execExact: async (text) => {
      await db.exec(text);
    },
    prepare,
    nearest: async (param) => (await db.query<Row>(sql, [param])).rows,
    async plan(param, mode) {
      await prepare(mode);
      return (await db.query<PlanRow>(`EXPLAIN ${sql}`, [param])).rows.map((r) => r['QUERY PLAN']);
    },
    async buffers(param, mode) {
      await prepare(mode);
      return buffersOf((await db.query<JsonPlanRow>(`${EXPLAIN_BUFFERS} ${sql}`, [param])).rows);
    },
    scalar: async (text) => String(Object.values((await db.query<Record<string, unknown>>(text)).rows[0] ?? {})[0]),
    // PGlite runs in this process (WebAssembly, one thread): its CPU is this process's.
    async cpuMs() {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
    async insert(flat, from, count, d) {
      const rows: string[] = [];
      for (let i = 0; i < count; i++) rows.push(vectorInts(flat, i, d));
      await db.query(`INSERT INTO items (id, embedding) SELECT $1::int4 + ord::int4 - 1, ${FROM_INTS.replace('$1', 'v')} FROM unnest($2::text[]) WITH ORDINALITY AS t(v, ord)`, [from, rows]);
    },
    param: (flat, i, d) => vectorInts(flat, i, d),
    close: () => db.close(),
  };
}
