// Builds the web app into web/dist: the chat and console pages (vite.config.ts), then the widget
// loader as one classic script (dist/widget.js, no hash: pages embed it by a fixed URL).
// `npm run build:web` runs it; `npm start` runs ensure-built.mjs first, which builds only when stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { DIST_DIR, isStale, STAMP_FILE, WEB_DIR } from './ensure-built.mjs';

export { DIST_DIR, isStale, WEB_DIR };

/** Builds the pages and the widget loader into web/dist. */
export async function buildWeb(opts: { quiet?: boolean } = {}): Promise<void> {
  const logLevel = opts.quiet ? 'warn' : 'info';
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel });
  await build({
    configFile: false,
    root: WEB_DIR,
    logLevel,
    publicDir: false,
    build: {
      outDir: DIST_DIR,
      emptyOutDir: false,
      target: 'es2018',
      sourcemap: true,
      lib: { entry: join(WEB_DIR, 'src/widget/loader.ts'), name: 'SwitchboardWidget', formats: ['iife'], fileName: () => 'widget.js' },
    },
  });
  writeFileSync(STAMP_FILE, `${new Date().toISOString()}\n`);
}

/** Builds once per process even when several callers (tests) ask at once. */
let pending: Promise<void> | undefined;
/** Builds web/dist when it is missing or stale; otherwise does nothing. */
export function ensureBuilt(opts: { quiet?: boolean } = {}): Promise<void> {
  pending ??= isStale() ? buildWeb(opts) : Promise.resolve();
  return pending;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  await buildWeb();
  console.log(`web: built web/dist in ${Math.round(performance.now() - started)} ms`);
}
