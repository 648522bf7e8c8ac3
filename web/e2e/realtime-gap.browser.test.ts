// Live updates after a server restart (issue 16 item 1), in Chromium against the real service: the
// chat page, the widget on another site, and the staff console's open conversation. The
// service runs as `npm start` does without Redis: its event bus is in-process, so a restart starts
// every conversation's event ids again at 1. The pages stay open; their sockets reconnect and join
// with the last event id they saw, which is now ahead of the server's; the server says so (`joined`
// with `gap: true` and its own, lower position). Before the fix the pages kept their old position
// and dropped every new event as already seen: the next question stayed unanswered until a reload,
// and the console's open conversation showed nothing new.
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSiblingApp, createTestApp, type TestApp } from '../../test/app.js';
import { DIST_DIR, ensureBuilt } from '../build.js';
import { launchChromium, startHostSite, watchProblems } from './harness.js';

const PASSWORD = 'switchboard-demo';

let first: TestApp;
/** The app now listening (the first one, or the one started after a restart). */
let current: TestApp;
const restarted: TestApp[] = [];
let port: number;
let base: string;
let browser: Browser;
let host: Awaited<ReturnType<typeof startHostSite>>;
const contexts: BrowserContext[] = [];
let setupError: unknown;

beforeAll(async () => {
  try {
    await ensureBuilt({ quiet: true });
    [browser, host] = await Promise.all([launchChromium(), startHostSite()]);
    // No REDIS_URL: the in-process bus, whose ids start again with the process.
    first = await createTestApp('postgres', { CHAT_DEBOUNCE_MS: '50', WEB_DIST_DIR: DIST_DIR, WIDGET_ALLOWED_ORIGINS: host.origin });
    await first.app.listen({ port: 0, host: '127.0.0.1' });
    port = (first.app.server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    current = first;
  } catch (err) {
    setupError = err;
  }
});

beforeEach(() => {
  if (setupError) throw setupError;
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await host?.close();
  for (const t of restarted) await t.close();
  await first?.close();
});

/**
 * Stops the server (its sockets close with 1001) and starts a new one on the same port and database.
 * Connections still open a moment later are cut, as a process that exits cuts them (the widget's page
 * keeps some alive, which app.close() alone would wait for).
 */
async function restartServer(): Promise<void> {
  const closing = current.app.close();
  const cut = setTimeout(() => current.app.server.closeAllConnections(), 300);
  await closing;
  clearTimeout(cut);
  const next = await createSiblingApp(first);
  await next.app.listen({ port, host: '127.0.0.1' });
  restarted.push(next);
  current = next;
}

async function newPage(viewport = { width: 1280, height: 820 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: base });
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

async function ask(page: { getByLabel(text: string): Locator }, text: string): Promise<void> {
  const box = page.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
}

/** Restarts the server once the page's socket is online, then waits for the socket to drop and come back. */
async function restartAndReconnect(status: () => Promise<string | null>): Promise<void> {
  // Online first: a socket still connecting (a loaded machine; the first question may have gone over
  // REST) would pass "dropped" at once and could then count its first connection to the old server
  // as the reconnect.
  await expect.poll(status, { timeout: 20_000 }).toBe('online');
  const restart = restartServer();
  await expect.poll(status, { timeout: 10_000 }).not.toBe('online');
  await expect.poll(status, { timeout: 20_000 }).toBe('online');
  await restart;
}

describe('live updates after a server restart, in Chromium', () => {
  it('the chat answers the next question live, without a reload', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await ask(page, 'How long does shipping take?');
    const answers = page.locator('li.msg-assistant:not(.streaming)');
    await expect.poll(() => answers.count(), { timeout: 15_000 }).toBe(1);

    const shell = page.locator('.chat-shell');
    const status = () => shell.getAttribute('data-socket');
    await restartAndReconnect(status);

    await ask(page, 'What is your return policy?');
    await expect.poll(() => answers.count(), { timeout: 15_000 }).toBe(2);
    expect(await answers.last().locator('.bubble-text').textContent()).toMatch(/return/i);
    await expect.poll(() => page.locator('li.msg.pending').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.locator('li.msg-user').count()).toBe(2);
    expect(problems).toEqual([]);
  });

  it('the widget on another site answers the next question live', async () => {
    host.setHtml(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body><h1>Acme Outdoor</h1>
        <script src="${base}/widget.js" data-switchboard-url="${base}" data-title="Acme help" async></script></body></html>`,
    );
    const { page, problems } = await newPage();
    await page.goto(host.origin);
    await page.getByRole('button', { name: 'Open Acme help chat' }).click();
    const frame = page.frameLocator('iframe[title="Acme help chat"]');
    await ask(frame, 'How long does shipping take?');
    const answers = frame.locator('li.msg-assistant:not(.streaming)');
    await expect.poll(() => answers.count(), { timeout: 15_000 }).toBe(1);

    await restartAndReconnect(() => frame.locator('.chat-shell').getAttribute('data-socket'));

    await ask(frame, 'What is your return policy?');
    await expect.poll(() => answers.count(), { timeout: 15_000 }).toBe(2);
    expect(await answers.last().locator('.bubble-text').textContent()).toMatch(/return/i);
    expect(problems).toEqual([]);
  });

  it("the console's open conversation shows the customer's next message live", async () => {
    // Alice asks for a person over the API; the agent opens her conversation from the queue.
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com', password: PASSWORD }),
    });
    const alice = ((await login.json()) as { access_token: string }).access_token;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` }, body: JSON.stringify(body) });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string };
    };
    const conversation = await post('/conversations', {});
    await post(`/conversations/${conversation.id}/messages`, { content: 'I want to talk to a person' });

    const { page: s, problems } = await newPage({ width: 1360, height: 820 });
    await s.goto('/console');
    await s.getByLabel('Email').fill('agent@example.com');
    await s.getByLabel('Password').fill(PASSWORD);
    await s.getByRole('button', { name: 'Sign in' }).click();
    await s.locator(`.queue-item[data-conversation-id="${conversation.id}"]`).click();
    const pane: Locator = s.locator(`section.pane[data-conversation-id="${conversation.id}"]`);
    await expect.poll(() => pane.locator('li.msg-user').first().textContent(), { timeout: 20_000 }).toContain('I want to talk to a person');
    // Live before the restart: a second message shows up in the pane.
    await post(`/conversations/${conversation.id}/messages`, { content: 'My parcel is late' });
    await expect.poll(() => pane.locator('li.msg-user').last().textContent(), { timeout: 20_000 }).toContain('My parcel is late');

    const status = () => s.locator('.conn').getAttribute('class');
    await expect.poll(status, { timeout: 20_000 }).toContain('conn-online');
    const restart = restartServer();
    await expect.poll(status, { timeout: 10_000 }).not.toContain('conn-online');
    await expect.poll(status, { timeout: 20_000 }).toContain('conn-online');
    await restart;

    await post(`/conversations/${conversation.id}/messages`, { content: 'Is anyone there?' });
    await expect.poll(() => pane.locator('li.msg-user').last().textContent(), { timeout: 15_000 }).toContain('Is anyone there?');
    expect(problems).toEqual([]);
  });
});
