// Details of the customer chat and the widget in a real browser against the real service (issue 16):
// long messages, a staff account on the customer chat, stable citation numbers while streaming, the
// launcher's unread badge, keyboard use, and a visitor who signs in keeping their conversation.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, startHostSite, startWebApp, watchProblems, type RunningApp } from './harness.js';

const PASSWORD = 'switchboard-demo';

let app: RunningApp;
let browser: Browser;
let host: Awaited<ReturnType<typeof startHostSite>>;
const contexts: BrowserContext[] = [];

async function newPage(viewport = { width: 1280, height: 820 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: app.url });
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

/** Types a message into the chat (a page, or the widget's frame) and sends it with Enter. */
async function ask(scope: { getByLabel(text: string): Locator }, text: string): Promise<void> {
  const box = scope.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
}

/** Signs in on the customer chat's form. */
async function signIn(page: Page, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  const form = page.locator('form.signin');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** A setup failure (no Chromium, say) fails every test with its message instead of skipping them. */
let setupError: unknown;

beforeAll(async () => {
  try {
    [host, browser] = await Promise.all([startHostSite(), launchChromium()]);
    app = await startWebApp({ WIDGET_ALLOWED_ORIGINS: host.origin });
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
  await app?.close();
});

describe('chat details in Chromium', () => {
  it('counts characters near the 8,000 limit and says so instead of cutting a longer text', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    const box = page.getByLabel('Your message');
    const count = page.getByTestId('composer-count');
    await box.fill('a'.repeat(7000));
    expect(await count.count()).toBe(0);
    await box.fill('a'.repeat(7500));
    expect(await count.textContent()).toBe('7,500 / 8,000 characters');
    // Pasted text over the limit is kept whole; the message says by how much, and nothing is sent.
    await box.fill('b'.repeat(8120));
    expect((await box.inputValue()).length).toBe(8120);
    expect(await count.textContent()).toBe('Too long to send: 8,120 characters, the limit is 8,000. Shorten it by 120.');
    expect(await count.getAttribute('role')).toBe('alert');
    expect(await page.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    await box.press('Enter');
    expect(await page.locator('li.msg-user').count()).toBe(0);
    // At the limit exactly, it goes, and the server takes it (the numbers agree with MAX_MESSAGE_CHARS).
    await box.fill(`${'c'.repeat(7990)} shipping`);
    expect((await box.inputValue()).length).toBe(7999);
    await box.press('Enter');
    await page.locator('li.msg-user:not(.pending)').waitFor();
    expect((await page.locator('li.msg-user .bubble-text').textContent())?.length).toBe(7999);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('tells a staff account on the customer chat why it is not signed in', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await signIn(page, 'agent@example.com');
    const error = page.locator('form.signin .form-error');
    await expect.poll(() => error.textContent()).toMatch(/staff account.*\/console/);
    // The form stays with what was typed; nothing is signed in.
    expect(await page.locator('form.signin').getByLabel('Email').inputValue()).toBe('agent@example.com');
    expect(await page.locator('.whoami').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.chat.session'))).toBeNull();
    expect(problems).toEqual([]);
  });

  it('keeps citation numbers while the answer streams and after it ends', async () => {
    const { page, problems } = await newPage();
    // Token frames reach the page 25 ms apart, so the streaming answer is on screen long enough to read.
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      let chain = Promise.resolve();
      server.onMessage((m) => {
        chain = chain.then(() => new Promise((r) => setTimeout(r, String(m).includes('"type":"token"') ? 25 : 0))).then(() => ws.send(m));
      });
    });
    await page.goto('/');
    // Every state of the streaming bubble: the numbers its markers show.
    await page.evaluate(() => {
      const seen: number[][] = [];
      (window as unknown as { __markers: number[][] }).__markers = seen;
      new MutationObserver(() => {
        const live = document.querySelector('li.msg-assistant.streaming .bubble-text');
        if (!live) return;
        const text = live.textContent ?? '';
        const linked = Array.from(live.querySelectorAll('a.marker'), (a) => Number(a.textContent));
        const raw = Array.from(text.matchAll(/\[(\d+)\]/g), (m) => Number(m[1]));
        seen.push([...linked, ...raw]);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // The engine cites passages of two articles (stored as 1, 2, 2), then the steps of one article
    // (several passages, all source 1): the numbers shown never change.
    for (const [i, question] of ['How long does shipping take?', 'How do I return an item?'].entries()) {
      await page.evaluate(() => {
        (window as unknown as { __markers: number[][] }).__markers.length = 0;
      });
      await ask(page, question);
      const answer = page.locator('li.msg-assistant:not(.streaming)').nth(i);
      await answer.waitFor();
      const final = (await answer.locator('a.marker').allTextContents()).map(Number);
      // Which passages an answer cites can change with the search's tie order, so the final numbers
      // are checked for their form: several markers, numbered in order of first use from 1 ([1] [2] [2],
      // [1] [1] [2]); the second answer is the article's numbered steps, each citing the one article.
      expect(final.length).toBeGreaterThanOrEqual(3);
      for (const [k, n] of final.entries()) expect(n).toBeLessThanOrEqual(Math.max(0, ...final.slice(0, k)) + 1);
      if (i === 1) expect(new Set(final)).toEqual(new Set([1]));
      const seen = await page.evaluate(() => (window as unknown as { __markers: number[][] }).__markers);
      const withMarkers = seen.filter((s) => s.length > 0);
      expect(withMarkers.length).toBeGreaterThan(0);
      for (const s of withMarkers) expect(s).toEqual(final.slice(0, s.length));
    }
    expect(problems).toEqual([]);
  });
});
