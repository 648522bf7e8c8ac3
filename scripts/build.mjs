// `npm run build`: compiles the server (src/ → dist/, tsc with the types checked), ships the SQL
// migrations beside the compiled database client and the router's trained model beside the offline engine, and builds the web app (web/dist). The result runs
// with production dependencies only: `npm ci --omit=dev && node dist/main.js`.
// Plain JavaScript so that `npm start` can call it (through ensure-built.mjs) before anything is compiled.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST_DIR, ROOT, SERVER_STAMP } from './ensure-built.mjs';

/** Runs a command in the repository root; exits with its status when it fails. */
function run(args, what) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

/** Builds the server into dist/ (a clean tree each time, so a deleted source leaves no stale module). */
export function buildServer() {
  rmSync(DIST_DIR, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  run([tsc, '-p', join(ROOT, 'tsconfig.build.json')], 'tsc (server)');
  mkdirSync(join(DIST_DIR, 'db'), { recursive: true });
  cpSync(join(ROOT, 'src/db/migrations'), join(DIST_DIR, 'db/migrations'), { recursive: true });
  // the router's trained intent classifier (npm run train:router), read at start-up
  cpSync(join(ROOT, 'src/llm/offline/model'), join(DIST_DIR, 'llm/offline/model'), { recursive: true });
  writeFileSync(SERVER_STAMP, `${new Date().toISOString()}\n`);
}

/** Builds the web app into web/dist (vite). */
export function buildWeb() {
  run(['--import', 'tsx', join(ROOT, 'web/build.ts')], 'web build');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const only = process.argv.includes('--server') ? 'server' : process.argv.includes('--web') ? 'web' : 'all';
  const started = performance.now();
  if (only !== 'web') buildServer();
  if (only !== 'server') buildWeb();
  console.log(`build: ${only === 'all' ? 'server (dist/) and web app (web/dist/)' : only} built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
