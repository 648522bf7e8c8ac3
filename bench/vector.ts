/**
 * Vector search: HNSW (pgvector, with the schema's index options) against exact search on
 * clustered synthetic embeddings, in PostgreSQL (a cluster of its own with shared_buffers sized to
 * hold the table and the index) and in PGlite. Recall@10 of
 * HNSW is measured against the exact top 10 of the same queries, and its latency against the exact
 * scan's, both in the same run.
 */
import { HNSW_INDEX_OPTIONS } from '../src/db/schema.js';
import { ThrowawayPostgres } from '../test/fault/services.js';
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { postgresReachable, postgresServerUrl } from './lib/postgres.js';
import type { Figure, FigureTable } from './lib/report.js';
import { quantile, timed } from './lib/stats.js';
import { clusteredSource, DEFAULT_SPEC } from './lib/synthetic-vectors.js';
import { pgliteStore, postgresStore, type Mode, type VectorStore } from './lib/vector-stores.js';

/** Sizes and settings of one run. */
export interface VectorRunOptions {
  rows: number;
  queries: number;
  /** Build the index on the empty table and insert into it, or insert first and build after. */
  indexFirst: boolean;
  /** Load the index into shared buffers before querying (pg_prewarm). */
  prewarm?: boolean;
}

interface RunOutcome {
  label: string;
  rows: number;
  queries: number;
  indexFirst: boolean;
  loadMs: number;
  indexMs: number;
  efDefault: number;
  exact: { ms: number[] };
  hnsw: Map<number, { ms: number[]; recall: number; missedAll: number }>;
  plans: { exact: string[]; hnsw: string[] };
  /** Mean cosine similarity of random pairs of vectors, and of a query to its nearest row. */
  cosine: { randomPair: number; nearest: number };
  /** Table and index sizes, and the server's buffer cache, in MB. */
  sizes: { table: number; index: number; sharedBuffers: string };
  /** Mean shared buffers per query found in the cache and read from outside it, per mode. */
  buffers: Record<Mode, { hit: number; read: number }>;
  /** The database's CPU time per query (ms), exact and HNSW at the default ef_search, when it can be measured. */
  cpu?: { exactParallel: number; exactSerial: number; exactSerialP50: number; hnsw: number; exactQueries: number; hnswQueries: number };
}

const INDEX_WITH = `m = ${HNSW_INDEX_OPTIONS.m}, ef_construction = ${HNSW_INDEX_OPTIONS.ef_construction}`;
/**
 * PostgreSQL's buffer cache for the benchmark's cluster, sized for the index (~200 MB at 100k) and
 * the table (~160 MB), which stays in it from the load: both then find every page in shared
 * buffers (the report prints the pages found and read per query), so the comparison is of CPU work.
 */
const SHARED_BUFFERS = process.env.BENCH_VECTOR_SHARED_BUFFERS ?? '512MB';

const EF_SWEEP = [40, 60, 80, 100, 150, 200, 300, 400];
/** Queries per mode in the CPU pass: fewer exact ones (each costs ~50-100 ms of CPU), HNSW ones repeated so their ~1 ms adds up to many 10 ms clock ticks. */
const CPU_EXACT_QUERIES = 50;
const CPU_HNSW_PASSES = 3;

/**
 * The database's CPU time per query, queries run back to back (not alternating): CPU time, unlike
 * latency, does not depend much on how busy the machine is. The exact scan runs twice: as planned
 * (parallel workers and their start-up included) and with no workers (`max_parallel_workers = 0`:
 * the leader scans alone, the least CPU an exact scan takes), which is the baseline.
 */
async function cpuPerQuery(store: VectorStore, params: unknown[], efDefault: number, run: (p: unknown, mode: Mode) => Promise<{ ms: number }>): Promise<RunOutcome['cpu']> {
  if (!store.cpuMs) return undefined;
  await store.prepare('hnsw');
  await store.exec(`SET hnsw.ef_search = ${efDefault}`);
  const exactParams = params.slice(0, CPU_EXACT_QUERIES);
  const c0 = await store.cpuMs();
  for (const p of exactParams) await run(p, 'exact');
  const c1 = await store.cpuMs();
  await store.execExact('SET max_parallel_workers = 0');
  const serialMs: number[] = [];
  for (const p of exactParams) serialMs.push((await run(p, 'exact')).ms);
  const c2 = await store.cpuMs();
  await store.execExact('RESET max_parallel_workers');
  for (let pass = 0; pass < CPU_HNSW_PASSES; pass++) for (const p of params) await run(p, 'hnsw');
  const c3 = await store.cpuMs();
  const hnswQueries = params.length * CPU_HNSW_PASSES;
  return {
    exactParallel: (c1 - c0) / exactParams.length,
    exactSerial: (c2 - c1) / exactParams.length,
    exactSerialP50: quantile(serialMs, 0.5),
    hnsw: (c3 - c2) / hnswQueries,
    exactQueries: exactParams.length,
    hnswQueries,
  };
}

/** Mean fraction of each query's exact top 10 that HNSW found, and how many queries found none. */
function recallAt10(found: number[][], truth: number[][]): { recall: number; missedAll: number } {
  let sum = 0;
  let missedAll = 0;
  for (let q = 0; q < truth.length; q++) {
    const t = new Set(truth[q]);
    const hits = found[q]!.filter((id) => t.has(id)).length;
    sum += hits / t.size;
    if (hits === 0) missedAll++;
  }
  return { recall: sum / truth.length, missedAll };
}

function meanRandomPairCosine(flat: Float32Array, n: number, d: number): number {
  let sum = 0;
  const pairs = Math.floor(n / 2);
  for (let p = 0; p < pairs; p++) {
    let dot = 0;
    for (let x = 0; x < d; x++) dot += flat[2 * p * d + x]! * flat[(2 * p + 1) * d + x]!;
    sum += dot;
  }
  return sum / pairs;
}

/** Buffer use of a few queries per mode, at the default ef_search. */
async function meanBuffers(store: VectorStore, params: unknown[], efDefault: number): Promise<Record<Mode, { hit: number; read: number }>> {
  await store.prepare('hnsw');
  await store.exec(`SET hnsw.ef_search = ${efDefault}`);
  const out = {} as Record<Mode, { hit: number; read: number }>;
  for (const mode of ['exact', 'hnsw'] as const) {
    let hit = 0;
    let read = 0;
    for (const p of params) {
      const b = await store.buffers(p, mode);
      hit += b.hit;
      read += b.read;
    }
    out[mode] = { hit: hit / params.length, read: read / params.length };
  }
  return out;
}

async function measure(store: VectorStore, opts: VectorRunOptions, log: (l: string) => void): Promise<RunOutcome> {
  const d = DEFAULT_SPEC.dimensions;
  const source = clusteredSource({ ...DEFAULT_SPEC, clusters: Math.max(10, Math.round(opts.rows / 1000)) });
  await store.exec(`CREATE EXTENSION IF NOT EXISTS vector; CREATE TABLE items (id int4 PRIMARY KEY, embedding vector(${d}) NOT NULL)`);
  await store.exec(`SET maintenance_work_mem = '1GB'`);
  const createIndex = `CREATE INDEX items_embedding_hnsw ON items USING hnsw (embedding vector_cosine_ops) WITH (${INDEX_WITH})`;
  let indexMs = 0;
  if (opts.indexFirst) indexMs += (await timed(() => store.exec(createIndex))).ms;
  const batch = store.batchSize;
  const load = await timed(async () => {
    for (let from = 0; from < opts.rows; from += batch) {
      const count = Math.min(batch, opts.rows - from);
      await store.insert(source.sample(count, 1_000_003 + from), from, count, d);
    }
  });
  log(`  ${store.label}: ${opts.rows.toLocaleString('en-US')} vectors loaded in ${(load.ms / 1000).toFixed(1)} s${opts.indexFirst ? ' into the HNSW index' : ''}`);
  if (!opts.indexFirst) {
    indexMs = (await timed(() => store.exec(createIndex))).ms;
    log(`  ${store.label}: HNSW index built in ${(indexMs / 1000).toFixed(1)} s`);
  }
  await store.exec('VACUUM ANALYZE items');
  // What a server sized for its index does after a restart (pg_prewarm, or autoprewarm): the index in shared buffers.
  if (opts.prewarm) await store.exec("CREATE EXTENSION IF NOT EXISTS pg_prewarm; SELECT pg_prewarm('items_embedding_hnsw')");
  const efDefault = Number(await store.scalar('SHOW hnsw.ef_search'));
  const queries = source.sample(opts.queries, 7_777_777);
  const params = Array.from({ length: opts.queries }, (_, i) => store.param(queries, i, d));

  const plans = { exact: await store.plan(params[0], 'exact'), hnsw: await store.plan(params[0], 'hnsw') };
  if (!plans.hnsw.some((l) => l.includes('items_embedding_hnsw'))) throw new Error(`${store.label}: the HNSW index is not used:\n${plans.hnsw.join('\n')}`);
  if (plans.exact.some((l) => l.includes('items_embedding_hnsw'))) throw new Error(`${store.label}: the exact baseline uses the index`);

  const run = async (param: unknown, mode: Mode) => {
    await store.prepare(mode);
    return timed(() => store.nearest(param, mode));
  };
  // Warm both paths, then alternate exact and HNSW query by query at the default ef_search.
  for (const p of params.slice(0, 10)) {
    await run(p, 'exact');
    await run(p, 'hnsw');
  }
  const exact = { ms: [] as number[] };
  const truth: number[][] = [];
  const atDefault = { ms: [] as number[], found: [] as number[][] };
  let nearestCos = 0;
  for (const p of params) {
    const e = await run(p, 'exact');
    exact.ms.push(e.ms);
    truth.push(e.value.map((r) => r.id));
    nearestCos += 1 - Number(e.value[0]!.dist);
    const h = await run(p, 'hnsw');
    atDefault.ms.push(h.ms);
    atDefault.found.push(h.value.map((r) => r.id));
  }
  const hnsw = new Map<number, { ms: number[]; recall: number; missedAll: number }>();
  hnsw.set(efDefault, { ms: atDefault.ms, ...recallAt10(atDefault.found, truth) });
  const report = (ef: number) => {
    const v = hnsw.get(ef)!;
    log(
      `  ${store.label}: ef_search ${ef}: recall@10 ${v.recall.toFixed(4)} (${v.missedAll} queries found none), p50 ${quantile(v.ms, 0.5).toFixed(2)} ms (exact p50 ${quantile(exact.ms, 0.5).toFixed(1)} ms)`,
    );
  };
  report(efDefault);
  // When the default misses the recall target, find the ef_search that reaches it.
  for (const ef of EF_SWEEP.filter((e) => e > efDefault)) {
    if (hnsw.get([...hnsw.keys()].pop()!)!.recall >= RECALL_TARGET) break;
    await store.prepare('hnsw');
    await store.exec(`SET hnsw.ef_search = ${ef}`);
    const ms: number[] = [];
    const found: number[][] = [];
    for (const p of params) {
      const r = await run(p, 'hnsw');
      ms.push(r.ms);
      found.push(r.value.map((x) => x.id));
    }
    hnsw.set(ef, { ms, ...recallAt10(found, truth) });
    report(ef);
  }
  return {
    label: store.label,
    rows: opts.rows,
    queries: opts.queries,
    indexFirst: opts.indexFirst,
    loadMs: load.ms,
    indexMs,
    efDefault,
    exact,
    hnsw,
    plans,
    cosine: { randomPair: meanRandomPairCosine(queries, opts.queries, d), nearest: nearestCos / opts.queries },
    buffers: await meanBuffers(store, params.slice(0, 10), efDefault),
    cpu: await cpuPerQuery(store, params, efDefault, run),
    sizes: {
      table: Number(await store.scalar(`SELECT pg_relation_size('items')`)) / 2 ** 20,
      index: Number(await store.scalar(`SELECT pg_relation_size('items_embedding_hnsw')`)) / 2 ** 20,
      sharedBuffers: await store.scalar('SHOW shared_buffers'),
    },
  };
}

const RECALL_TARGET = 0.98;
const SPEEDUP_TARGET = 40;

function tableOf(o: RunOutcome): FigureTable {
  const exactP50 = quantile(o.exact.ms, 0.5);
  const exactP99 = quantile(o.exact.ms, 0.99);
  const figures: Figure[] = [];
  const atDefault = o.hnsw.get(o.efDefault)!;
  const reaching = [...o.hnsw.entries()].find(([, v]) => v.recall >= RECALL_TARGET);
  const exactBase = (value: number) => ({ name: 'exact scan', value });
  figures.push({
    name: `recall@10, HNSW at default ef_search ${o.efDefault}`,
    value: atDefault.recall,
    unit: '',
    baseline: exactBase(1),
    target: { on: 'value', op: '>=', value: RECALL_TARGET },
    note:
      atDefault.recall < RECALL_TARGET
        ? reaching
          ? `the default ef_search is too small for this data; ef_search ${reaching[0]} reaches ${reaching[1].recall.toFixed(3)} (row below)`
          : `no ef_search up to ${Math.max(...o.hnsw.keys())} reached ${RECALL_TARGET}`
        : undefined,
  });
  figures.push({
    name: `query latency p50, HNSW at ef_search ${o.efDefault}`,
    value: quantile(atDefault.ms, 0.5),
    unit: 'ms',
    baseline: exactBase(exactP50),
    target: { on: 'speedup', op: '>=', value: SPEEDUP_TARGET },
  });
  figures.push({ name: `query latency p99, HNSW at ef_search ${o.efDefault}`, value: quantile(atDefault.ms, 0.99), unit: 'ms', baseline: exactBase(exactP99) });
  if (o.cpu) {
    figures.push({
      name: `database CPU time per query, HNSW at ef_search ${o.efDefault}`,
      value: o.cpu.hnsw,
      unit: 'ms',
      baseline: { name: 'exact scan in one process', value: o.cpu.exactSerial },
      target: { on: 'speedup', op: '>=', value: SPEEDUP_TARGET },
    });
  }
  if (reaching && reaching[0] !== o.efDefault) {
    const [ef, v] = reaching;
    figures.push({ name: `recall@10, HNSW at ef_search ${ef}`, value: v.recall, unit: '', baseline: exactBase(1), target: { on: 'value', op: '>=', value: RECALL_TARGET } });
    figures.push({
      name: `query latency p50, HNSW at ef_search ${ef}`,
      value: quantile(v.ms, 0.5),
      unit: 'ms',
      baseline: exactBase(exactP50),
      target: { on: 'speedup', op: '>=', value: SPEEDUP_TARGET },
    });
  }
  figures.push({ name: 'HNSW index build', value: o.indexMs / 1000, unit: 's', baseline: { name: 'loading the rows', value: o.loadMs / 1000 } });
  return { caption: `${o.label}: ${o.rows.toLocaleString('en-US')} × ${DEFAULT_SPEC.dimensions} vectors, ${o.queries} queries, top 10 by cosine distance`, figures };
}

function planSummary(lines: string[]): string {
  // The planner shows the query vector as a literal; 384 numbers say nothing about the plan.
  return lines
    .map((l) =>
      l
        .trim()
        .replace(/^->\s*/, '')
        .replace(/\s+\(cost=.*$/, '')
        .replace(/'\[[^\]]*\]'::vector/g, '$$1'),
    )
    .join(' → ');
}

function sweepLine(o: RunOutcome): string {
  const sweep = [...o.hnsw.entries()].map(
    ([ef, v]) => `ef_search ${ef} → recall ${v.recall.toFixed(3)} (${v.missedAll} of ${o.queries} queries found none of their 10), p50 ${quantile(v.ms, 0.5).toFixed(2)} ms`,
  );
  return (
    `${o.label}: ${sweep.join('; ')}. Data: mean cosine of random pairs ${o.cosine.randomPair.toFixed(2)}, of a query and its nearest row ${o.cosine.nearest.toFixed(2)}. ` +
    `Table ${o.sizes.table.toFixed(0)} MB + HNSW index ${o.sizes.index.toFixed(0)} MB, shared_buffers ${o.sizes.sharedBuffers}; ` +
    `8 kB pages per query found in / read into shared buffers: HNSW ${o.buffers.hnsw.hit.toFixed(0)} / ${o.buffers.hnsw.read.toFixed(0)}, exact ${o.buffers.exact.hit.toFixed(0)} / ${o.buffers.exact.read.toFixed(0)}; ` +
    (o.cpu
      ? `database CPU per query (queries back to back): HNSW ${o.cpu.hnsw.toFixed(2)} ms (${o.cpu.hnswQueries} queries), exact scan in one process ${o.cpu.exactSerial.toFixed(1)} ms (${o.cpu.exactQueries}; latency p50 ${o.cpu.exactSerialP50.toFixed(1)} ms), exact scan as planned, parallel workers included, ${o.cpu.exactParallel.toFixed(1)} ms (${o.cpu.exactQueries}); `
      : '') +
    `index ${o.indexFirst ? 'built on the empty table, rows inserted into it' : 'built after loading'}.`
  );
}

export const vectorBenchmark: Benchmark = {
  name: 'vector',
  title: 'Vector search (HNSW vs exact)',
  async run(log): Promise<BenchResult> {
    const outcomes: RunOutcome[] = [];
    // A PostgreSQL cluster of its own, so shared_buffers can be sized for the index (the machine's
    // shared server keeps its 128 MB); BENCH_VECTOR_SERVER=shared runs on TEST_DATABASE_URL instead.
    const shared = process.env.BENCH_VECTOR_SERVER === 'shared';
    let own: ThrowawayPostgres | undefined;
    let serverNote = '';
    if (!shared && process.env.BENCH_SKIP_POSTGRES !== '1') {
      try {
        own = await ThrowawayPostgres.start({ shared_buffers: SHARED_BUFFERS });
        serverNote = `a PostgreSQL 15 cluster of the benchmark's own (initdb), \`shared_buffers = ${SHARED_BUFFERS}\`, the index loaded into it with \`pg_prewarm\` before the queries (the table stays in it from the load; the report prints pages found and read per query)`;
      } catch (err) {
        log(`  could not start a PostgreSQL cluster of its own (${(err as Error).message.split('\n')[0]}); using the shared server`);
      }
    }
    const server = own ? own.url() : postgresServerUrl();
    if (!own) serverNote = `the shared server at ${server} as configured`;
    const skipped = process.env.BENCH_SKIP_POSTGRES === '1' ? 'BENCH_SKIP_POSTGRES=1' : !(await postgresReachable(server)) ? `${server} is not reachable` : null;
    if (skipped) log(`  PostgreSQL: skipped (${skipped})`);
    else {
      const store = await postgresStore(server, { ownCluster: own !== undefined });
      try {
        outcomes.push(await measure(store, { rows: Number(process.env.BENCH_VECTOR_ROWS ?? 100_000), queries: 200, indexFirst: false, prewarm: own !== undefined }, log));
      } finally {
        await store.close();
        own?.destroy();
      }
    }
    const lite = await pgliteStore();
    try {
      outcomes.push(await measure(lite, { rows: Number(process.env.BENCH_VECTOR_PGLITE_ROWS ?? 20_000), queries: 100, indexFirst: process.env.BENCH_PGLITE_INDEX_FIRST === '1' }, log));
    } finally {
      await lite.close();
    }
    const spec = DEFAULT_SPEC;
    return {
      setup: [
        `Synthetic embeddings (bench/lib/synthetic-vectors.ts, seed ${spec.seed}): ${spec.dimensions} dimensions; one cluster per 1,000 vectors under ${spec.topics} broad topics; each vector = a component all share (${spec.shared}) + its cluster centre + a Gaussian offset in the cluster's own ${spec.intrinsic}-dimensional subspace (${spec.spread}) + isotropic noise (${spec.noise}), unit-normalised. Queries are fresh draws from the same clusters, not rows of the table.`,
        `PostgreSQL: ${serverNote}. Index as in the schema (\`HNSW_INDEX_OPTIONS\`, src/db/schema.ts): \`hnsw (embedding vector_cosine_ops) WITH (${INDEX_WITH})\`, \`maintenance_work_mem = 1GB\`. Query: \`SELECT id, embedding <=> $1 FROM items ORDER BY embedding <=> $1 LIMIT 10\`, one at a time, after 10 warm-up queries each way.`,
        'Baseline: the same query with `enable_indexscan = off` — the exact scan (parallel where PostgreSQL chooses it), whose top 10 is the ground truth for recall. Exact and HNSW queries alternate query by query (PostgreSQL: one connection each), so background load affects both alike.',
        `CPU: after the timed queries, ${CPU_EXACT_QUERIES} exact queries as planned, the same ${CPU_EXACT_QUERIES} with \`max_parallel_workers = 0\` (the leader scans alone: the least CPU an exact scan takes, the CPU baseline) and ${CPU_HNSW_PASSES} passes of the HNSW queries run back to back, and the database's CPU time (user + system) is read before and after each: for the benchmark's own PostgreSQL cluster every process of it from /proc (the postmaster, which is charged for parallel workers that exited, and its live children: backends, workers, background processes), for PGlite this process. Latency on a shared 2-core machine tracks its load (the exact scan's three processes wait for CPU more than a ~1 ms lookup does); CPU time per query much less so.`,
        ...outcomes.map((o) => `${o.label} plans — exact: \`${planSummary(o.plans.exact)}\`; indexed: \`${planSummary(o.plans.hnsw)}\`.`),
      ],
      tables: outcomes.map(tableOf),
      notes: [...(skipped ? [`PostgreSQL was skipped: ${skipped}.`] : []), ...outcomes.map(sweepLine)],
    };
  },
};
