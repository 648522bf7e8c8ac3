// `npm start`, `npm run worker`, `npm run migrate` and `npm run seed:demo` run this first: it builds the
// server (dist/) and the web app (web/dist/) when they are missing or older than their sources, and
// otherwise returns at once, so `npm install && npm start` works on a fresh clone. Without the build
// tools (a production install, `npm ci --omit=dev`) it never builds: a built tree is used as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the compiled server goes. */
export const DIST_DIR = join(ROOT, 'dist');
/** Written last by a successful server build: its mtime is the build's. */
export const SERVER_STAMP = join(DIST_DIR, '.build-stamp');

/** The inputs of the server build, whose change makes dist/ stale. */
const SERVER_INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

/**
 * Newest modification time (ms) among these paths under the root (test files excluded).
 * @param {string[]} inputs
 * @returns {number}
 */
export function newestMtime(inputs) {
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
  for (const input of inputs) visit(join(ROOT, input));
  return newest;
}

/**
 * True when dist/ is missing or older than one of its inputs.
 * @returns {boolean}
 */
export function serverIsStale() {
  try {
    return statSync(SERVER_STAMP).mtimeMs < newestMtime(SERVER_INPUTS);
  } catch {
    return true;
  }
}

/** True when the build tools (devDependencies) are installed. */
function hasBuildTools() {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('typescript/bin/tsc');
    require.resolve('tsx');
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const tools = hasBuildTools();
  if (!existsSync(join(DIST_DIR, 'main.js')) && !tools) {
    console.error('build: dist/ is missing and the build tools are not installed: run `npm install && npm run build` (or `npm ci` with devDependencies) first.');
    process.exit(1);
  }
  if (tools && serverIsStale()) {
    console.log('build: compiling the server (dist/ is missing or older than src/)…');
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--server'], { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  // The web app: built when missing or stale and its build tools are there (web/ensure-built.mjs says why not otherwise).
  const web = spawnSync(process.execPath, [join(ROOT, 'web/ensure-built.mjs')], { stdio: 'inherit' });
  process.exit(web.status ?? 1);
}
