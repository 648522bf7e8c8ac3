import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

describe.each(DRIVERS)('ticket routes (%s)', (driver) => {
  let t: TestApp;
  const token: Record<'alice' | 'bob' | 'agent' | 'admin', string> = { alice: '', bob: '', agent: '', admin: '' };
  let aliceCustomer: string;
  beforeAll(async () => {
    t = await createTestApp(driver);
    for (const who of Object.keys(token) as (keyof typeof token)[]) token[who] = await t.login(`${who}@example.com`);
    aliceCustomer = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token.alice}` } })).json().user.customer_id;
  });
  afterAll(async () => {
    await t?.close();
  });
  const as = (who: keyof typeof token) => ({ authorization: `Bearer ${token[who]}` });
  const open = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: as('agent'), payload });

  it('lets staff open a ticket for a customer, assigned to themselves', async () => {
    const res = await open({ subject: 'Refund', summary: 'Customer asked for a refund', customer_id: aliceCustomer, priority: 'high' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ subject: 'Refund', customer_id: aliceCustomer, priority: 'high', status: 'open', ticket_number: expect.stringMatching(/^TCK-\d{6}$/) });
    expect(res.json().assigned_to).toEqual(expect.any(String));
    const unknown = await open({ subject: 'x', summary: 'y', customer_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.field).toBe('customer_id');
  });

  it("shows a customer their own tickets only; another customer's is not found", async () => {
    const mine = (await open({ subject: 'Mine', summary: "Alice's", customer_id: aliceCustomer })).json();
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=100', headers: as('alice') })).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((x: { customer_id: string }) => x.customer_id === aliceCustomer)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${mine.id}`, headers: as('alice') })).statusCode).toBe(200);
    const bobList = (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?limit=100', headers: as('bob') })).json();
    expect(bobList.items.some((x: { id: string }) => x.id === mine.id)).toBe(false);
    const bob = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${mine.id}`, headers: as('bob') });
    expect(bob.statusCode).toBe(404);
    expect(bob.json().error.code).toBe('ticket_not_found');
  });

  it('pages through all tickets for staff by cursor, newest first, with filters', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; created_at: string }[]; next_cursor: string | null } = (
        await t.app.inject({ method: 'GET', url: `/api/v1/tickets?limit=7${cursor ? `&cursor=${cursor}` : ''}`, headers: as('admin') })
      ).json();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(7);
    const urgent = (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?priority=urgent&limit=100', headers: as('agent') })).json();
    expect(urgent.items.every((x: { priority: string }) => x.priority === 'urgent')).toBe(true);
  });

  it('lets staff change a ticket, and nobody else', async () => {
    const ticket = (await open({ subject: 'Change me', summary: 'x', customer_id: aliceCustomer })).json();
    const adminId = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: as('admin') })).json().user.id;
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: as('agent'), payload: { status: 'resolved', assigned_to: adminId } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'resolved', assigned_to: adminId });
    expect(Date.parse(res.json().updated_at)).toBeGreaterThanOrEqual(Date.parse(ticket.updated_at));
    const byCustomer = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: as('alice'), payload: { status: 'closed' } });
    expect(byCustomer.statusCode).toBe(403);
    const empty = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: as('agent'), payload: {} });
    expect(empty.statusCode).toBe(400);
    const toCustomer = await t.app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, headers: as('agent'), payload: { assigned_to: ticket.customer_id } });
    expect(toCustomer.statusCode).toBe(400);
  });

  it('filters tickets by customer, words, assignee and day for staff; a customer stays within their own', async () => {
    const bobCustomer = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: as('bob') })).json().user.customer_id;
    const mine = (await open({ subject: 'Invoice 100% wrong_total', summary: 'Filter fixture', customer_id: aliceCustomer })).json();
    const bobs = (await open({ subject: 'Router keeps rebooting', summary: 'Filter fixture', customer_id: bobCustomer })).json();
    const list = async (query: string, who: keyof typeof token = 'agent') => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?limit=100&${query}`, headers: as(who) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as { id: string; customer_id: string | null; assigned_to: string | null; ticket_number: string }[];
    };
    const ofAlice = await list(`customer_id=${aliceCustomer}`);
    expect(ofAlice.map((x) => x.id)).toContain(mine.id);
    expect(ofAlice.every((x) => x.customer_id === aliceCustomer)).toBe(true);
    // Words match the number, the subject (LIKE wildcards taken literally) or the customer's name/email.
    expect((await list('q=100%25%20wrong_total')).map((x) => x.id)).toEqual([mine.id]);
    expect((await list('q=0%25%20w')).map((x) => x.id)).toEqual([mine.id]);
    expect((await list(`q=${bobs.ticket_number}`)).map((x) => x.id)).toEqual([bobs.id]);
    expect((await list('q=bob%40example.com')).map((x) => x.id)).toContain(bobs.id);
    const sam = mine.assigned_to as string;
    expect((await list(`assigned_to=${sam}`)).map((x) => x.id)).toEqual(expect.arrayContaining([mine.id, bobs.id]));
    expect((await list('assigned_to=none')).every((x) => x.assigned_to === null)).toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`from=${today}&to=${today}&q=Router%20keeps`)).map((x) => x.id)).toEqual([bobs.id]);
    expect(await list('from=2001-01-01&to=2001-01-02&q=Router%20keeps')).toEqual([]);
    // A customer naming another customer still sees only their own.
    expect((await list(`customer_id=${bobCustomer}`, 'alice')).every((x) => x.customer_id === aliceCustomer)).toBe(true);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?from=2024-02-30', headers: as('agent') });
    expect(bad.statusCode).toBe(400);
  });
});

describe('ticket webhook (pglite)', () => {
  const received: { event: string; ticket_number: string; conversation_id: string | null; reason: string; priority: string; subject: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200).end('{}');
    });
  });
  let t: TestApp;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t = await createTestApp('pglite', { TICKET_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends a ticket a staff member opens to TICKET_WEBHOOK_URL, like one the escalation agent opens', async () => {
    const agent = { authorization: `Bearer ${await t.login('agent@example.com')}` };
    const staffOpened = (
      await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent, payload: { subject: 'Phone call: refund', summary: 'Called in about a refund', priority: 'high' } })
    ).json();
    const alice = { authorization: `Bearer ${await t.login('alice@example.com')}` };
    const chat = (await t.app.inject({ method: 'POST', url: '/api/v1/chat', headers: alice, payload: { message: 'I want to speak to a person' } })).json();
    await t.deps.jobs.idle();
    expect(received).toContainEqual({
      event: 'ticket.created',
      ticket_number: staffOpened.ticket_number,
      conversation_id: null,
      priority: 'high',
      reason: 'staff_opened',
      subject: 'Phone call: refund',
    });
    const escalated = received.find((e) => e.conversation_id === chat.conversation_id);
    expect(escalated).toMatchObject({ event: 'ticket.created', reason: 'customer_request' });
    expect(chat.assistant_message.content).toContain(escalated!.ticket_number);
    expect(received).toHaveLength(2);
  });
});
