/**
 * Clustered synthetic embeddings, deterministic from a seed. Real sentence embeddings are not
 * uniform noise: they share a common direction (unrelated texts still have cosine ≈ 0.1–0.3), sit
 * in topic clusters grouped under broader subjects, and vary along few directions within a topic.
 * So each vector is: a shared component, plus its cluster's centre (which leans towards the
 * cluster's broad topic), plus a Gaussian offset inside that cluster's own low-dimensional
 * subspace, plus a little isotropic noise in every dimension, normalised to unit length (cosine).
 */
import { mulberry32 as uniform } from '../../src/util/prng.js';

/** The shape of the generated data. */
export interface ClusterSpec {
  dimensions: number;
  clusters: number;
  /** Broad topics the clusters are grouped under (clusters of a topic have nearby centres). */
  topics: number;
  /** How far a cluster centre strays from its topic (0: on it; 1: as much off it as on it). */
  centreSpread: number;
  /** Length of the component every vector shares, relative to the centre. */
  shared: number;
  /** Dimensions of each cluster's subspace (the data's intrinsic dimensionality). */
  intrinsic: number;
  /** Length of the in-subspace offset relative to the centre (both about unit length). */
  spread: number;
  /** Length of the isotropic noise relative to the centre. */
  noise: number;
  seed: number;
}

/** The parameters used by the benchmark; documented in docs/benchmarks.md. */
export const DEFAULT_SPEC: Omit<ClusterSpec, 'clusters'> = { dimensions: 384, topics: 10, centreSpread: 1, shared: 0.35, intrinsic: 16, spread: 0.5, noise: 0.1, seed: 42 };

/** A standard normal sampler (Box–Muller) over a seeded uniform source. */
export function gaussian(seed: number): () => number {
  const next = uniform(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = next() || 1e-12;
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** A generator of clustered unit vectors; `sample` draws fresh points (data or queries) from it. */
export interface ClusteredSource {
  readonly spec: ClusterSpec;
  /** Draws `n` vectors into one flat Float32Array (row i at i × dimensions). */
  sample(n: number, seed: number): Float32Array;
}

/** Builds the cluster centres and subspaces for a spec. */
export function clusteredSource(spec: ClusterSpec): ClusteredSource {
  const { dimensions: d, clusters: k, intrinsic: r } = spec;
  const g = gaussian(spec.seed);
  const scale = 1 / Math.sqrt(d);
  const unit = (v: Float64Array): Float64Array => {
    let n = 0;
    for (const x of v) n += x * x;
    n = Math.sqrt(n);
    return v.map((x) => x / n);
  };
  const randomUnit = () => unit(new Float64Array(d).map(() => g()));
  const shared = randomUnit().map((x) => x * spec.shared);
  const topics = Array.from({ length: Math.max(1, spec.topics) }, randomUnit);
  const centres = new Float32Array(k * d);
  for (let c = 0; c < k; c++) {
    const topic = topics[c % topics.length]!;
    const own = randomUnit();
    const centre = unit(topic.map((x, i) => x + spec.centreSpread * own[i]!));
    for (let x = 0; x < d; x++) centres[c * d + x] = centre[x]! + shared[x]!;
  }
  // Column j of cluster c's basis is bases[(c * r + j) * d ...]: about unit length each.
  const bases = new Float32Array(k * r * d).map(() => g() * scale);
  return {
    spec,
    sample(n, seed) {
      const rnd = uniform(seed ^ 0x2545f491);
      const gs = gaussian(seed);
      const out = new Float32Array(n * d);
      const z = new Float64Array(r);
      const v = new Float64Array(d);
      const zScale = spec.spread / Math.sqrt(r);
      for (let i = 0; i < n; i++) {
        const c = Math.floor(rnd() * k);
        for (let j = 0; j < r; j++) z[j] = gs() * zScale;
        for (let x = 0; x < d; x++) v[x] = centres[c * d + x]! + gs() * spec.noise * scale;
        for (let j = 0; j < r; j++) {
          const zj = z[j]!;
          const base = (c * r + j) * d;
          for (let x = 0; x < d; x++) v[x] += zj * bases[base + x]!;
        }
        let norm = 0;
        for (let x = 0; x < d; x++) norm += v[x]! * v[x]!;
        norm = Math.sqrt(norm);
        for (let x = 0; x < d; x++) out[i * d + x] = v[x]! / norm;
      }
      return out;
    },
  };
}

/** Row i as pgvector's binary wire format: int16 dimensions, int16 unused, then big-endian float4s. */
export function vectorBinary(flat: Float32Array, i: number, d: number): Buffer {
  const buf = Buffer.allocUnsafe(4 + 4 * d);
  buf.writeInt16BE(d, 0);
  buf.writeInt16BE(0, 2);
  for (let x = 0; x < d; x++) buf.writeFloatBE(flat[i * d + x]!, 4 + 4 * x);
  return buf;
}
