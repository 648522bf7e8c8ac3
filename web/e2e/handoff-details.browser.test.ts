// The handoff in a real browser against the real service (issue 16): why a conversation went to a
// person (the reason comes from the message that escalated), and what the chat and the console keep
// across a reload (the ticket number, who holds it, staff names on their replies, held items' titles).
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

/** Types a message and sends it with Enter, then waits for the answer to it. */
async function ask(page: Page, text: string): Promise<Locator> {
  const before = await page.locator('li.msg-assistant:not(.streaming)').count();
  const box = page.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
  const answer = page.locator('li.msg-assistant:not(.streaming)').nth(before);
  await answer.waitFor(LIVE);
  return answer;
}

async function signInChat(page: Page, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  const form = page.locator('form.signin');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.whoami').waitFor(LIVE);
}

async function signInConsole(page: Page, email: string): Promise<void> {
  await page.goto('/console');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.topbar-user').waitFor(LIVE);
}

/** A setup failure (no Chromium, say) fails every test with its message instead of skipping them. */
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

describe('handoff details in Chromium', () => {
  it('files "I want to speak to a person" after an invoice question as the customer\'s request, not a billing dispute', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await signInChat(page, 'alice@example.com');
    await ask(page, 'Why is my last invoice so high?');
    await ask(page, 'I want to speak to a person');
    const banner = page.getByTestId('handoff-banner');
    await expect.poll(() => banner.textContent(), LIVE).toMatch(/Waiting for a person.*Ticket TCK-\d+.*Asked for a person/);
    expect(await banner.textContent()).not.toContain('Billing dispute');
    const conversationId = (await page.locator('.chat-shell').getAttribute('data-conversation-id'))!;

    // The ticket and the queue say the same: the reason of the message that escalated.
    const staff = await newPage({ width: 1360, height: 820 });
    await signInConsole(staff.page, 'agent@example.com');
    const item = staff.page.locator(`.queue-item[data-conversation-id="${conversationId}"]`);
    await item.waitFor(LIVE);
    expect(await item.locator('.queue-reason').textContent()).toBe('Asked for a person');
    const token = await app.t.login('agent@example.com');
    const tickets = await app.t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=100', headers: { authorization: `Bearer ${token}` } });
    const ticket = (tickets.json().items as { conversation_id: string; reason: string }[]).find((t) => t.conversation_id === conversationId);
    expect(ticket?.reason).toBe('customer_request');
    expect(problems).toEqual([]);
    expect(staff.problems).toEqual([]);
  });

  it('keeps the ticket number, the staff member and their name on replies after a reload, and titles held items in the console', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await signInChat(page, 'alice@example.com');
    await ask(page, 'How do I return an item?');
    await ask(page, 'I want to talk to a person');
    const banner = page.getByTestId('handoff-banner');
    await expect.poll(() => banner.textContent(), LIVE).toMatch(/Ticket TCK-\d+/);
    const ticketNumber = /TCK-\d+/.exec((await banner.textContent()) ?? '')![0];
    const conversationId = (await page.locator('.chat-shell').getAttribute('data-conversation-id'))!;

    // Reloaded while it waits: the ticket number stays.
    await page.reload();
    await page.locator('li.msg-assistant').first().waitFor(LIVE);
    await expect.poll(() => banner.textContent(), LIVE).toMatch(new RegExp(`Waiting for a person.*Ticket ${ticketNumber}.*Asked for a person`));

    // Sam takes over and replies.
    const staff = await newPage({ width: 1360, height: 820 });
    const s = staff.page;
    await signInConsole(s, 'agent@example.com');
    await s.locator(`.queue-item[data-conversation-id="${conversationId}"]`).click();
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status'), LIVE).toBe('human');
    const reply = 'Hi Alice, Sam here. Which item would you like to return?';
    await pane.getByLabel('Reply to the customer').fill(reply);
    await pane.getByLabel('Reply to the customer').press('Enter');
    const staffBubble = page.locator('li.msg-staff').last();
    await expect.poll(() => staffBubble.locator('.bubble-text').textContent(), LIVE).toBe(reply);

    // Reloaded while Sam holds it: who holds it and whose reply it is stay.
    await page.reload();
    await page.locator('li.msg-staff').first().waitFor(LIVE);
    await expect.poll(() => banner.textContent(), LIVE).toContain("You're chatting with Sam Agent");
    expect(await page.locator('li.msg-staff').last().locator('.msg-author').textContent()).toBe('Sam Agent');
    expect(await page.getByLabel('Your message').getAttribute('placeholder')).toBe('Message Sam Agent…');

    // The console's held list titles the item by its customer, with the first thing they wrote.
    await s.reload();
    await s.locator('.topbar-user').waitFor(LIVE);
    await s.getByRole('button', { name: 'Held' }).click();
    const held = s.locator(`.queue-item[data-conversation-id="${conversationId}"]`);
    await held.waitFor(LIVE);
    expect(await held.locator('.queue-subject').textContent()).toBe('Alice Martin');
    expect(await held.textContent()).toContain('How do I return an item?');
    expect(await held.textContent()).toContain('Held by Sam Agent');
    expect(await s.locator('.queue-item .queue-subject', { hasText: /^Conversation$/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    expect(staff.problems).toEqual([]);
  });
});
