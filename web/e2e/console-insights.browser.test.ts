// The console's knowledge base, analytics, usage and customer context, in Chromium against the real
// service (real PostgreSQL and Redis, the offline engine). WEB_SCREENSHOTS=<dir> saves the screens.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { getConversation } from '../../src/db/queries/conversations.js';
import { customers, llmUsage } from '../../src/db/schema.js';
import { makePdf } from '../../test/pdf.js';
import { launchChromium, type RunningApp, startHostSite, startWebApp } from './harness.js';
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
    // The API process runs the job workers too, so ingestion happens as in a one-process deployment.
    app = await startWebApp({ JOBS_WORKER_IN_API: 'true', LLM_BUDGET_CUSTOMER_DAY_USD: '0.5', LLM_BUDGET_CONVERSATION_USD: '0.2' });
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

/** A help-center page with navigation and a footer around the article. */
function helpPage(expiry: string): string {
  return `<!doctype html><html><head><title>Loyalty points · Acme help center</title></head><body>
  <header><nav><a href="/">Home</a> <a href="/pricing">Pricing</a> <a href="/login">Log in</a></nav></header>
  <main><article><h1>Loyalty points</h1>
  <p>Every order earns loyalty points: one point for each euro spent, credited when the order is delivered and shown in your account.</p>
  <h2>Redeeming points</h2><p>At checkout, 100 loyalty points take 5 euros off the order. Points cannot be exchanged for cash.</p>
  <h2>When points expire</h2><p>${expiry}</p>
  <h2>Returns and points</h2><p>When you return an order, the loyalty points it earned are taken back; points you redeemed are given back.</p>
  </article></main><footer>© Acme 2026 · Cookie settings · Imprint</footer></body></html>`;
}

describe('staff console insights in Chromium', () => {
  it('lets an admin write, preview, find, deactivate and delete articles, import files and a web page, and re-sync the page', async () => {
    const { page, problems } = await pages.open();
    await consoleSignIn(page, 'admin@example.com');
    await page.getByRole('button', { name: 'Knowledge base' }).click();
    const kb = page.getByRole('region', { name: 'Knowledge base' });
    const rows = kb.getByRole('table', { name: 'Articles' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(20);

    // A new article in markdown, with its preview beside it.
    await kb.getByRole('button', { name: 'New article' }).click();
    const editor = kb.getByRole('form', { name: 'New article' });
    await editor.getByLabel('Title').fill('Bicycle delivery');
    await editor.getByLabel('Category').fill('shipping');
    await editor.getByLabel('Markdown').fill('Parcels in the city centre go by cargo bike.\n\n## Delivery window\n\nCargo bikes deliver **between 8 and 20**, on the day you order before noon.');
    const preview = editor.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('h2').textContent()).toBe('Delivery window');
    expect(await preview.locator('strong').textContent()).toBe('between 8 and 20');
    await shot(page, 'console-knowledge-editor');
    await editor.getByRole('button', { name: 'Add article' }).click();
    const bike = kb.locator('tr[data-slug="bicycle-delivery"]');
    await expect.poll(() => bike.getByTestId('ingest-status').textContent(), { timeout: 15_000 }).toBe('Ready · 2 passages, 2 embedded');

    // Search finds it; an edit keeps the unchanged passage's embedding.
    await kb.getByLabel('Search articles').fill('cargo bike');
    await expect.poll(() => rows.count()).toBe(1);
    await bike.getByRole('button', { name: 'Edit' }).click();
    const editForm = kb.getByRole('form', { name: 'Edit article' });
    expect(await editForm.getByLabel('Markdown').inputValue()).toContain('**between 8 and 20**');
    await editForm.getByLabel('Markdown').fill('Parcels in the city centre go by cargo bike.\n\n## Delivery window\n\nCargo bikes deliver between 7 and 21, every *day* of the week.');
    // The edit's preview follows the text.
    await expect.poll(() => editForm.getByRole('region', { name: 'Preview' }).locator('p').last().textContent()).toBe('Cargo bikes deliver between 7 and 21, every day of the week.');
    expect(await editForm.getByRole('region', { name: 'Preview' }).locator('em').textContent()).toBe('day');
    await kb.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => bike.getByTestId('ingest-status').textContent(), { timeout: 15_000 }).toBe('Ready · 2 passages, 1 embedded');

    // Deactivated, it is shown as inactive and the FAQ agent's search no longer finds it; activated again, it does.
    const admin = await app.t.login('admin@example.com');
    const searchSlugs = async () =>
      (
        (await app.t.app.inject({ method: 'GET', url: '/api/v1/knowledge/search?q=cargo%20bike%20delivery%20window&limit=10', headers: { authorization: `Bearer ${admin}` } })).json().items as {
          slug: string;
        }[]
      ).map((h) => h.slug);
    expect(await searchSlugs()).toContain('bicycle-delivery');
    await bike.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => bike.textContent()).toContain('inactive');
    await expect.poll(searchSlugs).not.toContain('bicycle-delivery');
    await bike.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => bike.textContent()).not.toContain('inactive');
    await expect.poll(searchSlugs).toContain('bicycle-delivery');

    // Files of four kinds.
    await kb.getByLabel('Search articles').fill('');
    await kb.getByLabel('Category for imports').fill('policies');
    await kb.getByLabel('Import files (.md, .html, .txt, .pdf)').setInputFiles([
      { name: 'gift-cards.md', mimeType: 'text/markdown', buffer: Buffer.from('# Gift cards\n\nGift cards never expire and work for any order in the shop.') },
      { name: 'store-hours.txt', mimeType: 'text/plain', buffer: Buffer.from('The Lisbon flagship store opens from 9 to 19 on weekdays.') },
      {
        name: 'kettle-repairs.html',
        mimeType: 'text/html',
        buffer: Buffer.from(
          '<html><head><title>Kettle repairs</title></head><body><nav>Home · Shop</nav><article><h1>Kettle repairs</h1><p>Send a broken kettle back with its order number; we repair it within ten business days, free of charge within the warranty.</p></article></body></html>',
        ),
      },
      { name: 'warranty.pdf', mimeType: 'application/pdf', buffer: Buffer.from(makePdf(['Every kettle has a three year warranty against limescale damage.'], 'Kettle warranty')) },
    ]);
    await expect.poll(() => kb.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Imported “Gift cards”, “Store hours”, “Kettle repairs”, “Kettle warranty”');
    for (const slug of ['gift-cards', 'store-hours', 'kettle-repairs', 'kettle-warranty']) {
      await expect.poll(() => kb.locator(`tr[data-slug="${slug}"]`).getByTestId('ingest-status').textContent(), { timeout: 15_000 }).toMatch(/^Ready · 1 passage/);
    }
    expect(await kb.locator('tr[data-slug="kettle-warranty"] .kb-source').textContent()).toBe('File warranty.pdf');

    // A web page served here: its readable part only; a re-sync after one section changed embeds one passage.
    const site = await startHostSite();
    try {
      site.setHtml(helpPage('Loyalty points expire 24 months after the order that earned them.'));
      const pageUrl = `${site.origin.replace('localhost', '127.0.0.1')}/`;
      await kb.getByLabel('Page address').fill(pageUrl);
      await kb.getByRole('button', { name: 'Import page' }).click();
      await expect.poll(() => kb.getByRole('status').textContent(), { timeout: 15_000 }).toBe('Imported “Loyalty points” from the page');
      const loyalty = kb.locator('tr[data-slug="loyalty-points"]');
      await expect.poll(() => loyalty.getByTestId('ingest-status').textContent(), { timeout: 15_000 }).toBe('Ready · 4 passages, 4 embedded');
      expect(await loyalty.locator('.kb-source').textContent()).toBe(`Page ${pageUrl}`);
      await loyalty.getByRole('button', { name: 'Edit' }).click();
      const content = await kb.getByRole('form', { name: 'Edit article' }).getByLabel('Markdown').inputValue();
      expect(content).toContain('## When points expire');
      expect(content).not.toMatch(/Pricing|Log in|Cookie settings/);
      await kb.getByRole('button', { name: 'Cancel' }).click();

      await loyalty.getByRole('button', { name: 'Re-sync' }).click();
      await expect.poll(() => kb.getByRole('status').textContent()).toBe('“Loyalty points” is unchanged');
      site.setHtml(helpPage('Loyalty points now expire 36 months after the order that earned them.'));
      await loyalty.getByRole('button', { name: 'Re-sync' }).click();
      await expect.poll(() => kb.getByRole('status').textContent()).toBe('“Loyalty points” changed: re-ingesting the passages that changed');
      await expect.poll(() => loyalty.getByTestId('ingest-status').textContent(), { timeout: 15_000 }).toBe('Ready · 4 passages, 1 embedded');
      await shot(page, 'console-knowledge');
    } finally {
      await site.close();
    }

    // The FAQ agent's search now finds the new text (the "Test a question" page).
    await page.getByRole('button', { name: 'Test a question' }).click();
    await page.locator('#tester-q').fill('When do loyalty points expire?');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Passages found' }).textContent()).toContain('36 months');

    // Deleted, it is gone.
    await page.getByRole('button', { name: 'Knowledge base' }).click();
    page.once('dialog', (d) => void d.accept());
    await kb.locator('tr[data-slug="store-hours"]').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => kb.getByRole('status').textContent()).toBe('Deleted “Store hours”');
    // The list is read again after the delete: wait for the row to go, not for one read of it.
    await expect.poll(() => kb.locator('tr[data-slug="store-hours"]').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('shows the customer beside a held conversation (plan, invoices, orders, past conversations and tickets, linked) and what is known of a visitor', async () => {
    const customer = await pages.open({ viewport: { width: 1100, height: 820 } });
    await chatSignIn(customer.page, 'bob@example.com', 'Bob');
    await say(customer.page, 'How long does shipping to Canada take?');
    await expect.poll(() => customer.page.locator('li.msg-assistant').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const earlier = (await customer.page.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    await customer.page.getByRole('button', { name: 'Start a new conversation' }).click();
    await expect.poll(() => customer.page.locator('.chat-shell').getAttribute('data-conversation-id')).not.toBe(earlier);
    const conversationId = await askForAPerson(customer.page);
    expect(conversationId).not.toBe(earlier);

    const staff = await pages.open();
    const s = staff.page;
    await consoleSignIn(s, 'agent@example.com');
    await s.locator(`.queue-item[data-conversation-id="${conversationId}"]`).click();
    const pane = s.locator(`section.pane[data-conversation-id="${conversationId}"]`);
    await pane.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => pane.getAttribute('data-status')).toBe('human');
    const side = pane.getByTestId('customer-context');
    await expect.poll(() => side.locator('h3').textContent()).toBe('Customer');
    const [bob] = await app.t.deps.db.select().from(customers).where(eq(customers.email, 'bob@example.com'));
    expect(await side.locator('.cc-who strong').textContent()).toBe(bob!.name);
    expect(await side.locator('.cc-who').textContent()).toContain('bob@example.com');
    expect(await side.getByTestId('customer-plan').textContent()).toMatch(/^Plan \S+/);
    expect(await side.getByRole('list', { name: 'Latest invoices' }).locator('li').count()).toBeGreaterThan(0);
    expect(await side.getByRole('list', { name: 'Latest orders' }).locator('li').count()).toBeGreaterThan(0);
    expect(await side.getByRole('list', { name: 'Tickets' }).textContent()).toMatch(/TCK-\d{6}/);
    // The ticket of this conversation links to it.
    expect(await side.getByRole('list', { name: 'Tickets' }).locator(`a[href="/console?c=${conversationId}"]`).textContent()).toMatch(/^TCK-\d{6}$/);
    await shot(s, 'console-customer-context');

    // The past conversation is a link that opens it in the console.
    const past = side.getByRole('list', { name: 'Past conversations' }).locator(`a[data-conversation-id="${earlier}"]`);
    expect(await past.textContent()).toContain('shipping to Canada');
    await past.click();
    await s.locator(`section.pane[data-conversation-id="${earlier}"]`).waitFor();

    // A visitor: not signed in, with the email they left.
    const visitor = await pages.open({ viewport: { width: 1100, height: 820 } });
    await visitor.page.goto('/');
    await say(visitor.page, 'Can I talk to a human please?');
    await expect.poll(() => visitor.page.locator('li.msg-assistant').last().textContent(), { timeout: 15_000 }).toMatch(/email/);
    await say(visitor.page, 'sure, it is visitor.kim@example.org');
    await expect.poll(() => visitor.page.getByTestId('handoff-banner').textContent(), { timeout: 15_000 }).toMatch(/Ticket TCK-/);
    const visitorConversation = (await visitor.page.locator('.chat-shell').getAttribute('data-conversation-id'))!;
    await s.goto(`/console?c=${visitorConversation}`);
    const facts = s.locator(`section.pane[data-conversation-id="${visitorConversation}"]`).getByTestId('customer-context');
    await expect.poll(() => facts.locator('h3').textContent()).toBe('Visitor');
    expect(await facts.getByTestId('visitor-facts').textContent()).toContain('Left the email visitor.kim@example.org');
    expect(customer.problems.concat(staff.problems, visitor.problems)).toEqual([]);
  });

  it('charts analytics for staff (routes, containment, handoff rate and reasons, CSAT, cost, answer time) over a date range and exports them as CSV', async () => {
    // Conversations of today: two answered questions with ratings, one handed to a person.
    const inject = (url: string, payload: unknown, token?: string) => app.t.app.inject({ method: 'POST', url, payload: payload as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const rated: string[] = [];
    for (const [question, rating] of [
      ['How long does shipping to Canada take?', 5],
      ['What is your return policy?', 4],
    ] as const) {
      const turn = (await inject('/api/v1/chat', { message: question })).json();
      expect((await inject(`/api/v1/conversations/${turn.conversation_id}/feedback`, { rating }, turn.conversation_token)).statusCode).toBeLessThan(300);
      rated.push(turn.conversation_id);
    }
    const handed = (await inject('/api/v1/chat', { message: 'I want to talk to a person about a double charge' }, await app.t.login('alice@example.com'))).json();
    const reason = (await getConversation(app.t.deps.db, handed.conversation_id))!.handoffReason!;
    expect(reason).toBeTruthy();
    // Model calls of two of them, as a provider would have recorded them (the offline engine costs nothing).
    const usage = (conversationId: string, model: string, costUsd: number) => ({ conversationId, provider: 'openai', model, agent: 'faq', costUsd, inputTokens: 900, outputTokens: 120 });
    const recorded = await app.t.deps.db
      .insert(llmUsage)
      .values([usage(rated[0]!, 'gpt-4o-mini', 0.0012), usage(rated[0]!, 'gpt-4o', 0.003), usage(rated[1]!, 'gpt-4o-mini', 0.0008)])
      .returning({ id: llmUsage.id });

    const { page, problems } = await pages.open({ viewport: { width: 1440, height: 1400 }, acceptDownloads: true });
    await consoleSignIn(page, 'agent@example.com');
    await page.getByRole('button', { name: 'Analytics' }).click();
    const view = page.getByRole('region', { name: 'Analytics' });
    await expect.poll(() => view.getByTestId('kpi-conversations').textContent()).toMatch(/^\d+$/);
    const today = new Date().toISOString().slice(0, 10);
    const total = Number(await view.getByTestId('kpi-conversations').textContent());
    expect(total).toBeGreaterThanOrEqual(3);
    expect(await view.getByTestId('kpi-containment').textContent()).toMatch(/^\d+\.\d %$/);
    expect(await view.getByTestId('kpi-speed').textContent()).toMatch(/\d.* \/ \d/);
    expect(await view.locator('figure.chart canvas').count()).toBe(7);
    // Each chart carries its numbers as a table too: the routes of today add up to the total.
    const routes = view.getByTestId('chart-routes').locator('table');
    const head = await routes.locator('thead th').allTextContents();
    expect(head).toContain('faq');
    const cells = await routes.locator('tbody tr').last().locator('td').allTextContents();
    expect(cells[0]).toBe(today);
    expect(cells.slice(1).reduce((s, v) => s + Number(v), 0)).toBe(total);
    const todayRow = (chart: string) => view.getByTestId(chart).locator('tbody tr').last().locator('td').allTextContents();
    // Containment and handoff rate, in total and for today (they add up to 100 %).
    expect(await view.getByTestId('kpi-handoff').textContent()).toMatch(/^\d+\.\d %$/);
    expect(Number.parseFloat((await view.getByTestId('kpi-handoff').textContent())!)).toBeGreaterThan(0);
    const [, contained, handedOff] = await todayRow('chart-containment');
    expect(Number.parseFloat(contained!) + Number.parseFloat(handedOff!)).toBeCloseTo(100, 1);
    // The handoff reasons hold the double charge's.
    const rowsOf = (chart: string) =>
      view
        .getByTestId(chart)
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const reasons = await rowsOf('chart-reasons');
    expect(reasons.find(([r]) => r === reason.replace(/_/g, ' '))?.[1]).toMatch(/^[1-9]\d*$/);
    // CSAT: the distribution counts the 5 and the 4; today's average is theirs.
    expect(await rowsOf('chart-csat')).toEqual([
      ['1', '0'],
      ['2', '0'],
      ['3', '0'],
      ['4', '1'],
      ['5', '1'],
    ]);
    expect(await todayRow('chart-csat-trend')).toEqual([today, '4.50', '2']);
    // Cost: per conversation in total, per day by model.
    expect(await view.getByTestId('kpi-cost').textContent()).toBe(`$${(0.005 / total).toFixed(4)}`);
    expect(await view.getByTestId('chart-cost').locator('thead th').allTextContents()).toEqual(['day', 'gpt-4o', 'gpt-4o-mini']);
    expect(await todayRow('chart-cost')).toEqual([today, '$0.003000', '$0.002000']);
    // Answer time p50 / p95 of today's answers.
    const [, p50, p95] = await todayRow('chart-speed');
    expect(p50).toMatch(/^\d+(\.\d+)? m?s$/);
    expect(p95).toMatch(/^\d+(\.\d+)? m?s$/);
    // A canvas that chart.js drew on is not blank.
    const painted = await view
      .getByTestId('chart-routes')
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
        return n;
      });
    expect(painted).toBeGreaterThan(500);

    // The range: 7 days gives 7 rows; the CSV has a row per day and the same totals.
    const loaded = page.waitForResponse((r) => r.url().includes('/api/v1/analytics?'));
    await view.getByRole('button', { name: '7 days' }).click();
    await loaded;
    await expect.poll(() => routes.locator('tbody tr').count()).toBe(7);
    await shot(page, 'console-analytics');
    const download = page.waitForEvent('download');
    await view.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^analytics-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8')
      .trim()
      .split(/\r\n/);
    expect(csv).toHaveLength(8);
    const columns = csv[0]!.split(',');
    expect(columns.slice(0, 4)).toEqual(['day', 'conversations', 'handed_off', 'resolved']);
    expect(columns).toContain('route_faq');
    const last = csv.at(-1)!.split(',');
    expect(last[0]).toBe(today);
    expect(Number(last[1])).toBe(total);
    expect(last[columns.indexOf('cost_usd')]).toBe('0.005');

    // Any from/to: the last three days.
    const threeDays = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const custom = page.waitForResponse((r) => r.url().includes(`/api/v1/analytics?from=${threeDays}&to=${today}`));
    await view.getByLabel('From', { exact: true }).fill(threeDays);
    expect((await custom).status()).toBe(200);
    await expect.poll(() => routes.locator('tbody tr').count()).toBe(3);
    expect(Number(await view.getByTestId('kpi-conversations').textContent())).toBe(total);
    expect(problems).toEqual([]);
    // The next test counts the spend it records itself.
    await app.t.deps.db.delete(llmUsage).where(
      inArray(
        llmUsage.id,
        recorded.map((r) => r.id),
      ),
    );
  });

  it("shows an admin the spend by day, model and agent and each budget's state", async () => {
    // Model calls as a provider would have recorded them: Alice at 90 % of her day, one conversation past its limit.
    const turn = (
      await app.t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: { authorization: `Bearer ${await app.t.login('alice@example.com')}` }, payload: { message: 'Where is my order?' } })
    ).json();
    const [alice] = await app.t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com'));
    const row = (model: string, agent: string, costUsd: number) => ({
      conversationId: turn.conversation_id,
      customerId: alice!.id,
      provider: 'openai',
      model,
      agent,
      costUsd,
      inputTokens: 1200,
      outputTokens: 300,
    });
    await app.t.deps.db.insert(llmUsage).values([row('gpt-4o-mini', 'router', 0.05), row('gpt-4o', 'account', 0.4)]);

    const { page, problems } = await pages.open({ viewport: { width: 1440, height: 1200 } });
    await consoleSignIn(page, 'admin@example.com');
    await page.getByRole('button', { name: 'Usage' }).click();
    const view = page.getByRole('region', { name: 'Usage and budgets' });
    await expect.poll(() => view.getByTestId('usage-cost').textContent()).toBe('$0.4500');
    expect(await view.getByTestId('budget-global').getAttribute('data-state')).toBe('ok');
    const customer = view.getByTestId('budget-customer').first();
    expect(await customer.getAttribute('data-state')).toBe('warning');
    expect(await customer.textContent()).toContain('$0.4500 of $0.50 · 90 %');
    expect(await view.getByTestId('budget-conversation').first().getAttribute('data-state')).toBe('exhausted');
    expect(await view.getByTestId('chart-usage-model').locator('tbody').textContent()).toContain('gpt-4o');
    expect(await view.getByTestId('chart-usage-agent').locator('tbody').textContent()).toContain('account');
    const today = new Date().toISOString().slice(0, 10);
    expect(await view.getByTestId('chart-usage-day').locator('tbody tr').last().textContent()).toContain(today);
    expect(await view.locator('figure.chart canvas').count()).toBe(3);
    await shot(page, 'console-usage');
    // Agents get neither this page nor the knowledge base's.
    const agent = await pages.open();
    await consoleSignIn(agent.page, 'agent@example.com');
    const agentNav = agent.page.getByRole('navigation', { name: 'Console' });
    await agentNav.getByRole('button', { name: 'Analytics' }).waitFor();
    expect(await agentNav.getByRole('button', { name: 'Usage' }).count()).toBe(0);
    expect(await agentNav.getByRole('button', { name: 'Knowledge base' }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
