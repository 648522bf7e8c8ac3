// Markdown in a real browser against the real service (issue 16 item 10): a staff reply with a
// heading, a table, a code block and a link renders as such in the widget on another site and in the
// staff console (links in a new tab, rel="noopener noreferrer"), and a source's quoted passage, stored
// as the article's markdown, reads as text (no table pipes, no **, no ##). The chat page's own checks
// (emphasis, lists, raw HTML shown as text, javascript: links dropped) are in web.browser.test.ts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recentMessages } from '../../src/db/queries/messages.js';
import { launchChromium, LIVE, type RunningApp, startHostSite, startWebApp } from './harness.js';
import { consoleSignIn, Pages, shot } from './pages.js';

let app: RunningApp;
let browser: Browser;
let host: Awaited<ReturnType<typeof startHostSite>>;
let setupError: unknown;
const pages = new Pages(
  () => browser,
  () => app,
);

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
  await pages.closeAll();
  await browser?.close();
  await host?.close();
  await app?.close();
});

/** Letters and digits only: what a reader takes from a passage, whatever its markup. */
const words = (s: string) => s.replace(/\]\([^)]*\)/g, ']').replace(/[^\p{L}\p{N}]+/gu, '');

const REPLY = [
  '## Your order',
  '',
  '| Item | Status |',
  '|---|---|',
  '| Headset H2 | Shipped |',
  '| Desk phone | Packed |',
  '',
  '```',
  'tracking: 1Z999AA10123456784',
  '```',
  '',
  'Track it at https://example.com/track',
].join('\n');

/** A staff reply's rendering: a heading, a two-row table, a code block and a safe external link, no markdown left over. */
async function expectRenderedReply(bubble: ReturnType<Page['locator']>): Promise<void> {
  expect(await bubble.locator('h2').textContent()).toBe('Your order');
  expect(await bubble.locator('table tbody tr').count()).toBe(2);
  expect(await bubble.locator('table th').allTextContents()).toEqual(['Item', 'Status']);
  expect(await bubble.locator('table tbody tr').first().locator('td').allTextContents()).toEqual(['Headset H2', 'Shipped']);
  expect(await bubble.locator('pre code').textContent()).toContain('tracking: 1Z999AA10123456784');
  const link = bubble.locator('a[href="https://example.com/track"]');
  expect(await link.getAttribute('target')).toBe('_blank');
  expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await bubble.textContent()).not.toMatch(/##|\||```/);
}

/** The contrast of a link's colour against its bubble's background. */
function linkContrast(link: ReturnType<Page['locator']>): Promise<number> {
  return link.evaluate((a) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const bubble = a.closest('.bubble') as HTMLElement;
    const [hi, lo] = [lum(rgb(getComputedStyle(a).color)), lum(rgb(getComputedStyle(bubble).backgroundColor))].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  });
}

describe('markdown in the widget and the console, in Chromium', () => {
  it('renders a staff reply with a heading, a table, code and a link in the widget and the console, and source passages as text', async () => {
    host.setHtml(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body><h1>Acme Outdoor</h1>
        <script src="${app.url}/widget.js" data-switchboard-url="${app.url}" data-title="Acme help" async></script></body></html>`,
    );
    const { page, problems } = await pages.open({ viewport: { width: 1280, height: 900 } });
    await page.goto(host.origin);
    await page.locator('[data-switchboard-widget] > button').click();
    const frame = page.frameLocator('iframe[title="Acme help chat"]');
    const box = frame.getByLabel('Your message');
    await box.fill('How long does shipping take?');
    await box.press('Enter');
    const answer = frame.locator('li.msg-assistant:not(.streaming)').first();
    await answer.waitFor(LIVE);
    const conversationId = (await frame.locator('.chat-shell').getAttribute('data-conversation-id'))!;

    // The stored passages are markdown (the shipping article's table, say); shown, each reads as text.
    const [stored] = (await recentMessages(app.t.deps.db, conversationId, 10)).filter((m) => m.role === 'assistant');
    const snippets = new Map((stored!.citations ?? []).map((c) => [c.title, c.snippet]));
    expect([...snippets.values()].some((s) => /\|.*\||\*\*|^\s*(?:[-*]|\d+\.)\s/m.test(s))).toBe(true);
    const sources = answer.locator('.sources li');
    expect(await sources.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await sources.count()); i++) {
      const source = sources.nth(i);
      const title = (await source.locator('.source-title').textContent())!;
      await source.locator('summary').click();
      const shown = (await source.locator('.source-snippet').textContent())!;
      expect(shown).not.toMatch(/\||\*\*|^#|```|^\s*-{3}|^\s*(?:[-*]|\d+\.)\s/m);
      expect(words(shown)).toBe(words(snippets.get(title)!));
    }
    await shot(page, 'widget-sources');

    // Sam takes over and replies in markdown: the widget renders it.
    const staff = await app.t.login('agent@example.com');
    const auth = { authorization: `Bearer ${staff}` };
    expect((await app.t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/takeover`, headers: auth })).statusCode).toBe(200);
    const posted = await app.t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/staff-messages`,
      headers: auth,
      payload: { content: REPLY, client_id: crypto.randomUUID() },
    });
    expect(posted.statusCode).toBeLessThan(300);
    const widgetBubble = frame.locator('li.msg-staff').last().locator('.bubble-text');
    await widgetBubble.locator('table').waitFor(LIVE);
    await expectRenderedReply(widgetBubble);

    // The console shows the same reply the same way.
    const s = await pages.open({ viewport: { width: 1360, height: 860 } });
    await consoleSignIn(s.page, 'agent@example.com');
    await s.page.getByRole('button', { name: 'Held' }).click();
    await s.page.locator(`.queue-item[data-conversation-id="${conversationId}"]`).click();
    const consoleBubble = s.page.locator(`section.pane[data-conversation-id="${conversationId}"] li.msg-staff`).last().locator('.bubble-text');
    await consoleBubble.locator('table').waitFor(LIVE);
    await expectRenderedReply(consoleBubble);
    // Sam's own bubble is dark green with white text: its link is readable on it (4.5:1), not the browser's blue.
    expect(await linkContrast(consoleBubble.locator('a[href="https://example.com/track"]'))).toBeGreaterThanOrEqual(4.5);
    expect(problems).toEqual([]);
    expect(s.problems).toEqual([]);
  });
});
