// Notifications, presence and "typically replies in …" in Chromium against the real service: unread
// counts, sound, desktop notifications and the tab title in the console (each a setting kept on the
// device), staff presence through the server, and the customer's header with the team's real reply time.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConversation } from '../../src/db/queries/conversations.js';
import { insertMessage } from '../../src/db/queries/messages.js';
import { getUserByEmail } from '../../src/db/queries/users.js';
import { launchChromium, type RunningApp, startWebApp } from './harness.js';
import { askForAPerson, chatSignIn, consoleSignIn, Pages, say, shot } from './pages.js';

let app: RunningApp;
let browser: Browser;
let setupError: unknown;
const pages = new Pages(
  () => browser,
  () => app,
);
const BASE_TITLE = 'Staff console · Switchboard';

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

/** Records what the page shows as desktop notifications and how often it starts a sound (the browser's own APIs, wrapped). */
const RECORD = () => {
  const w = window as unknown as { __notes: { title: string; body?: string }[]; __chimes: number };
  w.__notes = [];
  w.__chimes = 0;
  class RecordedNotification {
    // A permission once given is kept, as the browser keeps it for the site.
    static permission: NotificationPermission = localStorage.getItem('test.notification-permission') === 'granted' ? 'granted' : 'default';
    static async requestPermission(): Promise<NotificationPermission> {
      RecordedNotification.permission = 'granted';
      localStorage.setItem('test.notification-permission', 'granted');
      return 'granted';
    }
    onclick: (() => void) | null = null;
    constructor(title: string, opts?: { body?: string }) {
      w.__notes.push({ title, body: opts?.body });
    }
  }
  (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
    w.__chimes++;
    return start.apply(this, args);
  };
};
const recorded = (page: Page) =>
  page
    .evaluate(() => window as unknown as { __notes: { title: string; body?: string }[]; __chimes: number })
    .then(() => page.evaluate(() => ({ notes: (window as unknown as { __notes: { title: string }[] }).__notes, chimes: (window as unknown as { __chimes: number }).__chimes })));

describe('notifications, presence and reply times (Chromium)', () => {
  it('counts unread, chimes, notifies and titles the tab for a new waiting conversation and a customer reply, as set', async () => {
    const staff = await pages.open();
    const s = staff.page;
    await staff.context.addInitScript(RECORD);
    await consoleSignIn(s, 'agent@example.com');

    // Settings: sound and title on by default; desktop asks the browser, then stays on after a reload.
    const settingsButton = s.getByRole('button', { name: 'Notification settings' });
    await settingsButton.click();
    const panel = s.getByRole('group', { name: 'Notification settings' });
    expect(await panel.getByLabel('Play a sound').isChecked()).toBe(true);
    expect(await panel.getByLabel('Count in the tab title').isChecked()).toBe(true);
    expect(await panel.getByLabel('Desktop notifications').isChecked()).toBe(false);
    await panel.getByLabel('Desktop notifications').check();
    await expect.poll(() => panel.getByLabel('Desktop notifications').isChecked()).toBe(true);
    await s.reload();
    await s.getByTestId('queue-count').waitFor();
    await s.getByRole('button', { name: 'Notification settings' }).click();
    expect(await s.getByRole('group', { name: 'Notification settings' }).getByLabel('Desktop notifications').isChecked()).toBe(true);
    await s.keyboard.press('Escape');
    expect(await s.title()).toBe(BASE_TITLE);

    // A new waiting conversation: its unread badge, a chime, a desktop notification, the title.
    const customer = await pages.open({ viewport: { width: 1000, height: 800 } });
    await chatSignIn(customer.page, 'alice@example.com', 'Alice');
    const conversationId = await askForAPerson(customer.page);
    const item = s.locator(`.queue-item[data-conversation-id="${conversationId}"]`);
    await expect.poll(() => item.getByTestId('unread').textContent()).toBe('1 unread');
    await expect.poll(() => s.title()).toBe(`(1) ${BASE_TITLE}`);
    const first = await recorded(s);
    expect(first.notes.map((n) => n.title)).toEqual(['A conversation is waiting']);
    expect(first.chimes).toBeGreaterThan(0);
    await s.getByRole('button', { name: 'Notification settings' }).click();
    await shot(s, 'console-notifications');
    await s.keyboard.press('Escape');

    // Reading it clears the count; taking it over follows it for replies.
    await item.click();
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');
    await expect.poll(() => s.title()).toBe(BASE_TITLE);
    await pane.getByLabel('Reply to the customer').fill('Hi Alice, Sam here.');
    await pane.getByLabel('Reply to the customer').press('Enter');
    await customer.page.locator('li.msg-staff').first().waitFor();

    // Sam looks at the tickets; Alice replies: counted, notified, in the title.
    await s.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Tickets' }).click();
    await say(customer.page, 'Thanks! Are you still there?');
    await expect.poll(() => s.title()).toBe(`(1) ${BASE_TITLE}`);
    await expect.poll(async () => (await recorded(s)).notes.map((n) => n.title)).toEqual(['A conversation is waiting', 'The customer replied']);
    // Back in the inbox the conversation is read again.
    await s.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Inbox' }).click();
    await expect.poll(() => s.title()).toBe(BASE_TITLE);

    // Each setting works alone, switched off one after the other while Sam is on the tickets.
    await s.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Tickets' }).click();
    const switchOff = async (label: string) => {
      await s.getByRole('button', { name: /^Notification settings/ }).click();
      await s.getByRole('group', { name: 'Notification settings' }).getByLabel(label).uncheck();
      await s.keyboard.press('Escape');
    };
    // Without the sound: notified and titled, no chime.
    await switchOff('Play a sound');
    let before = await recorded(s);
    await say(customer.page, 'One more question');
    await expect.poll(() => s.title()).toBe(`(1) ${BASE_TITLE}`);
    await expect.poll(async () => (await recorded(s)).notes.length).toBe(before.notes.length + 1);
    expect((await recorded(s)).chimes).toBe(before.chimes);
    // Without desktop notifications too: titled only.
    await switchOff('Desktop notifications');
    before = await recorded(s);
    await say(customer.page, 'And a second one');
    await expect.poll(() => s.title()).toBe(`(2) ${BASE_TITLE}`);
    let after = await recorded(s);
    expect(after.notes).toHaveLength(before.notes.length);
    expect(after.chimes).toBe(before.chimes);
    // Without the tab title as well: only counted.
    await switchOff('Count in the tab title');
    await expect.poll(() => s.title()).toBe(BASE_TITLE);
    before = await recorded(s);
    await say(customer.page, 'And a third one');
    await expect
      .poll(() =>
        s
          .getByRole('button', { name: /^Notification settings/ })
          .locator('.nav-count')
          .textContent(),
      )
      .toBe('3');
    expect(await s.title()).toBe(BASE_TITLE);
    after = await recorded(s);
    expect(after.notes).toHaveLength(before.notes.length);
    expect(after.chimes).toBe(before.chimes);
    expect(staff.problems).toEqual([]);
    expect(customer.problems).toEqual([]);
  });

  it('shows no desktop notification where the browser blocks them, and says so', async () => {
    const staff = await pages.open();
    const s = staff.page;
    // A browser whose user answers "Block" when the site asks; a notification made anyway is counted.
    await staff.context.addInitScript(() => {
      const w = window as unknown as { __made: number; Notification: unknown };
      w.__made = 0;
      class BlockedNotification {
        static permission: NotificationPermission = 'default';
        static async requestPermission(): Promise<NotificationPermission> {
          BlockedNotification.permission = 'denied';
          return 'denied';
        }
        onclick: (() => void) | null = null;
        constructor() {
          w.__made++;
        }
      }
      w.Notification = BlockedNotification;
    });
    await consoleSignIn(s, 'riley@example.com');
    await s.getByRole('button', { name: /^Notification settings/ }).click();
    const panel = s.getByRole('group', { name: 'Notification settings' });
    await panel.getByLabel('Desktop notifications').click();
    await expect.poll(() => panel.textContent()).toContain('The browser blocks notifications for this site');
    expect(await panel.getByLabel('Desktop notifications').isChecked()).toBe(false);
    await s.keyboard.press('Escape');
    // A conversation starts waiting: counted, and no desktop notification is made.
    const alice = await app.t.login('alice@example.com');
    const turn = (
      await app.t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: { authorization: `Bearer ${alice}` }, payload: { message: 'I want to talk to a person about my invoice' } })
    ).json();
    await expect.poll(() => s.locator(`.queue-item[data-conversation-id="${turn.conversation_id}"]`).getByTestId('unread').textContent()).toBe('1 unread');
    expect(await s.evaluate(() => (window as unknown as { __made: number }).__made)).toBe(0);
    expect(staff.problems).toEqual([]);
  });

  it('shows who on the team is online or away, from the server, and sets my own status', async () => {
    const riley = await app.t.login('riley@example.com');
    const put = await app.t.app.inject({ method: 'PUT', url: '/api/v1/staff/presence', headers: { authorization: `Bearer ${riley}` }, payload: { status: 'online' } });
    expect(put.statusCode).toBe(200);
    const { page, problems } = await pages.open();
    await consoleSignIn(page, 'admin@example.com');
    await page.getByRole('button', { name: 'Team presence' }).click();
    const panel = page.getByRole('group', { name: 'Team presence' });
    const team = panel.getByRole('list', { name: 'Team' });
    await expect.poll(() => team.locator('li[data-status="online"]').allTextContents()).toContain('Riley ParkOnline');
    // Ada goes away: the server says so to everyone (here: read back over the API as Sam).
    await panel.getByLabel('My status').selectOption('away');
    const sam = await app.t.login('agent@example.com');
    const status = async () =>
      ((await app.t.app.inject({ method: 'GET', url: '/api/v1/staff/presence', headers: { authorization: `Bearer ${sam}` } })).json().items as { name: string; status: string }[]).find(
        (m) => m.name === 'Ada Admin',
      )?.status;
    await expect.poll(status).toBe('away');
    await shot(page, 'console-presence');
    // Signing out is offline at once.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(status).toBe('offline');
    expect(problems).toEqual([]);
  });

  it('tells the customer how fast a person typically replies, from real staff replies', async () => {
    const sam = (await getUserByEmail(app.t.deps.db, 'agent@example.com'))!;
    // Three earlier conversations where a person answered 4 minutes after the customer wrote.
    for (let i = 0; i < 3; i++) {
      const { id } = await createConversation(app.t.deps.db, { channel: 'web' });
      const asked = new Date(Date.now() - (60 - i) * 60_000);
      await insertMessage(app.t.deps.db, { conversationId: id, role: 'user', content: 'Hello, a person please', createdAt: asked });
      await insertMessage(app.t.deps.db, { conversationId: id, role: 'staff', content: 'Hi!', authorId: sam.id, createdAt: new Date(asked.getTime() + 240_000) });
    }
    await app.t.deps.cache.del('support:response-time');
    const { page, problems } = await pages.open({ viewport: { width: 1000, height: 800 } });
    await page.goto('/');
    const presence = page.getByTestId('presence');
    await expect.poll(() => presence.textContent()).toBe('Instant answers · a person typically replies in 4 minutes');
    await shot(page, 'chat-reply-time');
    // The widget's framed chat says the same; once waiting for a person, it says when one replies.
    const widget = await pages.open({ viewport: { width: 420, height: 700 } });
    await chatSignIn(widget.page, 'bob@example.com', 'Bob');
    await askForAPerson(widget.page);
    await expect.poll(() => widget.page.getByTestId('presence').textContent()).toBe('A person typically replies in 4 minutes');
    const embed = await pages.open({ viewport: { width: 420, height: 700 } });
    await embed.page.goto('/embed');
    await expect.poll(() => embed.page.getByTestId('presence').textContent()).toBe('Instant answers · a person typically replies in 4 minutes');
    expect([...problems, ...widget.problems, ...embed.problems]).toEqual([]);
  });
});
