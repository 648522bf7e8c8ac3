// The customer chat and the widget in Spanish and German (issue 16 item 14), in Chromium against the
// real service: the language comes from the browser (navigator.language) or the widget's data-locale;
// the UI strings come from the catalogue, numbers, money, times and dates from Intl for that locale.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { orders } from '../../src/db/schema.js';
import { launchChromium, LIVE, type RunningApp, startHostSite, startWebApp, watchProblems } from './harness.js';

let app: RunningApp;
let browser: Browser;
let host: Awaited<ReturnType<typeof startHostSite>>;
const contexts: BrowserContext[] = [];
let setupError: unknown;

/** With WEB_SCREENSHOTS=<dir>, saves a screenshot (docs/screenshots holds the docs' ones). */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.WEB_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
}

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

async function newPage(locale: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, baseURL: app.url, locale });
  contexts.push(context);
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

describe('languages in Chromium', () => {
  it('speaks Spanish to a Spanish browser: strings, the time of a message and the character count', async () => {
    const { page, problems } = await newPage('es-ES');
    await page.goto('/');
    await page.getByRole('heading', { name: '¡Hola! ¿En qué podemos ayudarte?' }).waitFor(LIVE);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    expect(await page.getByTestId('presence').textContent()).toBe('Solemos responder en segundos');
    expect(await page.getByRole('button', { name: 'Iniciar sesión' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: '¿Cuánto tarda el envío?' }).click();
    const mine = page.locator('li.msg-user:not(.pending)').first();
    await mine.waitFor(LIVE);
    expect(await mine.locator('.msg-author').textContent()).toBe('Tú');
    const answer = page.locator('li.msg-assistant:not(.streaming)').first();
    await answer.waitFor(LIVE);
    // The answering agent's name in Spanish (which agent answers a Spanish question is the router's business).
    expect(['Centro de ayuda', 'Asistente de cuenta', 'Asistente', 'Traspaso']).toContain(await answer.locator('.msg-author').textContent());
    // The time as Intl writes it in Spanish, from the message's own timestamp.
    const time = mine.locator('time');
    const expected = await time.evaluate((el) => new Intl.DateTimeFormat('es', { hour: '2-digit', minute: '2-digit' }).format(new Date(el.getAttribute('datetime')!)));
    expect(await time.textContent()).toBe(expected);
    const box = page.getByLabel('Tu mensaje');
    await box.fill('a'.repeat(7500));
    expect(await page.getByTestId('composer-count').textContent()).toBe(`${new Intl.NumberFormat('es').format(7500)} / ${new Intl.NumberFormat('es').format(8000)} caracteres`);
    expect(problems).toEqual([]);
  });

  it("speaks the widget's data-locale (German) in an English browser, launcher included", async () => {
    host.setHtml(
      `<!doctype html><html><head><title>Acme Outdoor</title></head><body><h1>Acme Outdoor</h1>
        <script src="${app.url}/widget.js" data-switchboard-url="${app.url}" data-title="Acme help" data-locale="de" async></script></body></html>`,
    );
    const { page, problems } = await newPage('en-US');
    await page.goto(host.origin);
    const launcher = page.locator('[data-switchboard-widget] > button');
    await expect.poll(() => launcher.getAttribute('aria-label'), LIVE).toBe('Acme help-Chat öffnen');
    await launcher.click();
    expect(await launcher.getAttribute('aria-label')).toBe('Support-Chat schließen');
    const frame = page.frameLocator('iframe[title="Acme help chat"]');
    await frame.getByRole('heading', { name: 'Hallo! Wie können wir helfen?' }).waitFor(LIVE);
    const embed = page.frames().find((f) => f.url().includes('/embed'))!;
    expect(await embed.evaluate(() => document.documentElement.lang)).toBe('de');
    const box = frame.getByLabel('Ihre Nachricht');
    await box.fill('Wie lange dauert der Versand?');
    await box.press('Enter');
    const mine = frame.locator('li.msg-user:not(.pending)').first();
    await mine.waitFor(LIVE);
    expect(await mine.locator('.msg-author').textContent()).toBe('Sie');
    const time = await mine
      .locator('time')
      .evaluate((el) => ({ shown: el.textContent, de: new Intl.DateTimeFormat('de', { hour: '2-digit', minute: '2-digit' }).format(new Date(el.getAttribute('datetime')!)) }));
    expect(time.shown).toBe(time.de);
    expect(time.shown).toMatch(/^\d{2}:\d{2}$/);
    await box.fill('a'.repeat(7500));
    expect(await frame.getByTestId('composer-count').textContent()).toBe('7.500 / 8.000 Zeichen');
    expect(await frame.getByRole('button', { name: 'Neue Unterhaltung beginnen' }).isVisible()).toBe(true);
    await frame.getByLabel('Ihre Nachricht').fill('');
    await frame.locator('li.msg-assistant:not(.streaming)').first().waitFor(LIVE);
    await shot(page, 'widget-de');
    expect(problems).toEqual([]);
  });
  it("writes money and dates as the locale does: an action card's amount and an earlier day's messages, in German", async () => {
    const { page, problems } = await newPage('de-DE');
    await page.goto('/');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const form = page.locator('form.signin');
    await form.getByLabel('E-Mail').fill('alice@example.com');
    await form.getByLabel('Passwort').fill('switchboard-demo');
    await form.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('.whoami').waitFor(LIVE);
    const box = page.getByLabel('Ihre Nachricht');
    await box.fill('Please cancel my order ORD-190001');
    await box.press('Enter');
    const card = page.locator('.action-card[data-action-status="pending"]');
    await card.waitFor(LIVE);
    // The amount the action moves, as German writes US dollars ("375,00 $"), beside the server's summary.
    const [order] = await app.t.deps.db.select().from(orders).where(eq(orders.orderNumber, 'ORD-190001'));
    const amount = new Intl.NumberFormat('de', { style: 'currency', currency: order!.currency }).format(order!.totalCents / 100);
    expect(amount).toMatch(/^\d[\d.]*,\d{2}\s\$$/);
    expect(await card.getByTestId('action-amount').textContent()).toBe(`Betrag: ${amount}`);
    expect(await card.getByRole('button', { name: 'Bestätigen' }).isVisible()).toBe(true);

    // Messages of an earlier day show their date, as German writes it ("4. Dez. 14:05").
    const conversationId = (await page.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    await app.t.deps.db.execute(sql`update messages set created_at = created_at - interval '3 days' where conversation_id = ${conversationId}`);
    await page.reload();
    const mine = page.locator('li.msg-user').first();
    await mine.waitFor(LIVE);
    const time = await mine.locator('time').evaluate((el) => {
      const d = new Date(el.getAttribute('datetime')!);
      const de = `${new Intl.DateTimeFormat('de', { month: 'short', day: 'numeric' }).format(d)} ${new Intl.DateTimeFormat('de', { hour: '2-digit', minute: '2-digit' }).format(d)}`;
      return { shown: el.textContent, de, daysAgo: Math.round((Date.now() - d.getTime()) / 86_400_000) };
    });
    expect(time.daysAgo).toBe(3);
    expect(time.shown).toBe(time.de);
    expect(time.shown).toMatch(/^\d{1,2}\. \S+ \d{2}:\d{2}$/);
    expect(problems).toEqual([]);
  });
});
