// Account actions in a real browser against the real service (issue 18): the assistant proposes,
// the customer presses Confirm (or Cancel), the change happens once and the chat states the outcome;
// a refund above the threshold waits in the console's Approvals until a staff member approves it.
// WEB_SCREENSHOTS=<dir> saves the console's approval queue (docs/screenshots/console-approvals.png).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accountActions, customers, orders, refunds, subscriptions } from '../../src/db/schema.js';
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

const SHOTS = process.env.WEB_SCREENSHOTS;

async function newPage(viewport = { width: 1280, height: 820 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: app.url });
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

async function signedIn(): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await newPage();
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

describe('staff approval in Chromium', () => {
  it('a refund above the threshold waits in the console Approvals, and completes when approved; the customer sees the outcome', async () => {
    const { page, problems } = await signedIn();
    await ask(page, 'I would like to return order ORD-190003 for a refund');
    const card = page.locator('.action-card[data-action-status="pending"]');
    await card.waitFor();
    expect(await card.locator('.action-summary').textContent()).toContain('ORD-190003');
    await card.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.action-card[data-action-status="confirmed"]').waitFor();
    await page.getByText('needs approval by our team', { exact: false }).waitFor();
    const [before] = await app.t.deps.db.select().from(orders).where(eq(orders.orderNumber, 'ORD-190003'));
    expect(before!.status).toBe('delivered');

    const staff = await newPage({ width: 1440, height: 860 });
    const s = staff.page;
    await s.goto('/console');
    await s.getByLabel('Email').fill('agent@example.com');
    await s.getByLabel('Password').fill('switchboard-demo');
    await s.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => s.getByTestId('approvals-count').textContent()).toBe('1');
    await s.getByRole('button', { name: /^Approvals/ }).click();
    const item = s.locator('.approval-card[data-action-type="request_refund"]');
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('alice@example.com');
    expect(text).toContain('ORD-190003');
    expect(text).toContain('$365.05');
    expect(text).toContain('delivered');
    expect(await item.getByRole('link', { name: /conversation|Return|refund/i }).getAttribute('href')).toMatch(/^\/console\?c=[0-9a-f-]{36}$/);
    await item.getByLabel('Note to the customer (optional)').fill('Approved: thanks for sending it back unused.');
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await s.screenshot({ path: join(SHOTS, 'console-approvals.png'), animations: 'disabled' });
    }
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => s.getByRole('status').textContent()).toContain('Approved and done');
    await expect.poll(() => s.locator('.approval-card').count()).toBe(0);
    await expect.poll(() => s.getByTestId('approvals-count').textContent()).toBe('0');

    // The customer's chat shows the outcome without a reload: the message and the card's status.
    await page.getByText('Your return of order ORD-190003 is approved', { exact: false }).waitFor();
    await page.locator('.action-card[data-action-status="completed"]').waitFor();
    const [after] = await app.t.deps.db.select().from(orders).where(eq(orders.orderNumber, 'ORD-190003'));
    expect(after!.status).toBe('returned');
    const [action] = await app.t.deps.db.select().from(accountActions).where(eq(accountActions.type, 'request_refund'));
    expect(action).toMatchObject({ status: 'completed', approvalNote: 'Approved: thanks for sending it back unused.' });
    expect((await app.t.deps.db.select().from(refunds).where(eq(refunds.actionId, action!.id))).map((r) => r.amountCents)).toEqual([36505]);
    expect(problems).toEqual([]);
    expect(staff.problems).toEqual([]);
  });
});
