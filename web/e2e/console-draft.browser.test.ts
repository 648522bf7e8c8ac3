// "Suggest reply" in Chromium against the real service (offline engine): in a conversation the agent
// holds, a draft from the knowledge base (or from the customer's own records) lands in the reply box for editing; nothing reaches the
// customer or the database until the agent sends it. WEB_SCREENSHOTS=<dir> saves the screens.
import { and, eq, ne } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customers, invoices, messages } from '../../src/db/schema.js';
import { launchChromium, type RunningApp, startWebApp } from './harness.js';
import { askForAPerson, chatSignIn, consoleSignIn, Pages, say, shot } from './pages.js';

let app: RunningApp;
let browser: Browser;
let setupError: unknown;
const pages = new Pages(
  () => browser,
  () => app,
);

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

describe('suggested replies in the staff console (Chromium)', () => {
  it('drafts an answer from the knowledge base into the reply box, sent only when the agent sends it', async () => {
    const customer = await pages.open({ viewport: { width: 1000, height: 800 } });
    await chatSignIn(customer.page, 'alice@example.com', 'Alice');
    const conversationId = await askForAPerson(customer.page);

    const staff = await pages.open();
    const s = staff.page;
    await consoleSignIn(s, 'agent@example.com');
    await s.goto(`/console?c=${conversationId}`);
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    // Only the holder drafts: no "Suggest reply" before taking over.
    await pane.getByRole('button', { name: 'Take over' }).waitFor();
    expect(await pane.getByRole('button', { name: 'Suggest reply' }).count()).toBe(0);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');

    await say(customer.page, 'How long does standard shipping take?');
    await expect.poll(() => pane.locator('li.msg-user').last().textContent()).toContain('How long does standard shipping take?');
    const staffMessages = () =>
      app.t.deps.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'staff')));

    const drafted = s.waitForResponse((r) => r.url().endsWith(`/conversations/${conversationId}/draft`));
    await pane.getByRole('button', { name: 'Suggest reply' }).click();
    expect((await drafted).status()).toBe(200);
    const box = pane.getByLabel('Reply to the customer');
    await expect.poll(() => box.inputValue()).toMatch(/business days/i);
    const draft = await box.inputValue();
    expect(draft).toMatch(/Sources:\n\[1\] /);
    expect(await pane.getByTestId('draft-status').textContent()).toMatch(/^Draft from the knowledge base \(\d sources?\), by the offline engine\. Edit it, then send/);
    // The box has focus for editing; nothing was sent or stored.
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await staffMessages()).toEqual([]);
    expect(await customer.page.locator('li.msg-staff').count()).toBe(0);
    await shot(s, 'console-suggest-reply');

    // The agent edits the draft and sends it: the customer gets the edited text, once.
    await box.press('Control+Home');
    await box.pressSequentially('Hi Alice! ', { delay: 10 });
    await box.press('Enter');
    await expect.poll(() => customer.page.locator('li.msg-staff').last().locator('.bubble-text').textContent()).toContain('Hi Alice! ');
    const sent = await staffMessages();
    expect(sent.map((m) => m.content)).toEqual([`Hi Alice! ${draft}`]);
    await expect.poll(() => box.inputValue()).toBe('');
    expect(staff.problems).toEqual([]);
    expect(customer.problems).toEqual([]);
  });

  it("drafts from the customer's own records for a question about their account, sent only when the agent sends it", async () => {
    const customer = await pages.open({ viewport: { width: 1000, height: 800 } });
    await chatSignIn(customer.page, 'bob@example.com', 'Bob');
    const conversationId = await askForAPerson(customer.page);
    const staff = await pages.open();
    const s = staff.page;
    await consoleSignIn(s, 'agent@example.com');
    await s.goto(`/console?c=${conversationId}`);
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');
    await say(customer.page, 'What is my latest invoice?');
    await expect.poll(() => pane.locator('li.msg-user').last().textContent()).toContain('What is my latest invoice?');

    const [bob] = await app.t.deps.db.select().from(customers).where(eq(customers.email, 'bob@example.com'));
    const own = (await app.t.deps.db.select().from(invoices).where(eq(invoices.customerId, bob!.id))).map((i) => i.invoiceNumber);
    const others = (await app.t.deps.db.select().from(invoices).where(ne(invoices.customerId, bob!.id))).map((i) => i.invoiceNumber);
    expect(own.length).toBeGreaterThan(0);

    const drafted = s.waitForResponse((r) => r.url().endsWith(`/conversations/${conversationId}/draft`));
    await pane.getByRole('button', { name: 'Suggest reply' }).click();
    expect((await drafted).status()).toBe(200);
    const box = pane.getByLabel('Reply to the customer');
    await expect.poll(() => box.inputValue()).toMatch(/INV-\d{4}-\d{5}/);
    const draft = await box.inputValue();
    // Bob's invoices, nobody else's.
    const numbers = draft.match(/INV-\d{4}-\d{5}/g)!;
    for (const n of numbers) expect(own).toContain(n);
    expect(others.some((n) => draft.includes(n))).toBe(false);
    expect(await pane.getByTestId('draft-status').textContent()).toMatch(/^Draft from the customer's records, by the offline engine\. Edit it, then send/);
    // Nothing was sent or stored until the agent sends it.
    const staffMessages = () =>
      app.t.deps.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'staff')));
    expect(await staffMessages()).toEqual([]);
    expect(await customer.page.locator('li.msg-staff').count()).toBe(0);
    await box.press('Enter');
    await expect.poll(() => customer.page.locator('li.msg-staff').last().locator('.bubble-text').textContent()).toContain(numbers[0]!);
    expect((await staffMessages()).map((m) => m.content)).toEqual([draft]);
    expect(staff.problems).toEqual([]);
    expect(customer.problems).toEqual([]);
  });
});
