// Accessibility of every page of the chat, the widget and the staff console, in Chromium against the
// real service: axe-core (pinned in package.json, injected into each page) must find no serious or
// critical violation, in light and dark mode, and every page has one main landmark and a heading.
// The console's pages are found from its navigation, so a page added later is checked too.
import axe from 'axe-core';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, type RunningApp, startHostSite, startWebApp } from './harness.js';
import { askForAPerson, chatSignIn, consoleSignIn, Pages, say, shot } from './pages.js';

/** axe-core's browser script, as the package ships it. */
const AXE_SOURCE = axe.source;

let app: RunningApp;
let host: Awaited<ReturnType<typeof startHostSite>>;
let browser: Browser;
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

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on the page (or frame) as it is now; returns its serious and critical violations. */
async function serious(target: Page | Frame): Promise<Finding[]> {
  // Injected through the DevTools protocol, so the pages' strict CSP needs no exception for it.
  await target.evaluate(AXE_SOURCE);
  // Let transitions and the message entry animation finish: axe reads colours as shown. Waits for them
  // to end (not a fixed time, which a loaded machine overruns); the endless ones (caret, typing dots,
  // pulse) are left running.
  await target.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Number.POSITIVE_INFINITY), undefined, {
    timeout: 15_000,
  });
  const violations = await target.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page's landmarks and headings: exactly one main, at least one heading (and which). */
function structure(target: Page | Frame) {
  return target.evaluate(() => ({
    mains: document.querySelectorAll('main, [role="main"]').length,
    headings: [...document.querySelectorAll('h1, h2, h3, [role="heading"]')].filter((h) => (h as HTMLElement).offsetParent !== null || h.closest('.visually-hidden')).map((h) => h.tagName),
  }));
}

/** Checks one page in its current state. */
async function check(target: Page | Frame, name: string, checked: string[]): Promise<void> {
  expect(await serious(target), `${name}: axe serious/critical violations`).toEqual([]);
  const s = await structure(target);
  expect(s.mains, `${name}: main landmarks`).toBe(1);
  expect(s.headings.length, `${name}: headings`).toBeGreaterThan(0);
  checked.push(name);
}

describe.each(['light', 'dark'] as const)('accessibility with axe-core (%s mode, Chromium)', (scheme) => {
  it('finds nothing serious on the chat: welcome, an answer, sign-in, signed in, waiting for a person', async () => {
    const checked: string[] = [];
    const { page, problems } = await pages.open({ viewport: { width: 1100, height: 820 }, colorScheme: scheme });
    await page.goto('/');
    await page.getByLabel('Your message').waitFor();
    await check(page, 'chat welcome', checked);
    await say(page, 'How long does shipping take?');
    await page.locator('li.msg-assistant:not(.streaming) .sources').first().waitFor();
    await check(page, 'chat answer', checked);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('form.signin').waitFor();
    await check(page, 'chat sign-in form', checked);

    const signedIn = await pages.open({ viewport: { width: 1100, height: 820 }, colorScheme: scheme });
    await chatSignIn(signedIn.page, 'alice@example.com', 'Alice');
    await check(signedIn.page, 'chat signed in', checked);
    await askForAPerson(signedIn.page);
    await check(signedIn.page, 'chat waiting for a person', checked);
    const phone = await pages.open({ viewport: { width: 390, height: 844 }, isMobile: true, colorScheme: scheme });
    await phone.page.goto('/');
    await phone.page.getByLabel('Your message').waitFor();
    await check(phone.page, 'chat on a phone', checked);
    expect(checked).toHaveLength(6);
    expect([...problems, ...signedIn.problems, ...phone.problems]).toEqual([]);
  });

  it('finds nothing serious on the widget: the launcher on a site, and the chat in its frame', async () => {
    const checked: string[] = [];
    host.setHtml(
      `<!doctype html><html lang="en"><head><title>Acme Outdoor</title></head><body>
        <main><h1>Acme Outdoor</h1><p>Tents, packs and trail gear.</p></main>
        <script src="${app.url}/widget.js" data-switchboard-url="${app.url}" data-title="Acme help" async></script>
      </body></html>`,
    );
    const { page, problems } = await pages.open({ colorScheme: scheme });
    await page.goto(host.origin);
    const launcher = page.getByRole('button', { name: 'Open Acme help chat' });
    await launcher.waitFor();
    await check(page, 'site with the widget launcher', checked);
    await launcher.click();
    await page.frameLocator('iframe[title="Acme help chat"]').getByRole('heading', { name: 'Hi! How can we help?' }).waitFor();
    const frame = page.frames().find((f) => f.url().includes('/embed'))!;
    await check(frame, 'widget chat (framed)', checked);
    await frame.getByLabel('Your message').fill('How do I return an item?');
    await frame.getByLabel('Your message').press('Enter');
    await frame.locator('li.msg-assistant:not(.streaming) .sources').first().waitFor();
    await check(frame, 'widget chat with an answer', checked);
    await check(page, 'site with the widget open', checked);
    if (scheme === 'light') await shot(page, 'a11y-widget');
    expect(problems).toEqual([]);
  });

  it('finds nothing serious on the staff console: sign-in, every page of its navigation, a held conversation', async () => {
    const checked: string[] = [];
    const { page, problems } = await pages.open({ colorScheme: scheme });
    await page.goto('/console');
    await page.getByLabel('Email').waitFor();
    await check(page, 'console sign-in', checked);

    const customer = await pages.open({ viewport: { width: 1000, height: 800 }, colorScheme: scheme });
    await chatSignIn(customer.page, 'bob@example.com', 'Bob');
    const conversationId = await askForAPerson(customer.page);

    await consoleSignIn(page, 'admin@example.com');
    await page.locator(`.queue-item[data-conversation-id="${conversationId}"]`).waitFor();
    await check(page, 'console inbox: waiting', checked);
    const lists = page.getByRole('navigation', { name: 'Work lists' });
    const tabs = lists.locator('.tabs');
    for (const tab of ['Held', 'Search']) {
      await tabs.getByRole('button', { name: tab }).click();
      await page.waitForTimeout(300);
      await check(page, `console inbox: ${tab}`, checked);
    }
    await tabs.getByRole('button', { name: /^Waiting/ }).click();
    await page.locator(`.queue-item[data-conversation-id="${conversationId}"]`).click();
    const pane = page.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');
    await pane.getByLabel('Reply to the customer').fill('Hi Bob, Ada here.');
    await pane.getByLabel('Reply to the customer').press('Enter');
    await pane.locator('li.msg-staff').first().waitFor();
    await check(page, 'console conversation (held)', checked);
    if (scheme === 'light') await shot(page, 'a11y-console-conversation');

    // Every page the console's navigation offers (an admin sees them all).
    const nav = page.getByRole('navigation', { name: 'Console' });
    const names = (await nav.getByRole('button').allTextContents()).map((t) => t.replace(/\s*\d+$/, '').trim());
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      await nav.getByRole('button', { name, exact: false }).first().click();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      await check(page, `console ${name}`, checked);
    }
    const phone = await pages.open({ viewport: { width: 390, height: 844 }, isMobile: true, colorScheme: scheme });
    await consoleSignIn(phone.page, 'agent@example.com');
    await check(phone.page, 'console on a phone', checked);
    expect(checked.length).toBe(6 + names.length);
    expect([...problems, ...customer.problems, ...phone.problems]).toEqual([]);
    // 14 pages, each loaded and read by axe: on a loaded 2-core machine that took over the default 60 s.
  }, 180_000);
});
