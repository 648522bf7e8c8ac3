// CSAT in a real browser against the real service (issue 16 item 13): when a conversation is resolved,
// by a person (its ticket resolved in the console) or by the assistant (the idle sweep closes an
// answered conversation), the chat asks once for a 1–5 rating and an optional comment, and staff
// analytics count it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolve } from '../../src/chat/transitions.js';
import { recentMessages } from '../../src/db/queries/messages.js';
import { idleOutcome, summarize } from '../../src/jobs/conversation-summaries.js';
import { launchChromium, LIVE, type RunningApp, startWebApp, watchProblems } from './harness.js';

const PASSWORD = 'switchboard-demo';

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(viewport = { width: 1280, height: 820 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: app.url });
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

async function ask(page: Page, text: string): Promise<Locator> {
  const before = await page.locator('li.msg-assistant:not(.streaming)').count();
  const box = page.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
  const answer = page.locator('li.msg-assistant:not(.streaming)').nth(before);
  await answer.waitFor(LIVE);
  return answer;
}

async function analytics(): Promise<{ responses: number; average: number | null; distribution: Record<string, number> }> {
  const token = await app.t.login('agent@example.com');
  const res = await app.t.app.inject({ method: 'GET', url: '/api/v1/analytics', headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode).toBe(200);
  return res.json().csat;
}

/** The conversation goes idle with its answer standing: resolved as the summaries job's sweep closes it. */
async function resolveIdle(conversationId: string): Promise<void> {
  const messages = await recentMessages(app.t.deps.db, conversationId, 50);
  const outcome = idleOutcome(messages);
  expect(outcome).toBe('resolved');
  expect(await resolve(app.t.deps, conversationId, { outcome, summary: summarize(messages, outcome) })).toBe(true);
}

/** With WEB_SCREENSHOTS=<dir>, saves a screenshot (docs/screenshots holds the docs' ones). */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.WEB_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
}

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

describe('CSAT in Chromium', () => {
  it('asks once for a rating when a person resolves the conversation, and analytics count it', async () => {
    const before = await analytics();
    const { page, problems } = await newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.locator('form.signin');
    await form.getByLabel('Email').fill('alice@example.com');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.whoami').waitFor(LIVE);
    await ask(page, 'I want to talk to a person');
    await expect.poll(() => page.getByTestId('handoff-banner').textContent(), LIVE).toMatch(/Ticket TCK-\d+/);
    const conversationId = (await page.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    const csat = page.getByTestId('csat');
    expect(await csat.count()).toBe(0);

    // Sam takes over, answers, and resolves the ticket in the console.
    const staff = await newPage({ width: 1360, height: 820 });
    const s = staff.page;
    await s.goto('/console');
    await s.getByLabel('Email').fill('agent@example.com');
    await s.getByLabel('Password').fill(PASSWORD);
    await s.getByRole('button', { name: 'Sign in' }).click();
    await s.locator(`.queue-item[data-conversation-id="${conversationId}"]`).click();
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status'), LIVE).toBe('human');
    await pane.getByLabel('Reply to the customer').fill('All sorted: your refund is on its way.');
    await pane.getByLabel('Reply to the customer').press('Enter');
    await expect.poll(() => page.locator('li.msg-staff').count(), LIVE).toBe(1);
    expect(await csat.count()).toBe(0);
    const side = pane.getByRole('complementary', { name: 'Conversation details' });
    const ticketNumber = (await side.locator('#ticket-title .mono').textContent())!;
    await side.getByLabel(`Status of ${ticketNumber}`).selectOption('resolved');

    // The customer is asked, live: 1–5 and a comment.
    await csat.waitFor(LIVE);
    expect(await csat.getByRole('radio').count()).toBe(5);
    await csat.getByRole('radio', { name: '4 of 5: Good' }).click();
    await csat.getByLabel('Anything to add? (optional)').fill('Quick and friendly.');
    await shot(page, 'chat-csat');
    await csat.getByRole('button', { name: 'Send rating' }).click();
    await expect.poll(() => csat.textContent(), LIVE).toContain('Thanks for your feedback!');

    // Once: a reload does not ask again.
    await page.reload();
    await page.locator('li.msg-staff').first().waitFor(LIVE);
    await page.waitForTimeout(500);
    expect(await page.getByTestId('csat').count()).toBe(0);

    const after = await analytics();
    expect(after.responses).toBe(before.responses + 1);
    expect(after.distribution['4']).toBe((before.distribution['4'] ?? 0) + 1);
    // Sam's console shows it on its Analytics page: the CSAT total and the rating's row of the distribution.
    await s.getByRole('button', { name: 'Analytics' }).click();
    const view = s.getByRole('region', { name: 'Analytics' });
    await expect.poll(() => view.getByTestId('kpi-csat').textContent(), LIVE).toBe(`${after.average!.toFixed(2)} (${after.responses})`);
    expect(await view.getByTestId('chart-csat').locator('tbody tr').nth(3).locator('td').allTextContents()).toEqual(['4', String(after.distribution['4'])]);
    const stored = await app.t.deps.db.execute(sql`select rating, comment from conversation_feedback where conversation_id = ${conversationId}`);
    expect(JSON.stringify(stored)).toContain('Quick and friendly.');
    expect(problems).toEqual([]);
    expect(staff.problems).toEqual([]);
  });

  it('asks a visitor whose answered conversation the assistant resolved, and "Not now" stops asking', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await ask(page, 'How long does shipping take?');
    const conversationId = (await page.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    expect(await page.getByTestId('csat').count()).toBe(0);

    // The conversation goes idle with its answer standing: the summaries job resolves it.
    await resolveIdle(conversationId);
    await page.reload();
    const csat = page.getByTestId('csat');
    await csat.waitFor(LIVE);
    await csat.getByRole('radio', { name: '5 of 5: Excellent' }).click();
    await csat.getByRole('button', { name: 'Send rating' }).click();
    await expect.poll(() => csat.textContent(), LIVE).toContain('Thanks for your feedback!');

    // Another resolved conversation: "Not now" dismisses the question for good.
    await page.getByRole('button', { name: 'Start a new conversation' }).click();
    await ask(page, 'How do I return an item?');
    const second = (await page.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    expect(second).not.toBe(conversationId);
    await resolveIdle(second);
    await page.reload();
    await csat.waitFor(LIVE);
    await csat.getByRole('button', { name: 'Not now' }).click();
    expect(await csat.count()).toBe(0);
    await page.reload();
    await page.locator('li.msg-assistant').first().waitFor(LIVE);
    await page.waitForTimeout(500);
    expect(await page.getByTestId('csat').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
