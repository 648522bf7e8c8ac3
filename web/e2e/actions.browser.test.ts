// Account actions in a real browser against the real service (issue 18): the assistant proposes,
// the customer presses Confirm (or Cancel), the change happens once and the chat states the outcome.
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customers, orders, subscriptions } from '../../src/db/schema.js';
import { launchChromium, startWebApp, watchProblems, type RunningApp } from './harness.js';

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
let setupError: unknown;

beforeAll(async () => {
  try {
    [browser, app] = await Promise.all([launchChromium(), startWebApp()]);
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

async function signedIn(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, baseURL: app.url });
  contexts.push(context);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const form = page.locator('form.signin');
  await form.getByLabel('Email').fill('alice@example.com');
  await form.getByLabel('Password').fill('switchboard-demo');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Your message').waitFor();
  return { page, problems };
}

async function ask(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
}

describe('account actions in Chromium', () => {
  it('cancels an unshipped order: proposal → Confirm → outcome, once', async () => {
    const { page, problems } = await signedIn();
    await ask(page, 'Please cancel my order ORD-190001');
    const card = page.locator('.action-card[data-action-status="pending"]');
    await card.waitFor();
    expect(await card.locator('.action-summary').textContent()).toContain('Cancel order ORD-190001');
    const [o] = await app.t.deps.db.select().from(orders).where(eq(orders.orderNumber, 'ORD-190001'));
    expect(o!.status).toBe('pending');
    await card.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.action-card[data-action-status="completed"]').waitFor();
    await page.getByText('Order ORD-190001 is canceled.').waitFor();
    expect(await page.locator('.action-card button').count()).toBe(0);
    const [after] = await app.t.deps.db.select().from(orders).where(eq(orders.orderNumber, 'ORD-190001'));
    expect(after!.status).toBe('canceled');
    expect(problems).toEqual([]);
  });

  it('changes a plan with Confirm, and Cancel leaves a second proposal undone', async () => {
    const { page, problems } = await signedIn();
    await ask(page, 'Upgrade me to the business plan please');
    const card = page.locator('.action-card[data-action-status="pending"]');
    await card.waitFor();
    await card.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.action-card[data-action-status="completed"]').waitFor();
    await page.getByText("Done: you're now on Business with 2 seats.", { exact: false }).waitFor();
    const [alice] = await app.t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com'));
    const [sub] = await app.t.deps.db.select().from(subscriptions).where(eq(subscriptions.customerId, alice!.id));
    expect(sub).toMatchObject({ plan: 'business', seats: 2 });

    await ask(page, 'add 2 seats please');
    const second = page.locator('.action-card[data-action-status="pending"]');
    await second.waitFor();
    await second.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.action-card[data-action-status="declined"]').waitFor();
    const [same] = await app.t.deps.db.select().from(subscriptions).where(eq(subscriptions.customerId, alice!.id));
    expect(same!.seats).toBe(2);
    expect(problems).toEqual([]);
  });
});
