import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

describe.each(DRIVERS)('canned replies (%s)', (driver) => {
  let t: TestApp;
  const token: Record<'alice' | 'agent' | 'admin', string> = { alice: '', agent: '', admin: '' };
  const as = (who?: keyof typeof token) => (who ? { authorization: `Bearer ${token[who]}` } : {});
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: keyof typeof token, payload?: object) => t.app.inject({ method, url, headers: as(who), ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp(driver);
    for (const who of Object.keys(token) as (keyof typeof token)[]) token[who] = await t.login(`${who}@example.com`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets admins add, change and delete canned replies; agents only read them', async () => {
    const body = { shortcut: 'Shipping-Delay', title: 'Shipping delay', body: 'Sorry {{customer.first_name}}, your parcel is delayed.' };
    const created = await call('POST', '/api/v1/staff/canned-replies', 'admin', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ shortcut: 'shipping-delay', title: 'Shipping delay', created_by: expect.any(String) });
    const id = created.json().id as string;
    expect((await call('POST', '/api/v1/staff/canned-replies', 'agent', { ...body, shortcut: 'other' })).statusCode).toBe(403);
    expect((await call('PUT', `/api/v1/staff/canned-replies/${id}`, 'agent', body)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/staff/canned-replies/${id}`, 'agent')).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/staff/canned-replies', 'alice')).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/staff/canned-replies')).statusCode).toBe(401);

    const listed = (await call('GET', '/api/v1/staff/canned-replies', 'agent')).json();
    expect(listed.items.map((r: { shortcut: string }) => r.shortcut)).toContain('shipping-delay');
    expect(listed.placeholders).toContain('customer.name');

    const dup = await call('POST', '/api/v1/staff/canned-replies', 'admin', body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('shortcut_taken');
    const changed = await call('PUT', `/api/v1/staff/canned-replies/${id}`, 'admin', { ...body, title: 'Parcel delayed' });
    expect(changed.json().title).toBe('Parcel delayed');
    const clash = await call('PUT', `/api/v1/staff/canned-replies/${id}`, 'admin', { ...body, shortcut: 'greeting' });
    expect(clash.statusCode).toBe(409);
    expect((await call('DELETE', `/api/v1/staff/canned-replies/${id}`, 'admin')).statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/staff/canned-replies/${id}`, 'admin')).statusCode).toBe(404);
    expect((await call('PUT', `/api/v1/staff/canned-replies/${id}`, 'admin', body)).json().error.code).toBe('canned_reply_not_found');
  });

  it('refuses a template with a placeholder it cannot fill, or a bad shortcut', async () => {
    const typo = await call('POST', '/api/v1/staff/canned-replies', 'admin', { shortcut: 'typo', title: 'Typo', body: 'Hi {{customer.nmae}}' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({ error: { code: 'unknown_placeholder', details: { unknown: ['customer.nmae'] } } });
    const bad = await call('POST', '/api/v1/staff/canned-replies', 'admin', { shortcut: 'has space', title: 'x', body: 'y' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it("fills placeholders from the conversation: the customer's name, the agent's name and the ticket number", async () => {
    const conversation = (await call('POST', '/api/v1/conversations', 'alice')).json().id as string;
    const escalated = await call('POST', `/api/v1/conversations/${conversation}/messages`, 'alice', { content: 'I want to speak to a person' });
    expect(escalated.json().assistant_message.agent).toBe('escalation');
    const ticket = (await call('GET', `/api/v1/staff/conversations/${conversation}`, 'agent')).json().ticket.ticket_number as string;
    expect(ticket).toMatch(/^TCK-\d{6}$/);
    await call('POST', '/api/v1/staff/canned-replies', 'admin', {
      shortcut: 'all-fields',
      title: 'All fields',
      body: 'Hi {{customer.name}} ({{customer.email}}), {{agent.name}} here about {{ticket.number}}.',
    });
    const filled = await call('GET', `/api/v1/conversations/${conversation}/canned-replies`, 'agent');
    expect(filled.statusCode).toBe(200);
    const reply = filled.json().items.find((r: { shortcut: string }) => r.shortcut === 'all-fields');
    expect(reply).toMatchObject({ text: `Hi Alice Martin (alice@example.com), Sam Agent here about ${ticket}.`, missing: [] });
    // The demo's greeting uses first names; for the admin it names the admin.
    const asAdmin = (await call('GET', `/api/v1/conversations/${conversation}/canned-replies`, 'admin')).json();
    expect(asAdmin.items.find((r: { shortcut: string }) => r.shortcut === 'greeting').text).toMatch(/^Hi Alice, this is Ada from support\./);

    // An anonymous visitor with no ticket: fallbacks, reported as missing.
    const visitor = (await call('POST', '/api/v1/conversations')).json().id as string;
    const anon = (await call('GET', `/api/v1/conversations/${visitor}/canned-replies`, 'agent')).json();
    expect(anon.items.find((r: { shortcut: string }) => r.shortcut === 'all-fields')).toMatchObject({
      text: 'Hi there (), Sam Agent here about .',
      missing: ['customer.name', 'customer.email', 'ticket.number'],
    });
    expect((await call('GET', `/api/v1/conversations/${visitor}/canned-replies`, 'alice')).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/conversations/00000000-0000-4000-8000-000000000000/canned-replies', 'agent')).statusCode).toBe(404);
  });
});
