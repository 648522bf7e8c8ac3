import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { makePdf } from '../../../test/pdf.js';
import { documentChunks } from '../../db/queries/knowledge.js';

/** A help-center page: navigation, the article, a footer; its sections can be changed between fetches. */
function helpPage(sections: { heading: string; text: string }[], title = 'Loyalty points'): string {
  return `<!doctype html><html><head><title>${title} · Acme help center</title></head><body>
  <header><nav><a href="/">Home</a> <a href="/pricing">Pricing</a> <a href="/login">Log in</a></nav></header>
  <main><article><h1>${title}</h1>
  <p>Every order earns loyalty points: one point for each euro spent, credited when the order is delivered and shown in your account.</p>
  ${sections.map((s) => `<h2>${s.heading}</h2><p>${s.text}</p>`).join('\n')}
  </article></main>
  <footer>© Acme 2026 · Cookie settings · Imprint</footer><script>window.tracking = true;</script></body></html>`;
}

const SECTIONS = [
  { heading: 'Redeeming points', text: 'At checkout, 100 loyalty points take 5 euros off the order. Points cannot be exchanged for cash or moved to another account.' },
  { heading: 'When points expire', text: 'Loyalty points expire 24 months after the order that earned them. We email you a reminder one month before points expire.' },
  { heading: 'Returns and points', text: 'When you return an order, the loyalty points it earned are taken back; points you redeemed on it are given back to you.' },
];

let server: Server;
let page = helpPage(SECTIONS);
let pageUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/help/loyalty-points') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else if (req.url === '/report.pdf') res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4');
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe.each(DRIVERS)('knowledge import (%s)', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    admin = { authorization: `Bearer ${await t.login('admin@example.com')}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  const importFile = (filename: string, content: string | Uint8Array, extra: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/knowledge/import', headers: admin, payload: { filename, content_base64: Buffer.from(content).toString('base64'), category: 'imported', ...extra } });
  const search = async (q: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/search?${new URLSearchParams({ q, limit: '5' })}`, headers: admin })).json().items as { slug: string; chunk: string }[];

  it('imports .md, .txt, .html and .pdf files as documents that become searchable', async () => {
    const md = await importFile(
      'gift-cards.md',
      '# Gift cards\n\nGift cards never expire and can be used for any order.\n\n## Balance\n\nThe remaining balance of a gift card stays on it for the next order.',
    );
    expect(md.statusCode).toBe(201);
    expect(md.json()).toMatchObject({
      document: { title: 'Gift cards', slug: 'gift-cards', source_type: 'file', source_name: 'gift-cards.md', ingest_status: 'pending' },
      extracted: { format: 'markdown' },
    });
    expect(md.json().document.content).not.toMatch(/^# Gift cards/);

    const txt = await importFile('store_opening-hours.txt', 'Our flagship store in Lisbon opens from 9 to 19 on weekdays and from 10 to 14 on Saturdays.');
    expect(txt.json().document).toMatchObject({ title: 'Store opening hours', slug: 'store-opening-hours' });

    const html = await importFile(
      'warranty.html',
      helpPage([{ heading: 'How to claim', text: 'Write to support with your order number and a photo of the defect of your kettle.' }], 'Kettle repairs'),
    );
    expect(html.json().document).toMatchObject({ title: 'Kettle repairs' });
    expect(html.json().document.content).toContain('## How to claim');
    expect(html.json().document.content).not.toMatch(/Cookie settings|Pricing|tracking/);

    const pdf = await importFile('kettle-warranty.pdf', makePdf(['Kettle warranty', 'Every kettle has a three year warranty against limescale damage.'], 'Kettle warranty terms'));
    expect(pdf.statusCode).toBe(201);
    expect(pdf.json()).toMatchObject({ document: { title: 'Kettle warranty terms', source_name: 'kettle-warranty.pdf' }, extracted: { format: 'pdf' } });
    expect(pdf.json().document.content).toContain('three year warranty against limescale');

    // The same title again gets the next free slug rather than a conflict.
    const again = await importFile('gift-cards.md', '# Gift cards\n\nA second copy of the gift card article.');
    expect(again.json().document.slug).toBe('gift-cards-2');

    await t.deps.jobs.idle();
    const ready = (await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/${pdf.json().document.id}`, headers: admin })).json();
    expect(ready).toMatchObject({ ingest_status: 'ready', chunks: 1, last_embedded: 1 });
    expect((await search('kettle limescale warranty')).map((h) => h.slug)).toContain('kettle-warranty-terms');
    expect((await search('flagship store Lisbon Saturdays')).map((h) => h.slug)).toContain('store-opening-hours');
  });

  it('refuses other file types (415), files without text (422) and callers who are not admins (403)', async () => {
    const exe = await importFile('setup.exe', 'MZ binary');
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.code).toBe('import_unsupported_type');
    const empty = await importFile('empty.txt', '   \n  ');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('import_empty');
    const broken = await importFile('broken.pdf', 'not a pdf at all');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('import_unreadable');
    const agent = { authorization: `Bearer ${await t.login('agent@example.com')}` };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/knowledge/import',
      headers: agent,
      payload: { filename: 'a.txt', content_base64: Buffer.from('Some text here.').toString('base64'), category: 'x1' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('imports the readable part of a web page and re-syncs it, embedding only the passages that changed', async () => {
    page = helpPage(SECTIONS);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/import-url', headers: admin, payload: { url: `${pageUrl}/help/loyalty-points`, category: 'account' } });
    expect(res.statusCode).toBe(201);
    const doc = res.json().document;
    expect(doc).toMatchObject({ title: 'Loyalty points', slug: 'loyalty-points', source_type: 'url', source_url: `${pageUrl}/help/loyalty-points`, synced_at: expect.any(String) });
    expect(doc.content).toContain('## When points expire');
    expect(doc.content).not.toMatch(/Log in|Cookie settings|Imprint|tracking/);
    await t.deps.jobs.idle();
    const first = (await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/${doc.id}`, headers: admin })).json();
    expect(first).toMatchObject({ ingest_status: 'ready', chunks: 4, last_embedded: 4 });
    const before = await documentChunks(t.deps.db, doc.id);
    expect((await search('when do loyalty points expire')).map((h) => h.slug)).toContain('loyalty-points');

    // The page has not changed: nothing is re-ingested.
    const same = await t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${doc.id}/sync`, headers: admin });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ changed: false, document: { ingest_status: 'ready', last_embedded: 4 } });

    // One section changes: one passage is embedded again, the other three keep their rows.
    page = helpPage([
      SECTIONS[0]!,
      { heading: 'When points expire', text: 'Loyalty points now expire 36 months after the order that earned them, and never while you have an active subscription.' },
      SECTIONS[2]!,
    ]);
    const changed = await t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${doc.id}/sync`, headers: admin });
    expect(changed.json()).toMatchObject({ changed: true, document: { ingest_status: 'pending' } });
    await t.deps.jobs.idle();
    const after = (await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/${doc.id}`, headers: admin })).json();
    expect(after).toMatchObject({ ingest_status: 'ready', chunks: 4, last_embedded: 1 });
    const chunks = await documentChunks(t.deps.db, doc.id);
    expect(chunks.filter((c) => before.some((b) => b.id === c.id))).toHaveLength(3);
    expect(chunks.find((c) => !before.some((b) => b.id === c.id))?.content).toContain('36 months');
    expect((await search('loyalty points expire months')).find((h) => h.slug === 'loyalty-points' && h.chunk.includes('36 months'))).toBeDefined();
  });

  it('says why a page cannot be imported or re-synced', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/import-url', headers: admin, payload: { url: `${pageUrl}/nothing`, category: 'account' } });
    expect(missing.statusCode).toBe(502);
    expect(missing.json().error).toMatchObject({ code: 'import_fetch_failed', message: expect.stringContaining('404') });
    const notPage = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/import-url', headers: admin, payload: { url: `${pageUrl}/report.pdf`, category: 'account' } });
    expect(notPage.statusCode).toBe(415);
    const ftp = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/import-url', headers: admin, payload: { url: 'ftp://example.com/a', category: 'account' } });
    expect(ftp.statusCode).toBe(400);
    const written = (
      await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: admin, payload: { title: 'Written here', category: 'misc', content: 'Written in the console, not imported.' } })
    ).json();
    const sync = await t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${written.id}/sync`, headers: admin });
    expect(sync.statusCode).toBe(409);
    expect(sync.json().error.code).toBe('knowledge_no_source');
  });

  it('finds documents by words in their title, slug or text and shows inactive ones when asked', async () => {
    const created = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/knowledge',
        headers: admin,
        payload: { title: 'Zebra crossing rules', category: 'misc', content: 'Parcels are never left at a zebra crossing.', is_active: false },
      })
    ).json();
    const active = (await t.app.inject({ method: 'GET', url: '/api/v1/knowledge?q=zebra', headers: admin })).json();
    expect(active.items).toHaveLength(0);
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/knowledge?q=ZEBRA&include_inactive=true', headers: admin })).json();
    expect(all.items.map((d: { id: string }) => d.id)).toEqual([created.id]);
    // LIKE wildcards are taken literally.
    const pct = (await t.app.inject({ method: 'GET', url: '/api/v1/knowledge?q=%25zebra&include_inactive=true', headers: admin })).json();
    expect(pct.items).toHaveLength(0);
  });
});
