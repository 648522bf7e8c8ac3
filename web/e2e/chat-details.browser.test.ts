// Details of the customer chat and the widget in a real browser against the real service (issue 16):
// long messages, a staff account on the customer chat, stable citation numbers while streaming, the
// launcher's unread badge, keyboard use, and a visitor who signs in keeping their conversation.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, startHostSite, startWebApp, watchProblems, type RunningApp } from './harness.js';

const PASSWORD = 'switchboard-demo';
/** How long to wait for something that crosses the network (a shared CI machine can be slow). */
const LIVE = { timeout: 10_000 };

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

/** Types a message into the chat (a page, or the widget's frame) and sends it with Enter. */
async function ask(scope: { getByLabel(text: string): Locator }, text: string): Promise<void> {
  const box = scope.getByLabel('Your message');
  await box.fill(text);
  await box.press('Enter');
}

/** Signs in on the customer chat's form. */
async function signIn(page: Page, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  const form = page.locator('form.signin');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** A setup failure (no Chromium, say) fails every test with its message instead of skipping them. */
let setupError: unknown;

beforeAll(async () => {
  try {
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

describe('chat details in Chromium', () => {
  it('counts characters near the 8,000 limit and says so instead of cutting a longer text', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    const box = page.getByLabel('Your message');
    const count = page.getByTestId('composer-count');
    await box.fill('a'.repeat(7000));
    expect(await count.count()).toBe(0);
    await box.fill('a'.repeat(7500));
    expect(await count.textContent()).toBe('7,500 / 8,000 characters');
    // Pasted text over the limit is kept whole; the message says by how much, and nothing is sent.
    await box.fill('b'.repeat(8120));
    expect((await box.inputValue()).length).toBe(8120);
    expect(await count.textContent()).toBe('Too long to send: 8,120 characters, the limit is 8,000. Shorten it by 120.');
    expect(await count.getAttribute('role')).toBe('alert');
    expect(await page.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    await box.press('Enter');
    expect(await page.locator('li.msg-user').count()).toBe(0);
    // At the limit exactly, it goes, and the server takes it (the numbers agree with MAX_MESSAGE_CHARS).
    await box.fill(`${'c'.repeat(7990)} shipping`);
    expect((await box.inputValue()).length).toBe(7999);
    await box.press('Enter');
    await page.locator('li.msg-user:not(.pending)').waitFor();
    expect((await page.locator('li.msg-user .bubble-text').textContent())?.length).toBe(7999);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('tells a staff account on the customer chat why it is not signed in', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await signIn(page, 'agent@example.com');
    const error = page.locator('form.signin .form-error');
    await expect.poll(() => error.textContent(), LIVE).toMatch(/staff account.*\/console/);
    // The form stays with what was typed; nothing is signed in.
    expect(await page.locator('form.signin').getByLabel('Email').inputValue()).toBe('agent@example.com');
    expect(await page.locator('.whoami').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.chat.session'))).toBeNull();
    expect(problems).toEqual([]);
  });

  it('keeps citation numbers while the answer streams and after it ends', async () => {
    const { page, problems } = await newPage();
    // Token frames reach the page 25 ms apart, so the streaming answer is on screen long enough to read.
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      let chain = Promise.resolve();
      server.onMessage((m) => {
        // Token events come coalesced (one per 50 ms: an offline answer is two), and the completed
        // message may follow the last one at once, before the page has drawn it: it waits 250 ms.
        const text = String(m);
        const wait = text.includes('"type":"token"') ? 25 : text.includes('"type":"message.completed"') ? 250 : 0;
        chain = chain.then(() => new Promise((r) => setTimeout(r, wait))).then(() => ws.send(m));
      });
    });
    await page.goto('/');
    // Every state of the streaming bubble: the numbers its markers show.
    await page.evaluate(() => {
      const seen: number[][] = [];
      (window as unknown as { __markers: number[][] }).__markers = seen;
      new MutationObserver(() => {
        const live = document.querySelector('li.msg-assistant.streaming .bubble-text');
        if (!live) return;
        const text = live.textContent ?? '';
        const linked = Array.from(live.querySelectorAll('a.marker'), (a) => Number(a.textContent));
        const raw = Array.from(text.matchAll(/\[(\d+)\]/g), (m) => Number(m[1]));
        seen.push([...linked, ...raw]);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // The answers must stream over the socket (a send the socket cannot take within 3 s goes over
    // REST, whose tokens may all arrive in one chunk and render once): a greeting first opens the
    // conversation, whose token the socket then signs in with, and each question waits for it.
    await ask(page, 'Hello');
    await page.locator('li.msg-assistant:not(.streaming)').first().waitFor();
    // The engine cites passages of two articles (stored as 1, 2, 2), then the steps of one article
    // (several passages, all source 1): the numbers shown never change.
    for (const [i, question] of ['How long does shipping take?', 'How do I return an item?'].entries()) {
      await page.locator('main[data-socket="online"][data-conversation-id]').waitFor();
      await page.evaluate(() => {
        (window as unknown as { __markers: number[][] }).__markers.length = 0;
      });
      await ask(page, question);
      const answer = page.locator('li.msg-assistant:not(.streaming)').nth(i + 1);
      await answer.waitFor();
      const final = (await answer.locator('a.marker').allTextContents()).map(Number);
      // Which passages an answer cites can change with the search's tie order, so the final numbers
      // are checked for their form: several markers, numbered in order of first use from 1 ([1] [2] [2],
      // [1] [1] [2]); the second answer is the article's numbered steps, each citing the one article.
      expect(final.length).toBeGreaterThanOrEqual(3);
      for (const [k, n] of final.entries()) expect(n).toBeLessThanOrEqual(Math.max(0, ...final.slice(0, k)) + 1);
      if (i === 1) expect(new Set(final)).toEqual(new Set([1]));
      const seen = await page.evaluate(() => (window as unknown as { __markers: number[][] }).__markers);
      const withMarkers = seen.filter((s) => s.length > 0);
      expect(withMarkers.length).toBeGreaterThan(0);
      for (const s of withMarkers) expect(s).toEqual(final.slice(0, s.length));
    }
    expect(problems).toEqual([]);
  });

  it('badges the launcher for a reply that comes while the widget is closed, and shows it on reopening', async () => {
    host.setHtml(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body><h1>Acme Outdoor</h1>
        <script src="${app.url}/widget.js" data-switchboard-url="${app.url}" data-title="Acme help" async></script></body></html>`,
    );
    const { page, problems } = await newPage();
    await page.goto(host.origin);
    const launcher = page.locator('[data-switchboard-widget] > button');
    await launcher.click();
    const frame = page.frameLocator('iframe[title="Acme help chat"]');
    // Enough messages to fill the panel, then a handoff.
    for (const q of ['How long does shipping take?', 'How do I return an item?', 'I want to talk to a person']) {
      const before = await frame.locator('li.msg-assistant:not(.streaming)').count();
      await ask(frame, q);
      await frame.locator('li.msg-assistant:not(.streaming)').nth(before).waitFor();
    }
    const conversationId = await frame.locator('.chat-shell').getAttribute('data-conversation-id');
    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');

    // A staff member takes over and replies while the panel is closed.
    const staff = await app.t.login('agent@example.com');
    const auth = { authorization: `Bearer ${staff}` };
    expect((await app.t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/takeover`, headers: auth })).statusCode).toBe(200);
    const reply = 'Hi, Sam here. I have looked at your order and it left our warehouse this morning.';
    const posted = await app.t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/staff-messages`,
      headers: auth,
      payload: { content: reply, client_id: crypto.randomUUID() },
    });
    expect(posted.statusCode).toBeLessThan(300);
    const badge = page.locator('[data-switchboard-unread]');
    await expect.poll(() => badge.isVisible(), LIVE).toBe(true);
    expect(await badge.textContent()).toBe('1');
    expect(await launcher.getAttribute('aria-label')).toBe('Open Acme help chat, 1 new reply');

    // Reopened: the badge goes and the reply is in view, not cut off below the fold.
    await launcher.click();
    await expect.poll(() => badge.isVisible(), LIVE).toBe(false);
    const last = frame.locator('li.msg-staff').last();
    await expect.poll(() => last.locator('.bubble-text').textContent(), LIVE).toBe(reply);
    await expect
      .poll(() =>
        frame.locator('.messages').evaluate((list) => {
          const item = list.querySelector('li.msg-staff:last-of-type') as HTMLElement;
          const a = list.getBoundingClientRect();
          const b = item.getBoundingClientRect();
          return list.scrollHeight > list.clientHeight && b.top >= a.top && b.bottom <= a.bottom + 1;
        }),
      )
      .toBe(true);
    expect(await launcher.getAttribute('aria-label')).toBe('Close support chat');
    expect(problems).toEqual([]);
  });

  it('works from the keyboard: the widget focuses its message box when opened, and each source is one tab stop', async () => {
    host.setHtml(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body><h1>Acme Outdoor</h1><a href="#top">Top</a>
        <script src="${app.url}/widget.js" data-switchboard-url="${app.url}" data-title="Acme help" async></script></body></html>`,
    );
    const { page, problems } = await newPage({ width: 1280, height: 720 });
    await page.goto(host.origin);
    const launcher = page.locator('[data-switchboard-widget] > button');
    await launcher.waitFor();
    // Tab from the page's link to the launcher, open it with Enter: the chat's message box has focus.
    await page.getByRole('link', { name: 'Top' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName + (document.activeElement?.getAttribute('aria-expanded') ?? ''))).toBe('BUTTONfalse');
    await page.keyboard.press('Enter');
    const frame = page.frameLocator('iframe[title="Acme help chat"]');
    const focusedId = async () =>
      (await page
        .frames()
        .find((f) => f.url().includes('/embed'))
        ?.evaluate(() => (document.hasFocus() ? document.activeElement?.id : 'no focus'))) ?? 'no frame';
    await expect.poll(focusedId, LIVE).toBe('composer-input');
    // Typing goes straight to the chat.
    await page.keyboard.type('How do I return an item?');
    await page.keyboard.press('Enter');
    const answer = frame.locator('li.msg-assistant:not(.streaming)').last();
    await answer.waitFor();
    // Escape closes and gives focus back to the launcher; Enter opens again with the box focused.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(focusedId, LIVE).toBe('composer-input');

    // Each source is one tab stop (its summary); the [n] markers in the text are not extra stops.
    const sources = await answer.locator('.source-title').count();
    expect(sources).toBeGreaterThan(0);
    expect(await answer.locator('a.marker').count()).toBeGreaterThan(sources - 1);
    const stops = await answer.evaluate(
      (li) => Array.from(li.querySelectorAll<HTMLElement>('a[href], button, summary, input, textarea, [tabindex]')).filter((el) => el.tabIndex >= 0 && !el.hasAttribute('disabled')).length,
    );
    expect(stops).toBe(sources);
    expect(problems).toEqual([]);
  });

  it('keeps the conversation a visitor started when they sign in, and never hands it to another customer', async () => {
    const { page, problems } = await newPage();
    await page.goto('/');
    await ask(page, 'How long does shipping take?');
    await page.locator('li.msg-assistant:not(.streaming)').first().waitFor(LIVE);
    const shell = page.locator('.chat-shell');
    const id = (await shell.getAttribute('data-conversation-id'))!;
    const visitor = await page.evaluate(() => localStorage.getItem('switchboard.chat.visitor'));
    expect(visitor).toContain(id);

    // Signing in keeps it: same conversation, the first question still there, and the account agent answers in it.
    await signIn(page, 'alice@example.com');
    await page.locator('.whoami').waitFor(LIVE);
    await expect.poll(() => shell.getAttribute('data-conversation-id'), LIVE).toBe(id);
    expect(await page.locator('li.msg-user').first().textContent()).toContain('How long does shipping take?');
    await ask(page, 'What was my last invoice?');
    await expect.poll(() => page.locator('li.msg-assistant:not(.streaming)').nth(1).locator('.bubble-text').textContent(), LIVE).toMatch(/INV-\d{4}-\d+/);
    expect(await shell.getAttribute('data-conversation-id')).toBe(id);
    await page.reload();
    await expect.poll(() => page.locator('li.msg-user').count(), LIVE).toBe(2);
    expect(await shell.getAttribute('data-conversation-id')).toBe(id);
    const alice = await app.t.login('alice@example.com');
    const mine = await app.t.app.inject({ method: 'GET', url: '/api/v1/conversations?limit=100', headers: { authorization: `Bearer ${alice}` } });
    expect(mine.json().items.map((c: { id: string }) => c.id)).toContain(id);

    // Bob's browser holding the same visitor token (copied, say) signs in: he gets a fresh chat, not Alice's.
    const other = await newPage();
    await other.page.addInitScript((stored) => localStorage.setItem('switchboard.chat.visitor', stored), visitor!);
    await other.page.goto('/');
    await signIn(other.page, 'bob@example.com');
    await other.page.locator('.whoami').waitFor(LIVE);
    await expect.poll(() => other.page.evaluate(() => localStorage.getItem('switchboard.chat.visitor')), LIVE).toBeNull();
    expect(await other.page.locator('.chat-shell').getAttribute('data-conversation-id')).toBeNull();
    expect(await other.page.locator('li.msg-user').count()).toBe(0);
    expect(await other.page.getByRole('heading', { name: 'Hi! How can we help?' }).isVisible()).toBe(true);
    const bob = await app.t.login('bob@example.com');
    expect((await app.t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: { authorization: `Bearer ${bob}` } })).statusCode).toBe(404);
    expect((await app.t.app.inject({ method: 'GET', url: `/api/v1/conversations/${id}`, headers: { authorization: `Bearer ${alice}` } })).statusCode).toBe(200);
    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
  });

  it('lets the keyboard scroll the message list, rings focus at 3:1 or more, and gives every page a main landmark', async () => {
    const { page, problems } = await newPage({ width: 390, height: 700 });
    await page.goto('/');
    for (const q of ['How long does shipping take?', 'How do I return an item?']) {
      const before = await page.locator('li.msg-assistant:not(.streaming)').count();
      await ask(page, q);
      await page.locator('li.msg-assistant:not(.streaming)').nth(before).waitFor();
    }
    const list = page.getByRole('log', { name: 'Conversation' });
    expect(await list.getAttribute('tabindex')).toBe('0');
    await list.evaluate((el) => {
      el.style.scrollBehavior = 'auto';
      el.scrollTop = 0;
    });
    await list.focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

    // The focus ring of a control reached by Tab: its colour against what is behind it, at least 3:1.
    await page.getByLabel('Your message').focus();
    await page.keyboard.press('Shift+Tab');
    const ratio = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const behind = (() => {
        for (let n: HTMLElement | null = el.parentElement; n; n = n.parentElement) {
          const [r, g, b, a = 1] = rgba(getComputedStyle(n).backgroundColor);
          if (a > 0) return [r!, g!, b!];
        }
        return [255, 255, 255];
      })();
      const st = getComputedStyle(el);
      const rings = st.outlineStyle !== 'none' && Number.parseFloat(st.outlineWidth) >= 2 ? [st.outlineColor] : (st.boxShadow.match(/rgba?\([^)]*\)/g) ?? []);
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      const contrast = (ring: string) => {
        const [r, g, b, a = 1] = rgba(ring);
        const seen = [r!, g!, b!].map((v, i) => v * a + behind[i]! * (1 - a));
        const [hi, lo] = [lum(seen), lum(behind)].sort((x, y) => y - x);
        return (hi! + 0.05) / (lo! + 0.05);
      };
      return Math.max(0, ...rings.map(contrast));
    });
    expect(ratio).toBeGreaterThanOrEqual(3);

    // One main landmark on each page: the chat, the framed chat, the console before and after signing in.
    const mains = (p: Page) => p.evaluate(() => document.querySelectorAll('main, [role="main"]').length);
    expect(await mains(page)).toBe(1);
    await page.goto('/embed');
    await page.getByLabel('Your message').waitFor();
    expect(await mains(page)).toBe(1);
    // The framed chat's message box has the focus as soon as it loads (the widget opened with data-open, say).
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('composer-input');
    await page.goto('/console');
    await page.getByLabel('Email').waitFor();
    expect(await mains(page)).toBe(1);
    await page.getByLabel('Email').fill('agent@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.topbar-user').waitFor();
    expect(await mains(page)).toBe(1);
    expect(problems).toEqual([]);
  });
});
