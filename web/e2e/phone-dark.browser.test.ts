// The console on a phone (390 px wide) and dark mode in the chat, the widget's framed chat and the
// console, in Chromium against the real service. WEB_SCREENSHOTS=<dir> saves the screens.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, type RunningApp, startWebApp } from './harness.js';
import { askForAPerson, chatSignIn, consoleSignIn, Pages, shot } from './pages.js';

let app: RunningApp;
let browser: Browser;
let setupError: unknown;
const pages = new Pages(
  () => browser,
  () => app,
);
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

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
  await pages.closeAll();
  await browser?.close();
  await app?.close();
});

/** How far the page is wider than the screen (0: nothing sticks out sideways). */
const overflowX = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
/** The page background's relative luminance (0 black .. 1 white). */
const backgroundLuminance = (page: Page, selector = 'body') =>
  page.evaluate((sel) => {
    let el: Element | null = document.querySelector(sel);
    let color = 'rgba(0, 0, 0, 0)';
    while (el) {
      color = getComputedStyle(el).backgroundColor;
      if (!/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(color)) break;
      el = el.parentElement;
    }
    const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? ['255', '255', '255']).slice(0, 3).map((v) => Number(v) / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  }, selector);

describe('the console on a phone (Chromium, 390 px)', () => {
  it('shows the queue, then the conversation full width with a way back, and nothing wider than the screen', async () => {
    const customer = await pages.open({ viewport: { width: 1000, height: 800 } });
    await chatSignIn(customer.page, 'bob@example.com', 'Bob');
    const conversationId = await askForAPerson(customer.page);

    const { page, problems } = await pages.open(PHONE);
    await consoleSignIn(page, 'agent@example.com');
    const item = page.locator(`.queue-item[data-conversation-id="${conversationId}"]`);
    await item.waitFor();
    expect(await overflowX(page)).toBe(0);
    // The list takes the screen; every console page is in reach from the top bar.
    const listBox = (await page.getByRole('navigation', { name: 'Work lists' }).boundingBox())!;
    expect(listBox.width).toBeGreaterThanOrEqual(380);
    for (const name of ['Inbox', 'Tickets']) expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name }).isVisible()).toBe(true);
    await shot(page, 'console-phone-queue');

    await item.click();
    const pane = page.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.waitFor();
    expect(await page.getByRole('navigation', { name: 'Work lists' }).isVisible()).toBe(false);
    const paneBox = (await pane.boundingBox())!;
    expect(paneBox.width).toBeGreaterThanOrEqual(380);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');
    const box = pane.getByLabel('Reply to the customer');
    await box.fill('Hi Bob, Sam here, on my phone.');
    await box.press('Enter');
    await expect.poll(() => customer.page.locator('li.msg-staff').last().locator('.bubble-text').textContent()).toBe('Hi Bob, Sam here, on my phone.');
    expect(await overflowX(page)).toBe(0);
    const send = (await pane.getByRole('button', { name: 'Send message' }).boundingBox())!;
    expect(send.x + send.width).toBeLessThanOrEqual(390);
    await shot(page, 'console-phone-conversation');

    await page.getByRole('button', { name: '← Back to the list' }).click();
    await page.getByRole('navigation', { name: 'Work lists' }).waitFor();
    expect(await pane.count()).toBe(0);

    // The other pages fit too (wide tables scroll inside their own box).
    for (const name of ['Tickets', 'Canned replies', 'Test a question']) {
      await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name }).click();
      await page.waitForTimeout(300);
      expect(await overflowX(page), name).toBe(0);
    }
    expect(problems).toEqual([]);
  });
});

describe('dark mode (Chromium, prefers-color-scheme and the toggle)', () => {
  it('follows the system in the chat and the widget, and the toggle wins and is remembered', async () => {
    const { page, problems } = await pages.open({ viewport: { width: 1000, height: 800 }, colorScheme: 'dark' });
    await page.goto('/');
    await page.getByLabel('Your message').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await backgroundLuminance(page, '.chat-shell')).toBeLessThan(0.05);
    const toggle = page.getByRole('button', { name: 'Dark mode' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'How long does shipping take?' }).click();
    await page.locator('li.msg-assistant .bubble-text').first().waitFor();
    await expect.poll(() => page.locator('li.msg-assistant .sources').count()).toBeGreaterThan(0);
    await shot(page, 'chat-dark');

    // The visitor picks light: it stays light after a reload although the system is dark.
    await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await backgroundLuminance(page, '.chat-shell')).toBeGreaterThan(0.8);
    await page.reload();
    await page.getByLabel('Your message').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.getByRole('button', { name: 'Dark mode' }).getAttribute('aria-pressed')).toBe('false');

    // The widget's framed chat follows the system too (a fresh visitor, no choice stored).
    const widget = await pages.open({ viewport: { width: 420, height: 700 }, colorScheme: 'dark' });
    await widget.page.goto('/embed');
    await widget.page.getByLabel('Your message').waitFor();
    expect(await widget.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await widget.page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => widget.page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(problems).toEqual([]);
    expect(widget.problems).toEqual([]);
  });

  it('gives the console a dark mode, from the system or the toggle', async () => {
    const { page, problems } = await pages.open({ colorScheme: 'light' });
    await consoleSignIn(page, 'admin@example.com');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await backgroundLuminance(page, '.sidebar')).toBeGreaterThan(0.8);
    await page.getByRole('button', { name: 'Dark mode' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await backgroundLuminance(page, '.sidebar')).toBeLessThan(0.05);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Tickets' }).click();
    await page.locator('tbody tr[data-ticket-number]').first().waitFor();
    await shot(page, 'console-dark');
    await page.reload();
    await page.getByTestId('queue-count').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    // A phone in dark mode (system setting, no stored choice).
    const phone = await pages.open({ ...PHONE, colorScheme: 'dark' });
    await consoleSignIn(phone.page, 'agent@example.com');
    expect(await phone.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await overflowX(phone.page)).toBe(0);
    await shot(phone.page, 'console-phone-dark');
    expect(problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });
});
