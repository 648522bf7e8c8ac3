/** Memory of this process after a full garbage collection (children run with --expose-gc). */

/** Memory of a process, bytes. */
export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** False when garbage could not be collected first (no --expose-gc): the figures then include garbage. */
  gc: boolean;
}

/** Collects garbage (twice: the first pass may only run finalisers) and reads process.memoryUsage(). */
export async function measureMemory(): Promise<MemoryFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, gc: gc !== undefined };
}
