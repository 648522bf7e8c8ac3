// What the browser tests run against: the real app (real PostgreSQL and Redis, the offline engine)
// listening on a port with the built web app, and Debian's Chromium driven by playwright-core.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../../test/app.js';
import { DIST_DIR, ensureBuilt } from '../build.js';

/**
 * How long a browser test waits for something that crosses the network: a socket event, a turn, a
 * reply that reaches a page without its socket by polling (every 10 s). Under CI load (2 cores,
 * Chromium and PGlite beside) 10 s was too short for that; a wait that ends early costs nothing.
 */
export const LIVE = { timeout: 20_000 };

/** Chromium from Debian (`apt-get install chromium`; `.ci/run` installs it). CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium, or fails with what to do: a missing browser never passes silently. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH. The browser tests cannot run without it.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

export interface RunningApp {
  t: TestApp;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** Builds web/dist if stale and starts the real app on a free port serving it. */
export async function startWebApp(env: Record<string, string> = {}): Promise<RunningApp> {
  await ensureBuilt({ quiet: true });
  const t = await createTestApp('postgres', { REDIS_URL: TEST_REDIS_URL, CHAT_DEBOUNCE_MS: '50', WEB_DIST_DIR: DIST_DIR, ...env });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return { t, url: `http://127.0.0.1:${port}`, close: () => t.close() };
}

/** A plain web page on another origin (a company's site) whose HTML is given later. */
export async function startHostSite(): Promise<{ origin: string; setHtml(html: string, csp?: string): void; close(): Promise<void> }> {
  let body = '<!doctype html><title>empty</title>';
  let policy: string | undefined;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(policy ? { 'content-security-policy': policy } : {}) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost" is another origin than the app's 127.0.0.1: the widget is embedded cross-origin.
    origin: `http://localhost:${port}`,
    setHtml(html, csp) {
      body = html;
      policy = csp;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Collects what a page reports as broken: uncaught errors and CSP violations. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return problems;
}

/** Counts the server events of each type a page receives over its WebSockets. */
export function countSocketEvents(page: Page): Map<string, number> {
  const counts = new Map<string, number>();
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      try {
        const type = (JSON.parse(String(payload)) as { type?: string }).type ?? '?';
        counts.set(type, (counts.get(type) ?? 0) + 1);
      } catch {
        // not JSON: not ours
      }
    });
  });
  return counts;
}
