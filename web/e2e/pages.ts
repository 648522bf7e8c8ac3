// Page helpers the workspace browser tests share: contexts on the running app, screenshots, the
// console's and the chat's sign-in, and a customer who asks for a person.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type RunningApp, watchProblems } from './harness.js';

/** The demo password of every demo sign-in. */
export const PASSWORD = 'switchboard-demo';

/** Opens pages on one running app and closes them all at the end. */
export class Pages {
  private readonly contexts: BrowserContext[] = [];
  constructor(
    private readonly browser: () => Browser,
    private readonly app: () => RunningApp,
  ) {}

  /** A page in a fresh context (its own storage), with what it reports as broken. */
  async open(opts: BrowserContextOptions = {}): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
    const context = await this.browser().newContext({ viewport: { width: 1440, height: 860 }, baseURL: this.app().url, ...opts });
    this.contexts.push(context);
    const page = await context.newPage();
    return { page, context, problems: watchProblems(page) };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
  }
}

/** Saves a screenshot under WEB_SCREENSHOTS (docs/screenshots/ holds the docs'); nothing without it. */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.WEB_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
}

/** Signs in to the staff console. */
export async function consoleSignIn(page: Page, email: string): Promise<void> {
  await page.goto('/console');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('queue-count').waitFor();
}

/** Signs in to the customer chat at /. */
export async function chatSignIn(page: Page, email: string, name: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const form = page.locator('form.signin');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.locator('.whoami').textContent()).toContain(name);
}

/** Sends a message from the chat's composer. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
}

/** A signed-in customer asks for a person; returns the conversation id once it waits. */
export async function askForAPerson(page: Page): Promise<string> {
  await say(page, 'I want to talk to a person please');
  await expect.poll(() => page.getByTestId('handoff-banner').textContent()).toMatch(/Waiting for a person.*Ticket TCK-/);
  return (await page.locator('.chat-shell').getAttribute('data-conversation-id'))!;
}
