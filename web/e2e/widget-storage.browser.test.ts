// The widget on another site in a browser that blocks third-party storage (issue 16 item 3), in
// Chromium against the real service. The framed chat's localStorage throws, as Safari's does; the
// loader keeps the visitor's conversation in the host page's own storage and hands it to the frame by
// postMessage, so the conversation survives host page loads. Forged messages change nothing.
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, LIVE, type RunningApp, startHostSite, startWebApp, watchProblems } from './harness.js';

let app: RunningApp;
let browser: Browser;
let host: Awaited<ReturnType<typeof startHostSite>>;
const contexts: BrowserContext[] = [];
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

/** A browser whose third-party frames get no storage: the service's framed chat finds localStorage throwing. */
async function blockingBrowser(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  contexts.push(context);
  await context.addInitScript((appOrigin) => {
    if (window.top === window || location.origin !== appOrigin) return;
    for (const name of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, name, {
        get() {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        },
      });
    }
  }, app.url);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

async function openWidget(page: Page): Promise<FrameLocator> {
  await page.goto(host.origin);
  await page.locator('[data-switchboard-widget] > button').click();
  const frame = page.frameLocator('iframe[title="Acme help chat"]');
  await frame.getByLabel('Your message').waitFor(LIVE);
  return frame;
}

async function ask(frame: FrameLocator, text: string): Promise<void> {
  const before = await frame.locator('li.msg-assistant:not(.streaming)').count();
  await frame.getByLabel('Your message').fill(text);
  await frame.getByLabel('Your message').press('Enter');
  await frame.locator('li.msg-assistant:not(.streaming)').nth(before).waitFor(LIVE);
}

describe('the widget where third-party storage is blocked, in Chromium', () => {
  it('keeps the visitor conversation across host page loads through the host page, and ignores forged messages', async () => {
    host.setHtml(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body><h1>Acme Outdoor</h1>
        <script src="${app.url}/widget.js" data-switchboard-url="${app.url}" data-title="Acme help" async></script></body></html>`,
    );
    const { page, problems } = await blockingBrowser();
    const frame = await openWidget(page);
    const embed = () => page.frames().find((f) => f.url().includes('/embed'))!;
    expect(
      await embed().evaluate(() => {
        try {
          localStorage.getItem('x');
          return 'storage';
        } catch {
          return 'blocked';
        }
      }),
    ).toBe('blocked');
    await ask(frame, 'How long does shipping take?');
    const id = (await frame.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    const key = `switchboard.widget.visitor:${app.url}`;
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), key), LIVE).toContain(id);

    // A message that does not come from the service's frame is not listened to.
    const kept = await page.evaluate((k) => localStorage.getItem(k), key);
    // Messages are dispatched in order, and the loader handles one synchronously: once a second message
    // has reached a listener, the forged one has reached the loader's (a fixed wait could end too soon).
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          window.addEventListener('message', function after(e) {
            if (e.data !== 'test:after-forged') return;
            window.removeEventListener('message', after);
            resolve();
          });
          window.postMessage({ type: 'switchboard:store', visitor: { conversation_id: '00000000-0000-4000-8000-000000000000', token: 'forged' } }, '*');
          window.postMessage('test:after-forged', '*');
        }),
    );
    expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe(kept);

    // Another page load of the host site: the same conversation, and it goes on.
    const again = await openWidget(page);
    await expect.poll(() => again.locator('.chat-shell').getAttribute('data-conversation-id'), LIVE).toBe(id);
    await expect.poll(() => again.locator('li.msg-user').first().textContent(), LIVE).toContain('How long does shipping take?');
    await ask(again, 'How do I return an item?');
    expect(await again.locator('li.msg-user').count()).toBe(2);
    expect(await again.locator('.chat-shell').getAttribute('data-conversation-id')).toBe(id);

    // A new conversation replaces the kept one.
    await again.getByRole('button', { name: 'Start a new conversation' }).click();
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), key), LIVE).toBeNull();
    await ask(again, 'What payment methods do you accept?');
    const next = (await again.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    expect(next).not.toBe(id);
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), key), LIVE).toContain(next);
    expect(problems).toEqual([]);
  });
});
