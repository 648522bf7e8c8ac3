// The staff console as a support team's workspace, in Chromium against the real service: ticket
// work from the conversation, private notes (never shown to the customer), canned replies inserted
// with "/", search and filters, and an admin reassigning a conversation an agent holds.
// WEB_SCREENSHOTS=<dir> saves a screenshot of each screen (docs/screenshots/ holds the docs').
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getTicket } from '../../src/db/queries/tickets.js';
import { getConversation } from '../../src/db/queries/conversations.js';
import { getUserByEmail } from '../../src/db/queries/users.js';
import { LIVE, launchChromium, startWebApp, watchProblems, type RunningApp } from './harness.js';

const SHOTS = process.env.WEB_SCREENSHOTS;
const PASSWORD = 'switchboard-demo';

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
let setupError: unknown;

async function newPage(viewport = { width: 1440, height: 860 }): Promise<{ page: Page; problems: string[] }> {
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

async function consoleSignIn(page: Page, email: string): Promise<void> {
  await page.goto('/console');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('queue-count').waitFor();
}

/** A customer signs in to the chat and asks for a person; returns their page and the conversation id. */
async function customerAsksForAPerson(email: string, name: string): Promise<{ page: Page; problems: string[]; conversationId: string; frames: string[] }> {
  const customer = await newPage({ width: 1100, height: 820 });
  const c = customer.page;
  // Everything the customer's sockets receive.
  const frames: string[] = [];
  c.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(String(payload))));
  await c.goto('/');
  await c.getByRole('button', { name: 'Sign in' }).click();
  const form = c.locator('form.signin');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => c.locator('.whoami').textContent()).toContain(name);
  const box = c.getByLabel('Your message');
  await box.fill('I want to talk to a person about a double charge');
  await box.press('Enter');
  await expect.poll(() => c.getByTestId('handoff-banner').textContent()).toMatch(/Waiting for a person.*Ticket TCK-/);
  const conversationId = (await c.locator('.chat-shell').getAttribute('data-conversation-id'))!;
  return { ...customer, conversationId, frames };
}

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

describe('staff console workspace in Chromium', () => {
  it('lets an agent change the ticket status, priority and assignee, write a private note, send a canned reply inserted with "/", and find the work by search and filters', async () => {
    const customer = await customerAsksForAPerson('alice@example.com', 'Alice');
    const { conversationId } = customer;
    const staff = await newPage();
    const s = staff.page;
    await consoleSignIn(s, 'agent@example.com');
    const sam = (await getUserByEmail(app.t.deps.db, 'agent@example.com'))!;
    await s.locator(`.queue-item[data-conversation-id="${conversationId}"]`).click();
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');

    // The ticket beside the conversation: its priority changes from the console, on the server too.
    const side = pane.getByRole('complementary', { name: 'Conversation details' });
    const ticketNumber = (await side.locator('#ticket-title .mono').textContent())!;
    expect(ticketNumber).toMatch(/^TCK-\d{6}$/);
    const priority = side.getByLabel(`Priority of ${ticketNumber}`);
    expect(await priority.inputValue()).toBe('normal');
    const patched = s.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/tickets\//.test(r.url()));
    await priority.selectOption('urgent');
    expect((await patched).status()).toBe(200);
    const ticketId = (await side.locator('.ticket-controls').getAttribute('data-ticket-id'))!;
    expect((await getTicket(app.t.deps.db, ticketId))?.priority).toBe('urgent');
    expect(await priority.inputValue()).toBe('urgent');
    // Its status and its assignee (a colleague) too, each a PATCH the server keeps.
    const riley = (await getUserByEmail(app.t.deps.db, 'riley@example.com'))!;
    const statusPatched = s.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/tickets\//.test(r.url()));
    await side.getByLabel(`Status of ${ticketNumber}`).selectOption('pending');
    expect((await statusPatched).status()).toBe(200);
    const assigneePatched = s.waitForResponse((r) => r.request().method() === 'PATCH' && /\/api\/v1\/tickets\//.test(r.url()));
    await side.getByLabel(`Assignee of ${ticketNumber}`).selectOption(riley.id);
    expect((await assigneePatched).status()).toBe(200);
    expect(await getTicket(app.t.deps.db, ticketId)).toMatchObject({ status: 'pending', priority: 'urgent', assignedTo: riley.id });
    expect(await side.getByLabel(`Status of ${ticketNumber}`).inputValue()).toBe('pending');
    expect(await side.getByLabel(`Assignee of ${ticketNumber}`).inputValue()).toBe(riley.id);

    // A private note: listed for staff, never on the customer's screen nor on their open socket.
    await customer.page.locator('main[data-socket="online"]').waitFor(LIVE);
    const note = 'Double charge confirmed in billing: refund approved by finance (private).';
    await side.getByLabel('Add a private note').fill(note);
    await side.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => side.getByRole('list', { name: 'Private notes' }).locator('.note-body').last().textContent()).toBe(note);
    expect(await side.locator('.note-meta').last().textContent()).toContain('Sam Agent');

    // "/" opens the canned replies, filled in for Alice and Sam; Enter inserts, Enter again sends.
    const box = pane.getByLabel('Reply to the customer');
    await box.click();
    await box.pressSequentially('/gre', { delay: 30 });
    const picker = pane.getByRole('listbox', { name: 'Canned replies' });
    await picker.waitFor();
    const first = picker.getByRole('option').first();
    expect(await first.locator('code').textContent()).toBe('/greeting');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await shot(s, 'console-canned-picker');
    await box.press('Enter');
    const filled = "Hi Alice, this is Sam from support. Thanks for waiting, I'm looking into this now.";
    await expect.poll(() => box.inputValue()).toBe(filled);
    expect(await picker.count()).toBe(0);
    await box.press('Enter');
    await expect.poll(() => customer.page.locator('li.msg-staff').last().locator('.bubble-text').textContent()).toBe(filled);
    await expect.poll(() => pane.locator('li.msg-staff').last().locator('.bubble-text').textContent()).toBe(filled);
    await shot(s, 'console-workspace');

    // The customer never sees the note: not on the page, not in anything the page received.
    const received: string[] = [];
    customer.page.on('response', async (r) => {
      if (r.url().includes('/api/')) received.push(await r.text().catch(() => ''));
    });
    await customer.page.reload();
    await expect.poll(() => customer.page.locator('li.msg-staff').last().locator('.bubble-text').textContent()).toBe(filled);
    expect(await customer.page.content()).not.toContain('refund approved by finance');
    expect(received.length).toBeGreaterThan(0);
    expect(received.join('\n')).not.toContain('refund approved by finance');
    expect(customer.frames.length).toBeGreaterThan(0);
    expect(customer.frames.join('\n')).not.toContain('refund approved by finance');
    await shot(customer.page, 'chat-canned-reply');

    // Tickets: filtered by status, priority and assignee and searched by number, the row shows the changes.
    await s.getByRole('button', { name: 'Tickets' }).click();
    const tickets = s.getByRole('form', { name: 'Search tickets' });
    const row = s.locator(`tbody tr[data-ticket-number="${ticketNumber}"]`);
    // The page opens on open tickets: a pending one is not among them.
    const byNumber = s.waitForResponse((r) => r.url().includes('/api/v1/tickets?') && r.url().includes(`q=${ticketNumber}`) && r.url().includes('status=open'));
    await tickets.getByLabel('Search tickets by number, subject or customer').fill(ticketNumber);
    expect((await byNumber).status()).toBe(200);
    await expect.poll(() => s.locator('tbody td.muted').textContent()).toBe('No tickets');
    await tickets.getByLabel('Status').selectOption('pending');
    await tickets.getByLabel('Priority').selectOption('urgent');
    await tickets.getByLabel('Assignee').selectOption({ label: 'Riley Park' });
    await row.waitFor();
    await expect.poll(() => s.locator('tbody tr[data-ticket-number]').count()).toBe(1);
    expect(await row.getByLabel(`Priority of ${ticketNumber}`).inputValue()).toBe('urgent');
    expect(await row.getByLabel(`Status of ${ticketNumber}`).inputValue()).toBe('pending');
    expect(await row.getByLabel(`Assignee of ${ticketNumber}`).inputValue()).toBe(riley.id);
    await shot(s, 'console-tickets-filtered');
    // Sam's own tickets do not hold it.
    const mine = s.waitForResponse((r) => r.url().includes('/api/v1/tickets?') && r.url().includes(`assigned_to=${sam.id}`));
    await tickets.getByLabel('Assignee').selectOption({ label: 'me' });
    await mine;
    await expect.poll(() => row.count()).toBe(0);

    // Search: Alice's conversations that a person holds, by her email.
    await s.getByRole('button', { name: 'Inbox' }).click();
    await s.getByRole('button', { name: 'Search' }).click();
    const search = s.getByRole('form', { name: 'Search conversations' });
    await search.getByLabel('Conversation status').selectOption('human');
    await search.getByLabel('Search by subject, customer name or email').fill('alice@example.com');
    const found = s.getByRole('list', { name: 'Conversations found' }).locator(`.queue-item[data-conversation-id="${conversationId}"]`);
    await found.waitFor();
    await expect.poll(() => s.getByRole('list', { name: 'Conversations found' }).locator('.queue-item').count()).toBeGreaterThanOrEqual(1);
    // Each further filter keeps it when it matches and drops it when it does not, read from the server's answer.
    const searched = async (param: string, change: () => Promise<unknown>, kept: boolean) => {
      const answered = s.waitForResponse((r) => r.url().includes('/api/v1/staff/conversations?') && r.url().includes(param));
      await change();
      expect((await answered).status()).toBe(200);
      await expect.poll(() => found.count(), { message: param }).toBe(kept ? 1 : 0);
    };
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await searched('route=faq', () => search.getByLabel('Route').selectOption('faq'), false);
    await searched('route=escalation', () => search.getByLabel('Route').selectOption('escalation'), true);
    await searched(`assigned_to=${riley.id}`, () => search.getByLabel('Assignee').selectOption(riley.id), false);
    await searched(`assigned_to=${sam.id}`, () => search.getByLabel('Assignee').selectOption({ label: 'me' }), true);
    await searched(`from=${tomorrow}`, () => search.getByLabel('From', { exact: true }).fill(tomorrow), false);
    await searched(`from=${today}`, () => search.getByLabel('From', { exact: true }).fill(today), true);
    await searched(`to=${today}`, () => search.getByLabel('To', { exact: true }).fill(today), true);
    await shot(s, 'console-search');
    expect(staff.problems).toEqual([]);
    expect(customer.problems).toEqual([]);
  });

  it('lets an admin reassign and release a conversation an agent holds, which the agent cannot do to a colleague, and an agent hand on their own', async () => {
    // Bob: a customer of his own, so nothing of the first test's conversation is in his chat.
    const customer = await customerAsksForAPerson('bob@example.com', 'Bob');
    const { conversationId } = customer;
    const db = app.t.deps.db;
    const [sam, riley] = await Promise.all([getUserByEmail(db, 'agent@example.com'), getUserByEmail(db, 'riley@example.com')]);
    // Riley holds it.
    const rileyToken = await app.t.login('riley@example.com');
    const took = await app.t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/takeover`, headers: { authorization: `Bearer ${rileyToken}` } });
    expect(took.statusCode).toBe(200);

    // Sam (an agent) sees who holds it and cannot release or reassign it.
    const agent = await newPage();
    await consoleSignIn(agent.page, 'agent@example.com');
    await agent.page.goto(`/console?c=${conversationId}`);
    const agentPane = agent.page.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await expect.poll(() => agentPane.locator('.banner').textContent()).toContain('Riley Park holds this conversation');
    expect(await agentPane.getByRole('button', { name: 'Release to AI' }).isDisabled()).toBe(true);
    expect(await agentPane.getByLabel('Assign the conversation to').isDisabled()).toBe(true);

    // Ada (an admin) reassigns it to Sam; everyone, the customer included, sees the new holder.
    const admin = await newPage();
    await consoleSignIn(admin.page, 'admin@example.com');
    await admin.page.goto(`/console?c=${conversationId}`);
    const pane = admin.page.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await expect.poll(() => pane.locator('.banner').textContent()).toContain('As an admin you can release it');
    const assign = pane.getByLabel('Assign the conversation to');
    await expect.poll(() => assign.isDisabled()).toBe(false);
    await assign.selectOption(sam!.id);
    await expect.poll(async () => (await getConversation(db, conversationId))?.assignedTo).toBe(sam!.id);
    await expect.poll(() => customer.page.getByTestId('handoff-banner').textContent()).toContain("You're chatting with Sam Agent");
    await expect.poll(() => agentPane.locator('.banner').textContent()).toContain('You hold this conversation');
    expect(await agentPane.getByLabel('Reply to the customer').isDisabled()).toBe(false);
    expect(riley).toBeDefined();
    await shot(admin.page, 'console-admin-reassign');

    // The admin manages canned replies (add, edit, delete); the new one is offered by "/" at once.
    await admin.page.getByRole('button', { name: 'Canned replies' }).click();
    const form = admin.page.getByRole('form', { name: 'New canned reply' });
    await form.getByLabel('Shortcut').fill('double-charge');
    await form.getByLabel('Title').fill('Double charge');
    await form.getByLabel('Text').fill('Sorry about the double charge, {{customer.first_name}}. Your ticket is {{ticket.number}}.');
    await form.getByRole('button', { name: 'Add' }).click();
    await admin.page.locator('tbody tr[data-shortcut="double-charge"]').waitFor();
    await shot(admin.page, 'console-canned-replies');
    const box = agentPane.getByLabel('Reply to the customer');
    await box.click();
    await box.pressSequentially('/double', { delay: 20 });
    const option = agentPane.getByRole('listbox', { name: 'Canned replies' }).getByRole('option').first();
    await expect.poll(() => option.locator('.canned-text').textContent()).toMatch(/^Sorry about the double charge, Bob\. Your ticket is TCK-\d{6}\.$/);
    await box.press('Escape');
    await box.fill('');
    // Ada edits it: Sam's "/" offers the new text once he opens the conversation again.
    const cannedRow = admin.page.locator('tbody tr[data-shortcut="double-charge"]');
    await cannedRow.getByRole('button', { name: 'Edit' }).click();
    const edit = admin.page.getByRole('form', { name: 'Edit canned reply' });
    await edit.getByLabel('Text').fill('Sorry about the double charge, {{customer.first_name}}: it is refunded today.');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => cannedRow.locator('.canned-body').textContent()).toBe('Sorry about the double charge, {{customer.first_name}}: it is refunded today.');
    await agent.page.reload();
    await agentPane.getByLabel('Reply to the customer').click();
    await agentPane.getByLabel('Reply to the customer').pressSequentially('/double', { delay: 20 });
    await expect
      .poll(() => agentPane.getByRole('listbox', { name: 'Canned replies' }).getByRole('option').first().locator('.canned-text').textContent())
      .toBe('Sorry about the double charge, Bob: it is refunded today.');
    await agentPane.getByLabel('Reply to the customer').press('Escape');
    await agentPane.getByLabel('Reply to the customer').fill('');
    // Deleted, it is gone from the server's list.
    admin.page.once('dialog', (d) => void d.accept());
    await cannedRow.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => cannedRow.count()).toBe(0);
    const adminToken = await app.t.login('admin@example.com');
    const listed = (await app.t.app.inject({ method: 'GET', url: '/api/v1/staff/canned-replies', headers: { authorization: `Bearer ${adminToken}` } })).json().items as { shortcut: string }[];
    expect(listed.map((r) => r.shortcut)).not.toContain('double-charge');
    expect(listed.length).toBeGreaterThan(0);

    // Sam hands the conversation he holds on to a colleague: Riley holds it, and Bob is told.
    await agentPane.getByLabel('Assign the conversation to').selectOption(riley!.id);
    await expect.poll(async () => (await getConversation(db, conversationId))?.assignedTo).toBe(riley!.id);
    await expect.poll(() => customer.page.getByTestId('handoff-banner').textContent()).toContain("You're chatting with Riley Park");
    await expect.poll(() => agentPane.locator('.banner').textContent()).toContain('Riley Park holds this conversation');
    expect(await agentPane.getByLabel('Reply to the customer').isDisabled()).toBe(true);

    // Ada releases it although Riley holds it: the AI answers again, and everyone sees so.
    await admin.page.goto(`/console?c=${conversationId}`);
    await expect.poll(() => pane.locator('.banner').textContent()).toContain('Riley Park holds this conversation');
    await pane.getByRole('button', { name: 'Release to AI' }).click();
    await expect.poll(async () => (await getConversation(db, conversationId))?.status).toBe('active');
    expect((await getConversation(db, conversationId))?.assignedTo).toBeNull();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('active');
    await expect.poll(() => agentPane.getAttribute('data-status')).toBe('active');
    await expect.poll(() => customer.page.getByTestId('handoff-banner').textContent()).toContain('Back with the assistant');
    expect(agent.problems).toEqual([]);
    expect(admin.problems).toEqual([]);
  });

  it('shows the passages the FAQ agent gets for a question, with their scores ("test a question")', async () => {
    const { page, problems } = await newPage();
    await consoleSignIn(page, 'agent@example.com');
    await page.getByRole('button', { name: 'Test a question' }).click();
    const form = page.getByRole('form', { name: 'Test a question' });
    await form.getByLabel('Question').fill('How long does shipping take?');
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/knowledge/search?'));
    await form.getByRole('button', { name: 'Search' }).click();
    const passages = page.getByRole('list', { name: 'Passages found' }).locator('li.passage');
    await expect.poll(() => passages.count()).toBe(5);
    // What the page got over HTTP from GET /api/v1/knowledge/search: document id, slug, title, chunk and score of each passage, as shown.
    const res = await answered;
    expect(res.status()).toBe(200);
    expect(new URL(res.url()).searchParams.get('limit')).toBe('5');
    const got = ((await res.json()) as { items: { document_id: string; slug: string; title: string; chunk: string; score: number }[] }).items;
    expect(got).toHaveLength(5);
    for (const h of got) {
      expect(h.document_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(h.slug).toMatch(/^[a-z0-9-]+$/);
      expect(h.title.length).toBeGreaterThan(0);
      expect(h.chunk.length).toBeGreaterThan(0);
      expect(typeof h.score).toBe('number');
    }
    expect(await passages.locator('.passage-head strong').allTextContents()).toEqual(got.map((h) => h.title));
    expect(await passages.locator('.passage-text').allTextContents()).toEqual(got.map((h) => h.chunk));
    // The same passages, in the same order, as the API (and so the agent) gives.
    const token = await app.t.login('agent@example.com');
    const api = (await app.t.app.inject({ method: 'GET', url: '/api/v1/knowledge/search?q=How%20long%20does%20shipping%20take%3F&limit=5', headers: { authorization: `Bearer ${token}` } })).json() as {
      items: { slug: string; score: number }[];
    };
    expect(await passages.evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')))).toEqual(api.items.map((h) => h.slug));
    expect(await passages.first().locator('.passage-score').textContent()).toBe(`score ${api.items[0]!.score.toFixed(4)}`);
    expect(api.items[0]!.slug).toMatch(/shipping/);
    await shot(page, 'console-knowledge-test');
    expect(problems).toEqual([]);
  });
});
