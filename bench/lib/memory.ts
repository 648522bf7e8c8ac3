/** Memory of this process after a full garbage collection (children run with --expose-gc). */

/** Memory of a process, bytes. */
export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  /** The JS heap V8 has reserved (used or not). */
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** False when garbage could not be collected first (no --expose-gc): the figures then include garbage. */
  gc: boolean;
  /** Samples taken until RSS settled (see measureMemory). */
  samples: number;
}

/** RSS counts as settled when two samples a second apart differ by less than this fraction. */
const SETTLED = 0.005;
const MAX_SAMPLES = 15;

/**
 * Collects garbage (twice: the first pass may only run finalisers) and reads process.memoryUsage(),
 * again every second until RSS settles (at most 15 samples). Right after a burst of work (15,000
 * handshakes) RSS still holds memory the process is about to give back: V8 shrinks its heap after
 * the collections and the allocator returns freed pages over the next seconds, so one early sample
 * would count transient memory as memory the connections keep.
 */
export async function measureMemory(): Promise<MemoryFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  let previous: NodeJS.MemoryUsage | undefined;
  let m: NodeJS.MemoryUsage;
  let samples = 0;
  for (;;) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
    gc?.();
    m = process.memoryUsage();
    samples++;
    if ((previous && Math.abs(m.rss - previous.rss) < SETTLED * previous.rss) || samples >= MAX_SAMPLES) break;
    previous = m;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, gc: gc !== undefined, samples };
}
