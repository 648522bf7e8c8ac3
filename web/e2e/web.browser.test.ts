// The web app in a real browser against the real service: the customer chat (anonymous and signed
// in), the human handoff between the chat and the staff console, and the widget on another site.
// Set WEB_SCREENSHOTS=<dir> to save a screenshot of each page (docs/screenshots/ holds the README's).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listInvoices } from '../../src/db/queries/invoices.js';
import { getUserByEmail } from '../../src/db/queries/users.js';
import { countSocketEvents, launchChromium, startHostSite, startWebApp, watchProblems, type RunningApp } from './harness.js';

const SHOTS = process.env.WEB_SCREENSHOTS;
const PASSWORD = 'switchboard-demo';

let app: RunningApp;
let browser: Browser;
let host: Awaited<ReturnType<typeof startHostSite>>;
const contexts: BrowserContext[] = [];

async function newPage(viewport = { width: 1280, height: 820 }): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, baseURL: app.url });
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
}

/** Types a message into the chat (a page, or the widget's frame) and sends it with Enter. */
async function ask(scope: { getByLabel(text: string): Locator }, text: string): Promise<void> {
  const box = scope.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
}

/** A setup failure (no Chromium, say) fails every test with its message instead of skipping them. */
let setupError: unknown;

beforeAll(async () => {
  try {
    // The company's site first: the app is told to let exactly that origin frame the widget.
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

describe('web app in Chromium', () => {
  it('answers an anonymous visitor with a streamed answer and its source titles', async () => {
    const { page, problems } = await newPage();
    const events = countSocketEvents(page);
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { name: 'Hi! How can we help?' }).isVisible()).toBe(true);
    await shot(page, 'chat-welcome');

    // The answer checked must come over the socket: a visitor's first message opens the conversation,
    // whose token the socket then signs in with, and a send the socket cannot take within 3 s goes
    // over REST (under load it did). So a greeting opens the conversation first, the question waits
    // for the socket, and only the question's events are counted.
    await ask(page, 'Hello');
    await page.locator('li.msg-assistant:not(.streaming)').first().waitFor();
    await page.locator('main[data-socket="online"][data-conversation-id]').waitFor();
    events.clear();
    await ask(page, 'How long does shipping take?');
    const answer = page.locator('li.msg-assistant:not(.streaming)').nth(1);
    await answer.waitFor();
    await expect.poll(() => answer.locator('.msg-author').textContent()).toBe('Help center');
    expect(await answer.locator('.bubble-text').textContent()).toMatch(/business days/i);
    const sources = await answer.locator('.source-title').allTextContents();
    expect(sources.some((s) => /shipping/i.test(s))).toBe(true);
    expect(await answer.locator('.tools').textContent()).toContain('Searched the help center');
    // The answer came over the WebSocket, token by token, and the page is not stuck "sending".
    expect(events.get('token') ?? 0).toBeGreaterThan(1);
    expect(events.get('message.completed')).toBe(1);
    expect(await page.locator('li.msg.pending').count()).toBe(0);
    await shot(page, 'chat-answer');
    expect(problems).toEqual([]);
  });

  it('falls back to a streamed REST turn when the WebSocket cannot connect', async () => {
    const { page, problems } = await newPage();
    // Every WebSocket to /ws is refused (a proxy that does not pass upgrades, say).
    await page.routeWebSocket(/\/ws$/, (ws) => ws.close({ code: 1011, reason: 'blocked by the test' }));
    const turns: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/v1\/conversations\/[^/]+\/messages$/.test(r.url())) turns.push(r.headers().accept ?? '');
    });
    await page.goto('/');
    await ask(page, 'How long does shipping take?');
    const answer = page.locator('li.msg-assistant:not(.streaming)').last();
    await answer.waitFor();
    expect((await answer.locator('.source-title').allTextContents()).some((s) => /shipping/i.test(s))).toBe(true);
    expect(turns).toEqual(['text/event-stream']);
    expect(await page.locator('.chat-shell').getAttribute('data-socket')).not.toBe('online');
    expect(await page.locator('li.msg-user').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('lets Alice sign in and shows her last invoice number', async () => {
    const alice = await getUserByEmail(app.t.deps.db, 'alice@example.com');
    const [latest] = await listInvoices(app.t.deps.db, alice!.customerId!, { limit: 1 });
    const { page, problems } = await newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.locator('form.signin');
    await form.getByLabel('Email').fill('alice@example.com');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('Alice');

    await ask(page, 'What was my last invoice?');
    const answer = page.locator('li.msg-assistant:not(.streaming)').last();
    await answer.waitFor();
    expect(await answer.locator('.msg-author').textContent()).toBe('Account assistant');
    expect(await answer.locator('.bubble-text').textContent()).toContain(latest!.invoiceNumber);
    await shot(page, 'chat-signed-in');
    expect(problems).toEqual([]);
  });

  it('hands a conversation to a person: the console sees it waiting, takes over, and the reply reaches the customer live', async () => {
    const customer = await newPage();
    const c = customer.page;
    await c.goto('/');
    await ask(c, 'I want to talk to a person');
    // An anonymous visitor leaves an email address before the ticket opens.
    await expect.poll(() => c.locator('li.msg-assistant:not(.streaming)').last().textContent()).toMatch(/what email address can they reach you at\?/);
    await ask(c, 'visitor@example.net');
    const banner = c.getByTestId('handoff-banner');
    await expect.poll(() => banner.textContent()).toMatch(/Waiting for a person.*Ticket TCK-/);
    const conversationId = await c.locator('.chat-shell').getAttribute('data-conversation-id');
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    await shot(c, 'chat-waiting');

    const staff = await newPage({ width: 1360, height: 820 });
    const s = staff.page;
    await s.goto('/console');
    await s.getByLabel('Email').fill('agent@example.com');
    await s.getByLabel('Password').fill(PASSWORD);
    await s.getByRole('button', { name: 'Sign in' }).click();
    const item = s.locator(`.queue-item[data-conversation-id="${conversationId}"]`);
    await item.waitFor();
    expect(await item.locator('.queue-reason').textContent()).toBe('Asked for a person');
    expect(Number(await s.getByTestId('queue-count').locator('strong').textContent())).toBeGreaterThanOrEqual(1);
    await item.click();
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await expect.poll(() => pane.locator('li.msg-user').first().textContent()).toContain('I want to talk to a person');
    await shot(s, 'console-queue');

    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');
    // It leaves the queue for everyone, and the customer learns who took over.
    await expect.poll(() => item.count()).toBe(0);
    await expect.poll(() => banner.textContent()).toContain("You're chatting with Sam Agent");

    // The customer types: the agent sees it. Typing goes over the sockets only (no REST fallback), so
    // both must be up first (under load either can still be connecting here).
    await c.locator('main[data-socket="online"]').waitFor();
    await s.locator('.conn.conn-online').waitFor();
    await c.getByLabel('Your message').pressSequentially('My parcel', { delay: 20 });
    await expect.poll(() => pane.locator('.typing-line').textContent()).toContain('Customer is typing');

    const reply = 'Hi, this is Sam from support. I can help with that.';
    await pane.getByLabel('Reply to the customer').fill(reply);
    await pane.getByLabel('Reply to the customer').press('Enter');
    const received = c.locator('li.msg-staff');
    await expect.poll(() => received.last().locator('.bubble-text').textContent()).toBe(reply);
    expect(await received.last().locator('.msg-author').textContent()).toBe('Sam Agent');

    // Markdown renders, safely: emphasis, lists and links (new tab, no opener); raw HTML is shown as text.
    const md = 'Here is **what to do**:\n\n- check `tracking`\n- see https://example.com/help\n\n<img src=x onerror="window.__pwned=1"> [docs](javascript:alert(1))';
    await pane.getByLabel('Reply to the customer').fill(md);
    await pane.getByLabel('Reply to the customer').press('Enter');
    const mdBubble = received.last().locator('.bubble-text');
    await expect.poll(() => mdBubble.locator('strong').textContent()).toBe('what to do');
    expect(await mdBubble.locator('li').count()).toBe(2);
    expect(await mdBubble.locator('code').textContent()).toBe('tracking');
    const link = mdBubble.locator('a[href="https://example.com/help"]');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await mdBubble.locator('img').count()).toBe(0);
    expect(await mdBubble.textContent()).toContain('<img src=x');
    expect(await mdBubble.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await c.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The console renders the same reply the same way.
    await expect.poll(() => pane.locator('li.msg-staff').last().locator('.bubble-text strong').textContent()).toBe('what to do');
    await shot(s, 'console-conversation');
    await shot(c, 'chat-staff-reply');

    await pane.getByRole('button', { name: 'Release to AI' }).click();
    await expect.poll(() => banner.textContent()).toContain('Back with the assistant');

    // The ticket the handoff opened is in the tickets list, and leads back to the conversation.
    const ticket = /TCK-\d+/.exec((await c.locator('li.msg-assistant').allTextContents()).join(' '))?.[0];
    expect(ticket).toBeTruthy();
    await s.getByRole('button', { name: 'Tickets' }).click();
    const row = s.locator('tbody tr', { hasText: ticket! });
    await row.waitFor();
    expect(await row.locator('.ticket-subject').textContent()).toBeTruthy();
    await shot(s, 'console-tickets');
    await row.getByRole('button', { name: 'Open chat' }).click();
    await s.locator(`section.pane[data-conversation-id="${conversationId}"]`).waitFor();
    expect(customer.problems).toEqual([]);
    expect(staff.problems).toEqual([]);
  });

  it('offers a person as quick replies; clicking "Yes, connect me" opens the ticket', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.locator('form.signin');
    await form.getByLabel('Email').fill('alice@example.com');
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('Alice');

    await ask(page, "This is unacceptable. I've been waiting for weeks and nobody cares.");
    const offer = page.locator('li.msg-assistant:not(.streaming)').last();
    await expect.poll(() => offer.locator('.bubble-text').textContent()).toContain('Would you like me to connect you with someone?');
    const replies = offer.getByRole('list', { name: 'Quick replies' });
    expect(await replies.getByRole('button').allTextContents()).toEqual(['Yes, connect me', 'No, thanks']);
    await shot(page, 'chat-offer');

    await replies.getByRole('button', { name: 'Yes, connect me' }).click();
    // The click sends its text as the customer's message, and the ticket reply comes back.
    await expect.poll(() => page.locator('li.msg-user').last().textContent()).toContain('Yes, connect me');
    const answer = page.locator('li.msg-assistant:not(.streaming)').last();
    await expect.poll(() => answer.locator('.bubble-text').textContent()).toMatch(/I've opened ticket TCK-\d+/);
    await expect.poll(() => page.getByTestId('handoff-banner').textContent()).toMatch(/Waiting for a person.*Ticket TCK-.*Accepted the offer of a person/);
    // The answered offer's buttons are gone.
    expect(await page.getByRole('list', { name: 'Quick replies' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('fits a phone screen and numbers sources by document', async () => {
    const { page, problems } = await newPage({ width: 390, height: 780 });
    await page.goto('/');
    await ask(page, 'How do I return an item?');
    const answer = page.locator('li.msg-assistant:not(.streaming)').last();
    await answer.waitFor();
    const sources = await answer.locator('.source-title').count();
    expect(sources).toBeGreaterThan(0);
    // Every marker in the text points at a listed source (several passages of one article share its number).
    const markers = (await answer.locator('a.marker').allTextContents()).map(Number);
    expect(markers.length).toBeGreaterThan(0);
    expect(markers.every((n) => n >= 1 && n <= sources)).toBe(true);
    expect(await answer.locator('.bubble-text').textContent()).not.toMatch(/\[\d+\]/);
    // Nothing scrolls sideways, and the message box is on screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await page.getByLabel('Your message').isVisible()).toBe(true);
    await shot(page, 'chat-mobile');
    expect(problems).toEqual([]);
  });

  it('opens the chat from the widget loader on another site and answers there', async () => {
    host.setHtml(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body>
        <header><h1>Acme Outdoor</h1><p>Tents, packs and trail gear.</p></header>
        <script src="${app.url}/widget.js" data-switchboard-url="${app.url}" data-title="Acme help" async></script>
      </body></html>`,
      // A strict site: scripts and frames only from itself and the support service.
      `default-src 'self'; script-src 'self' ${app.url}; frame-src ${app.url}; style-src 'self'`,
    );
    const { page, problems } = await newPage();
    await page.goto(host.origin);
    const launcher = page.getByRole('button', { name: 'Open Acme help chat' });
    await launcher.click();
    expect(await page.getByRole('button', { name: 'Close support chat' }).getAttribute('aria-expanded')).toBe('true');
    const frame = page.frameLocator('iframe[title="Acme help chat"]');
    await frame.getByRole('heading', { name: 'Hi! How can we help?' }).waitFor();
    await ask(frame, 'How long does shipping take?');
    const answer = frame.locator('li.msg-assistant:not(.streaming)').last();
    await answer.waitFor();
    expect(await answer.locator('.source-title').first().textContent()).toMatch(/shipping/i);
    await shot(page, 'widget-open');

    // The chat's own close button hands control back to the page.
    await frame.getByRole('button', { name: 'Close chat' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Open Acme help chat' }).getAttribute('aria-expanded')).toBe('false');
    expect(problems).toEqual([]);
  });
});
