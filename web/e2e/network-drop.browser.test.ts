// A network that drops under an open WebSocket, in a real browser against the real service (issue 16
// item 2): the socket stays open but nothing comes through. The chat notices by its heartbeat
// ("Reconnecting…" in the header within seconds), offers Retry for a message that could not be sent,
// and clears the error when the message was delivered after all.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, startWebApp, watchProblems, type RunningApp } from './harness.js';

/** Long enough for the heartbeat (5 s), the reconnect backoff and a turn on a shared machine. */
const SLOW = { timeout: 25_000 };

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

let setupError: unknown;

beforeAll(async () => {
  try {
    browser = await launchChromium();
    app = await startWebApp();
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
  await app?.close();
});

/**
 * A page whose network can be cut: `up`; `half`, where what the page sends still reaches the server
 * but nothing comes back (a half-open connection); `down`, nothing either way. The open socket is
 * never closed by the cut; new connections and API calls fail while it lasts.
 */
async function cuttablePage(): Promise<{ page: Page; problems: string[]; net: { mode: 'up' | 'half' | 'down' } }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, baseURL: app.url });
  contexts.push(context);
  const page = await context.newPage();
  const net = { mode: 'up' as 'up' | 'half' | 'down' };
  await page.route('**/api/v1/**', (route) => (net.mode === 'up' ? route.continue() : route.abort('internetdisconnected')));
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (net.mode !== 'up') {
      ws.close();
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (net.mode !== 'down') server.send(m);
    });
    server.onMessage((m) => {
      if (net.mode === 'up') ws.send(m);
    });
  });
  return { page, problems: watchProblems(page), net };
}

async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
}

describe('a network drop under an open socket, in Chromium', () => {
  it('shows Reconnecting…, offers Retry, and clears the error of a message that was delivered after all', async () => {
    const { page, problems, net } = await cuttablePage();
    await page.goto('/');
    await ask(page, 'How long does shipping take?');
    await page.locator('li.msg-assistant:not(.streaming)').first().waitFor(SLOW);
    const presence = page.getByTestId('presence');
    // The socket open first (under load the first question can go over REST while it still connects).
    await expect.poll(() => presence.textContent(), SLOW).toBe('We typically reply in seconds');

    // Half-open: the question reaches the server (it is stored and answered), nothing comes back.
    net.mode = 'half';
    await ask(page, 'How do I return an item?');
    await expect.poll(() => presence.textContent(), SLOW).toBe('Reconnecting…');
    const second = page.locator('li.msg-user').nth(1);
    await expect.poll(() => second.locator('time').textContent(), SLOW).toBe('not sent');
    expect(await second.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    const toast = page.locator('.toast');
    await expect.poll(() => toast.textContent(), SLOW).toContain('Cannot reach the service');

    // Back: the socket reconnects, the stored question and its answer arrive, the stale error goes.
    net.mode = 'up';
    await expect.poll(() => presence.textContent(), SLOW).toBe('We typically reply in seconds');
    await expect.poll(() => second.locator('time').textContent(), SLOW).not.toMatch(/not sent|sending/);
    await expect.poll(() => toast.count(), SLOW).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await expect.poll(() => page.locator('li.msg-assistant:not(.streaming)').count(), SLOW).toBe(2);
    expect(await page.locator('li.msg-user').count()).toBe(2);

    // Down both ways: this one never reaches the server; Retry sends it once the network is back.
    net.mode = 'down';
    await ask(page, 'What payment methods do you accept?');
    await expect.poll(() => presence.textContent(), SLOW).toBe('Reconnecting…');
    const third = page.locator('li.msg-user').nth(2);
    await expect.poll(() => third.locator('time').textContent(), SLOW).toBe('not sent');
    net.mode = 'up';
    await expect.poll(() => presence.textContent(), SLOW).toBe('We typically reply in seconds');
    expect(await third.locator('time').textContent()).toBe('not sent');
    await third.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.locator('li.msg-assistant:not(.streaming)').count(), SLOW).toBe(3);
    await expect.poll(() => third.locator('time').textContent(), SLOW).not.toMatch(/not sent|sending/);
    expect(await toast.count()).toBe(0);
    const id = await page.locator('.chat-shell').getAttribute('data-conversation-id');
    const token = JSON.parse((await page.evaluate(() => localStorage.getItem('switchboard.chat.visitor')))!).token as string;
    const stored = await app.t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: { authorization: `Bearer ${token}` } });
    const questions = (stored.json().messages as { role: string; content: string }[]).filter((m) => m.role === 'user').map((m) => m.content);
    expect(questions).toEqual(['How long does shipping take?', 'How do I return an item?', 'What payment methods do you accept?']);
    expect(problems).toEqual([]);
  }, 120_000);
});
