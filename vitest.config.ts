import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const ROOTS = ['src', 'test', 'bench', 'eval', 'web'];

/** Test files that reach a service outside the process: PostgreSQL, Redis, Chromium, child servers. */
const NEEDS_SERVICES =
  /\bDRIVERS\b|['"]postgres['"]|TEST_DATABASE_URL|TEST_REDIS_URL|REDIS_URL|createRedis\(|createEmptyDatabase|startProcess\(|spawn(Sync)?\(|fork\(|chromium|playwright|redis-server|pg_ctl|initdb/;

/** Every test file, relative to the root (web/dist and node_modules left out). */
function testFiles(): string[] {
  return ROOTS.flatMap((root) =>
    (readdirSync(root, { recursive: true }) as string[]).map((f) => `${root}/${f}`).filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules') && !f.startsWith('web/dist/')),
  );
}

const all = testFiles();
// `npm run test:unit`: the files that need nothing but this process (PGlite, mock models and the fake
// OpenAI server are in-process). The lane points the service URLs at a closed port, so a file that
// reaches for PostgreSQL or Redis anyway fails instead of quietly using the machine's.
const unit = all.filter((f) => !NEEDS_SERVICES.test(readFileSync(f, 'utf8')));
const CLOSED = { TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:9/unit-lane-has-no-postgres', TEST_REDIS_URL: 'redis://127.0.0.1:9' };

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'web/dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a condition that the app reaches asynchronously (a socket event, a render, a
    // job). Vitest's default gives up after 1 s, which a loaded CI machine (2 cores, Chromium and PGlite
    // beside) overruns; a wait that is too short fails a correct app, one that is longer costs nothing
    // when the condition holds. Tests that need longer still say so.
    expect: { poll: { timeout: 15_000 } },
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: unit, env: CLOSED } },
      { extends: true, test: { name: 'integration', include: all.filter((f) => !unit.includes(f)) } },
    ],
    coverage: {
      provider: 'v8',
      // The service itself; tests, benchmarks, evaluation and the browser code (run in Chromium) are not counted.
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts'],
      reporter: ['text-summary', ['json-summary', { file: 'coverage-summary.json' }]],
      reportsDirectory: 'coverage',
      thresholds: { lines: 85, branches: 75 },
    },
  },
});
