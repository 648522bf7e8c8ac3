import type { FigureTable } from './report.js';

/** What a benchmark reports: how it was set up, its figure tables, and notes for the reader. */
export interface BenchResult {
  /** Markdown bullet lines describing the set-up (data, sizes, settings). */
  setup: string[];
  tables: FigureTable[];
  notes: string[];
}

/** One benchmark of `npm run bench`, runnable alone by its name. */
export interface Benchmark {
  name: string;
  title: string;
  /** Runs the benchmark; `log` prints progress lines. */
  run(log: (line: string) => void): Promise<BenchResult>;
}
