// `npm start` runs this first (the `prestart` script): it builds the web app when web/dist is missing
// or older than its sources, and otherwise returns at once. Plain JavaScript so the check itself
// costs no compiler start-up. Without the build tools (a production install without devDependencies)
// it warns and lets the service start: the API works, and the pages say how to build them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web app's folder. */
export const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));
/** Where the build goes. */
export const DIST_DIR = join(WEB_DIR, 'dist');
/** Written last by a successful build: its mtime is the build's. */
export const STAMP_FILE = join(DIST_DIR, '.build-stamp');

/** The inputs of the build, whose change makes dist stale. */
const INPUTS = ['src', 'public', 'index.html', 'console.html', 'vite.config.ts', 'build.ts', 'ensure-built.mjs', '../src/contract'];

/**
 * Newest modification time (ms) among the build's inputs (test files excluded).
 * @returns {number}
 */
export function newestInput() {
  let newest = 0;
  /** @param {string} path */
  const visit = (path) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) if (!name.endsWith('.test.ts')) visit(join(path, name));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const input of INPUTS) visit(join(WEB_DIR, input));
  return newest;
}

/**
 * True when dist is missing or older than one of its inputs.
 * @returns {boolean}
 */
export function isStale() {
  try {
    return statSync(STAMP_FILE).mtimeMs < newestInput();
  } catch {
    return true;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!isStale() && !process.argv.includes('--force')) process.exit(0);
  let hasVite = true;
  try {
    await import('vite');
  } catch {
    hasVite = false;
  }
  if (!hasVite) {
    console.warn('web: web/dist is missing or stale and the build tools are not installed (devDependencies); serving the API only. Run `npm run build:web` where they are.');
    process.exit(0);
  }
  console.log('web: building the web app (web/dist is missing or stale)…');
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(WEB_DIR, 'build.ts')], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
