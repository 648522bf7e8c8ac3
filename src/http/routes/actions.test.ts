import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { signBody, SIGNATURE_HEADER } from '../../jobs/ticket-notifications.js';
import { samplesOf, sumOf } from '../../../test/metrics.js';
import { accountActions, auditLog, customers, invoices, orders, refunds, subscriptions } from '../../db/schema.js';

describe.each(DRIVERS)('account actions protocol (%s)', (driver) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let agent: string;
  let aliceId: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const post = (url: string, token: string, payload?: object) => t.app.inject({ method: 'POST', url, headers: auth(token), ...(payload ? { payload } : {}) });
  const get = (url: string, token: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });
  const conversation = async (token = alice) => (await post('/api/v1/conversations', token)).json().id as string;
  const say = async (id: string, content: string, token = alice) => {
    const res = await post(`/api/v1/conversations/${id}/messages`, token, { content });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().assistant_message;
  };
  const decide = (id: string, actionId: string, decision: string, token = alice) => post(`/api/v1/conversations/${id}/actions/${actionId}`, token, { decision });
  const order = async (n: string) => (await t.deps.db.select().from(orders).where(eq(orders.orderNumber, n)))[0]!;
  const actionRow = async (id: string) => (await t.deps.db.select().from(accountActions).where(eq(accountActions.id, id)))[0]!;

  beforeAll(async () => {
    t = await createTestApp(driver);
    [alice, bob, agent] = await Promise.all([t.login('alice@example.com'), t.login('bob@example.com'), t.login('agent@example.com')]);
    aliceId = (await t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com')))[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('proposes a change of address without changing anything, and runs it once on Confirm', async () => {
    const id = await conversation();
    const before = await order('ORD-190001');
    const reply = await say(id, 'Please change the shipping address of ORD-190001 to 42 Elm Street, Portland, OR 97201, US');
    expect(reply.agent).toBe('account');
    expect(reply.pending_action).toMatchObject({ type: 'change_shipping_address', risk: 'confirm', status: 'pending', arguments: { order_number: 'ORD-190001' } });
    expect(Date.parse(reply.pending_action.expires_at)).toBeGreaterThan(Date.now());
    expect(reply.content).toContain('Confirm');
    expect((await order('ORD-190001')).shippingAddress).toEqual(before.shippingAddress);

    const res = await decide(id, reply.pending_action.id, 'confirm');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().action.status).toBe('completed');
    expect(res.json().message.content).toContain('42 Elm Street');
    expect((await order('ORD-190001')).shippingAddress).toMatchObject({ line1: '42 Elm Street', city: 'Portland', region: 'OR', postal_code: '97201', country: 'US' });
    const audit = await t.deps.db.select().from(auditLog).where(eq(auditLog.actionId, reply.pending_action.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'completed', actorType: 'customer', action: 'change_shipping_address', conversationId: id, messageId: reply.id });
    expect(audit[0]!.before).toMatchObject({ shipping_address: before.shippingAddress });
  });

  it('never executes on a typed "yes", and executes exactly once under ten concurrent confirmations', async () => {
    const id = await conversation();
    const reply = await say(id, 'Cancel my order ORD-190001 please');
    const actionId = reply.pending_action.id as string;
    expect(reply.pending_action).toMatchObject({ type: 'cancel_order', status: 'pending' });

    const yes = await say(id, 'yes');
    expect(yes.pending_action).toBeNull();
    expect((await order('ORD-190001')).status).toBe('pending');
    expect((await actionRow(actionId)).status).toBe('pending');

    const results = await Promise.all(Array.from({ length: 10 }, () => decide(id, actionId, 'confirm')));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().error.code).toBe('action_already_decided');
    const o = await order('ORD-190001');
    expect(o.status).toBe('canceled');
    const money = await t.deps.db.select().from(refunds).where(eq(refunds.actionId, actionId));
    expect(money.map((m) => m.amountCents)).toEqual([o.totalCents]);
    expect(
      await t.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.actionId, actionId), eq(auditLog.outcome, 'completed'))),
    ).toHaveLength(1);

    // A later decision changes nothing and says so; the conversation shows the current status and one outcome message.
    const again = await decide(id, actionId, 'decline');
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'action_already_decided', details: { status: 'completed' } });
    const convo = (await get(`/api/v1/conversations/${id}`, alice)).json();
    expect(convo.messages.find((m: { id: string }) => m.id === reply.id).pending_action.status).toBe('completed');
    expect(convo.messages.filter((m: { content: string }) => m.content.startsWith('Order ORD-190001 is canceled'))).toHaveLength(1);
  });

  it('declines: nothing changes, and the decision cannot be taken back', async () => {
    const id = await conversation();
    const reply = await say(id, 'I want to cancel order ORD-190002');
    expect(reply.pending_action).toMatchObject({ type: 'cancel_order', risk: 'confirm' });
    const res = await decide(id, reply.pending_action.id, 'decline');
    expect(res.statusCode).toBe(200);
    expect(res.json().action.status).toBe('declined');
    expect((await order('ORD-190002')).status).toBe('processing');
    const confirm = await decide(id, reply.pending_action.id, 'confirm');
    expect(confirm.statusCode).toBe(409);
    expect((await order('ORD-190002')).status).toBe('processing');
  });

  it('refuses what the policy does not allow, with the reason, and proposes nothing', async () => {
    const id = await conversation();
    const reply = await say(id, 'Please change the shipping address of ORD-190002 to 42 Elm Street, Portland, OR 97201, US');
    expect(reply.pending_action).toBeNull();
    expect(reply.content).toMatch(/picked and packed/);
    const shipped = await say(id, 'please cancel order ORD-190003');
    expect(shipped.pending_action).toBeNull();
    expect(shipped.content).toMatch(/delivered/);
  });

  it("gives 404 for another customer's action, an unknown one, or one from another conversation", async () => {
    const id = await conversation();
    const reply = await say(id, 'I want to cancel order ORD-190002');
    const actionId = reply.pending_action.id as string;
    expect((await decide(id, actionId, 'confirm', bob)).statusCode).toBe(404);
    const bobs = await conversation(bob);
    expect((await decide(bobs, actionId, 'confirm', bob)).statusCode).toBe(404);
    const other = await conversation();
    const wrong = await decide(other, actionId, 'confirm');
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('action_not_found');
    expect((await decide(id, '00000000-0000-4000-8000-000000000000', 'confirm')).json().error.code).toBe('action_not_found');
    expect((await actionRow(actionId)).status).toBe('pending');
    expect((await order('ORD-190002')).status).toBe('processing');
  });

  it('gives 409 for an expired proposal and changes nothing', async () => {
    const id = await conversation();
    const reply = await say(id, 'I want to cancel order ORD-190002');
    await t.deps.db
      .update(accountActions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accountActions.id, reply.pending_action.id));
    const res = await decide(id, reply.pending_action.id, 'confirm');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('action_expired');
    expect((await actionRow(reply.pending_action.id)).status).toBe('expired');
    expect((await order('ORD-190002')).status).toBe('processing');
  });

  it('sends a refund above the threshold to staff after the customer confirms; approval runs it once', async () => {
    const id = await conversation();
    const reply = await say(id, 'I would like to return order ORD-190003 for a refund');
    expect(reply.pending_action).toMatchObject({ type: 'request_refund', risk: 'approve', status: 'pending' });
    const actionId = reply.pending_action.id as string;
    // Staff cannot approve what the customer has not confirmed.
    expect((await post(`/api/v1/actions/${actionId}/approval`, agent, { decision: 'approve' })).json().error.code).toBe('action_awaiting_customer');
    const confirmed = await decide(id, actionId, 'confirm');
    expect(confirmed.json().action.status).toBe('confirmed');
    expect((await order('ORD-190003')).status).toBe('delivered');

    const queue = await get('/api/v1/actions?status=pending', agent);
    expect(queue.statusCode).toBe(200);
    // The approver sees who, what, which order and how much, and the conversation it came from.
    expect(queue.json().items.find((a: { id: string }) => a.id === actionId)).toMatchObject({
      customer: { email: 'alice@example.com', name: expect.any(String) },
      conversation_id: id,
      risk: 'approve',
      status: 'confirmed',
      amount_cents: 37500 - 995,
      currency: 'USD',
      order: { order_number: 'ORD-190003', status: 'delivered', total_cents: 37500, items: expect.arrayContaining([{ name: expect.any(String), quantity: 3 }]) },
      confirmed_at: expect.any(String),
    });
    expect((await get('/api/v1/actions?status=pending', alice)).statusCode).toBe(403);
    expect((await post(`/api/v1/actions/${actionId}/approval`, alice, { decision: 'approve' })).statusCode).toBe(403);

    const approvals = await Promise.all(Array.from({ length: 5 }, () => post(`/api/v1/actions/${actionId}/approval`, agent, { decision: 'approve' })));
    expect(approvals.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    const ok = approvals.find((r) => r.statusCode === 200)!.json();
    expect(ok.action.status).toBe('completed');
    expect(ok.message.content).toMatch(/RMA-\d{8}/);
    expect((await order('ORD-190003')).status).toBe('returned');
    const money = await t.deps.db.select().from(refunds).where(eq(refunds.actionId, actionId));
    expect(money.map((m) => m.amountCents)).toEqual([37500 - 995]);
    const audit = (await get(`/api/v1/actions/${actionId}/audit`, agent)).json().items;
    expect(audit.map((a: { outcome: string }) => a.outcome).sort()).toEqual(['completed', 'confirmed']);
    expect(audit.find((a: { outcome: string }) => a.outcome === 'completed').approver_id).toEqual(expect.any(String));
    // The registry (as /metrics exposes it) counts the outcome once and the approval wait once: 5 approvals raced, 1 ran.
    const samples = await samplesOf(t.deps.metrics.registry);
    expect(sumOf(samples, 'actions_total', { type: 'request_refund', outcome: 'completed' })).toBe(1);
    expect(sumOf(samples, 'actions_total', { type: 'request_refund', outcome: 'confirmed' })).toBe(1);
    expect(sumOf(samples, 'action_approval_wait_seconds_count')).toBe(1);
    expect(sumOf(samples, 'action_approval_wait_seconds_bucket', { le: '+Inf' })).toBe(1);
  });

  it('staff reject: nothing changes and the customer is told', async () => {
    const id = await conversation();
    const before = (await t.deps.db.select().from(subscriptions).where(eq(subscriptions.customerId, aliceId)))[0]!;
    const reply = await say(id, 'Please downgrade me to starter right now');
    expect(reply.pending_action).toMatchObject({ type: 'change_plan', risk: 'approve', arguments: { plan: 'starter', effective: 'now' } });
    expect((await decide(id, reply.pending_action.id, 'confirm')).statusCode).toBe(200);
    const scraped = await samplesOf(t.deps.metrics.registry);
    const res = await post(`/api/v1/actions/${reply.pending_action.id}/approval`, agent, { decision: 'reject', note: 'Downgrades apply at renewal.' });
    expect(res.statusCode).toBe(200);
    expect(res.json().action.status).toBe('rejected');
    expect(res.json().message.content).toContain('Downgrades apply at renewal.');
    const samples = await samplesOf(t.deps.metrics.registry);
    expect(sumOf(samples, 'actions_total', { type: 'change_plan', outcome: 'rejected' }) - sumOf(scraped, 'actions_total', { type: 'change_plan', outcome: 'rejected' })).toBe(1);
    expect(sumOf(samples, 'action_approval_wait_seconds_count') - sumOf(scraped, 'action_approval_wait_seconds_count')).toBe(1);
    const after = (await t.deps.db.select().from(subscriptions).where(eq(subscriptions.id, before.id)))[0]!;
    expect(after).toMatchObject({ plan: before.plan, seats: before.seats, priceCents: before.priceCents });
  });

  it('upgrades a plan at once and invoices the prorated difference', async () => {
    const id = await conversation();
    const reply = await say(id, 'Upgrade me to the business plan please');
    expect(reply.pending_action).toMatchObject({ type: 'change_plan', risk: 'confirm', arguments: { plan: 'business' } });
    expect(reply.content).toMatch(/prorated/);
    const res = await decide(id, reply.pending_action.id, 'confirm');
    expect(res.json().action.status).toBe('completed');
    const sub = (await t.deps.db.select().from(subscriptions).where(eq(subscriptions.customerId, aliceId)))[0]!;
    expect(sub).toMatchObject({ plan: 'business', seats: 2, priceCents: 9900 });
    const number = (await actionRow(reply.pending_action.id)).result!.invoice_number as string;
    const [invoice] = await t.deps.db.select().from(invoices).where(eq(invoices.invoiceNumber, number));
    expect(invoice).toMatchObject({ customerId: aliceId, status: 'open' });
    expect(invoice!.amountCents).toBeGreaterThan(0);
    expect(invoice!.amountCents).toBeLessThanOrEqual((9900 - 4900) * 2);
  });
});

describe.each(DRIVERS)('resend_invoice, the auto tier (%s)', (driver) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let aliceId: string;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200).end('{}');
    });
  });
  const say = async (token: string, content: string) => {
    const id = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${token}` } })).json().id as string;
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: { authorization: `Bearer ${token}` }, payload: { content } });
    expect(res.statusCode, res.body).toBe(201);
    return { id, reply: res.json().assistant_message };
  };

  beforeAll(async () => {
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    t = await createTestApp(driver, { TICKET_WEBHOOK_URL: url, TICKET_WEBHOOK_SECRET: 'resend-secret' });
    [alice, bob] = await Promise.all([t.login('alice@example.com'), t.login('bob@example.com')]);
    aliceId = (await t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com')))[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it("sends the customer's invoice at once through the notification webhook, once, with an audit row; a repeat within 10 minutes is refused", async () => {
    const [invoice] = await t.deps.db.select().from(invoices).where(eq(invoices.customerId, aliceId)).orderBy(desc(invoices.issuedOn)).limit(1);
    received.length = 0;
    const { id, reply } = await say(alice, `Please resend invoice ${invoice!.invoiceNumber}`);
    expect(reply.agent).toBe('account');
    expect(reply.pending_action).toMatchObject({ type: 'resend_invoice', risk: 'auto', status: 'completed', arguments: { invoice_number: invoice!.invoiceNumber } });
    expect(reply.content).toContain(`I've sent invoice ${invoice!.invoiceNumber}`);
    // The customer is told what was done, not the tool call behind it.
    expect(reply.tool_calls).toBeUndefined();
    expect(reply.actions).toContainEqual({ type: 'resent_invoice', label: `Sent invoice ${invoice!.invoiceNumber} again to your billing email`, status: 'ok', invoice_number: invoice!.invoiceNumber });
    expect(reply.content).toContain('alice@example.com');
    await t.deps.jobs.idle();
    expect(received).toHaveLength(1);
    const delivery = received[0]!;
    expect(JSON.parse(delivery.body)).toMatchObject({
      event: 'invoice.resend_requested',
      action_id: reply.pending_action.id,
      invoice_number: invoice!.invoiceNumber,
      amount_cents: invoice!.amountCents,
      customer_id: aliceId,
      billing_email: 'alice@example.com',
      conversation_id: id,
    });
    expect(delivery.headers['x-switchboard-delivery']).toBe(`invoice-resend-${reply.pending_action.id}`);
    expect(delivery.headers[SIGNATURE_HEADER]).toBe(signBody(delivery.body, 'resend-secret'));
    const audit = await t.deps.db.select().from(auditLog).where(eq(auditLog.actionId, reply.pending_action.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'completed', actorType: 'customer', action: 'resend_invoice', customerId: aliceId, conversationId: id, approverId: null });
    // Nothing to decide: a late "confirm" on an auto action changes nothing.
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${id}/actions/${reply.pending_action.id}`,
      headers: { authorization: `Bearer ${alice}` },
      payload: { decision: 'confirm' },
    });
    expect(late.statusCode).toBe(409);

    const again = await say(alice, `resend invoice ${invoice!.invoiceNumber} again please`);
    expect(again.reply.pending_action).toBeNull();
    expect(again.reply.content).toMatch(/already sent invoice .* to your billing email/);
    await t.deps.jobs.idle();
    expect(received).toHaveLength(1);
    const samples = await samplesOf(t.deps.metrics.registry);
    expect(sumOf(samples, 'actions_total', { type: 'resend_invoice', outcome: 'completed' })).toBe(1);
    expect(sumOf(samples, 'actions_total', { type: 'resend_invoice', outcome: 'refused' })).toBe(1);
  });

  it("does not send another customer's invoice: not found, nothing queued, nothing recorded", async () => {
    const [invoice] = await t.deps.db.select().from(invoices).where(eq(invoices.customerId, aliceId)).limit(1);
    received.length = 0;
    const { reply } = await say(bob, `Please resend invoice ${invoice!.invoiceNumber}`);
    expect(reply.pending_action).toBeNull();
    expect(reply.content).toContain(`couldn't find invoice ${invoice!.invoiceNumber}`);
    await t.deps.jobs.idle();
    expect(received).toHaveLength(0);
    const bobId = (await t.deps.db.select().from(customers).where(eq(customers.email, 'bob@example.com')))[0]!.id;
    expect(await t.deps.db.select().from(accountActions).where(eq(accountActions.customerId, bobId))).toHaveLength(0);
  });
});

describe.each(DRIVERS)('analytics: automated resolutions (%s)', (driver) => {
  let t: TestApp;
  let alice: string;
  let agent: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const turn = async (content: string) => {
    const id = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth(alice) })).json().id as string;
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: auth(alice), payload: { content } });
    expect(res.statusCode, res.body).toBe(201);
    return { id, action: res.json().assistant_message.pending_action as { id: string; status: string } | null };
  };
  const confirm = (id: string, actionId: string) => t.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/actions/${actionId}`, headers: auth(alice), payload: { decision: 'confirm' } });
  const analytics = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/analytics', headers: auth(agent) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestApp(driver);
    [alice, agent] = await Promise.all([t.login('alice@example.com'), t.login('agent@example.com')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts actions completed without a person (confirm and auto tiers), not those staff approved, proposed or declined', async () => {
    const before = (await analytics()).automated_resolutions;
    // Confirmed by the customer: automated.
    const cancel = await turn('Please cancel my order ORD-190001');
    expect((await confirm(cancel.id, cancel.action!.id)).json().action.status).toBe('completed');
    // The auto tier: automated.
    const resend = await turn("I didn't get my last invoice, please resend it");
    expect(resend.action).toMatchObject({ status: 'completed' });
    // Approved by staff: a person was needed.
    const refund = await turn('I would like to return order ORD-190003 for a refund');
    await confirm(refund.id, refund.action!.id);
    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/actions/${refund.action!.id}/approval`, headers: auth(agent), payload: { decision: 'approve' } });
    expect(approved.json().action.status).toBe('completed');
    // Proposed and left: nothing.
    await turn('I want to cancel order ORD-190002');

    const a = await analytics();
    const r = a.automated_resolutions;
    expect(r.actions - before.actions).toBe(2);
    expect(r.conversations - before.conversations).toBe(2);
    expect(r.staff_approved_actions - before.staff_approved_actions).toBe(1);
    const count = (type: string, x: { by_type: { type: string; count: number }[] }) => x.by_type.find((b) => b.type === type)?.count ?? 0;
    expect(count('cancel_order', r) - count('cancel_order', before)).toBe(1);
    expect(count('resend_invoice', r) - count('resend_invoice', before)).toBe(1);
    expect(count('request_refund', r)).toBe(count('request_refund', before));
    expect(r.rate).toBeCloseTo(r.conversations / a.conversations, 9);
  });
});
