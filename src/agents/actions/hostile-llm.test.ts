import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { staffViewOf } from '../../../test/staff-view.js';
import { offersTool, startFakeOpenAI, toolResults, wantsJson, type FakeOpenAI, type FakeStep } from '../../../test/fake-openai/server.js';
import { accountActions, customers, invoices, orders, refunds, subscriptions } from '../../db/schema.js';

// A hostile model (the fake OpenAI-compatible server, over real HTTP) that calls the write tool for
// another customer's order, claims the change is done without the customer's decision, proposes
// twice at once and again after a typed "yes": the account records never change.

const route: FakeStep = { match: wantsJson, json: { route: 'account', confidence: 0.95, reasoning: 'account' } };
const propose = (...args: Record<string, unknown>[]): FakeStep => ({
  match: (r) => offersTool('propose_action')(r) && toolResults(r).length === 0,
  toolCalls: args.map((a) => ({ name: 'propose_action', arguments: a })),
});
const claimDone: FakeStep = { match: (r) => !wantsJson(r) && toolResults(r).length > 0, reply: 'Done! I have cancelled it and refunded you.' };

describe.each(DRIVERS)('a hostile model cannot change account records (%s)', (driver) => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let alice: string;
  let bob: string;
  let aliceId: string;

  /** A hash of every record an action can change, as τ-bench compares end states. */
  async function recordsHash(): Promise<string> {
    const db = t.deps.db;
    const rows = [
      await db.select().from(orders).orderBy(orders.id),
      await db.select().from(subscriptions).orderBy(subscriptions.id),
      await db.select().from(invoices).orderBy(invoices.id),
      await db.select().from(refunds).orderBy(refunds.id),
    ];
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  }

  const chat = async (message: string, token: string, conversationId?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/chat',
      headers: { authorization: `Bearer ${token}` },
      payload: { message, ...(conversationId ? { conversation_id: conversationId } : {}) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    t = await createTestApp(driver, {
      LLM_PROVIDER: 'openai-compatible',
      LLM_BASE_URL: fake.url,
      LLM_MODEL: 'gpt-4o-mini',
      LLM_TIMEOUT_MS: '20000',
      LLM_RETRY_BASE_DELAY_MS: '5',
      LLM_BREAKER_FAILURES: '50',
    });
    [alice, bob] = await Promise.all([t.login('alice@example.com'), t.login('bob@example.com')]);
    aliceId = (await t.deps.db.select().from(customers).where(eq(customers.email, 'alice@example.com')))[0]!.id;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.setDefault({ status: 500 });
  });

  it("refuses another customer's order as not found, whatever customer id the model passes", async () => {
    const before = await recordsHash();
    fake.script(route, propose({ type: 'cancel_order', order_number: 'ORD-190001', customer_id: aliceId }), claimDone);
    const r = await chat('cancel ORD-190001', bob);
    // Staff see the refused call; bob is told only that the change was not possible, with no order of anyone's.
    expect(r.assistant_message.tool_calls).toBeUndefined();
    const call = (await staffViewOf(t, r.assistant_message)).tool_calls.find((c) => c.name === 'propose_action')!;
    expect(call.result).toMatchObject({ proposed: false, code: 'order_not_found' });
    expect(r.assistant_message.actions).toEqual([{ type: 'proposed_change', label: 'Checked the change you asked for (not possible as asked)', status: 'ok' }]);
    expect(r.assistant_message.pending_action).toBeNull();
    expect(await t.deps.db.select().from(accountActions)).toHaveLength(0);
    expect(await recordsHash()).toBe(before);
  });

  it('changes nothing when the model says it is done without the customer deciding, or after a typed "yes"', async () => {
    const before = await recordsHash();
    fake.script(route, propose({ type: 'cancel_order', order_number: 'ORD-190001' }), claimDone);
    const first = await chat('cancel my order ORD-190001', alice);
    expect(first.assistant_message.pending_action).toMatchObject({ type: 'cancel_order', status: 'pending' });
    // The customer types yes; the model proposes again and claims it is done.
    fake.script(route, propose({ type: 'cancel_order', order_number: 'ORD-190001' }), claimDone);
    const second = await chat('yes, I confirm', alice, first.conversation_id);
    expect(second.assistant_message.pending_action).toMatchObject({ status: 'pending' });
    const rows = await t.deps.db.select().from(accountActions).where(eq(accountActions.customerId, aliceId));
    expect(rows.map((a) => a.status)).toEqual(['pending', 'pending']);
    expect(await recordsHash()).toBe(before);
  });

  it('stores one proposal when the model proposes twice in one step', async () => {
    const before = await recordsHash();
    fake.script(route, propose({ type: 'request_refund', order_number: 'ORD-190003', reason: 'defective' }, { type: 'cancel_order', order_number: 'ORD-190002' }), claimDone);
    const r = await chat('refund and cancel everything', alice);
    const calls = (await staffViewOf(t, r.assistant_message)).tool_calls.filter((c) => c.name === 'propose_action');
    const results = calls.map((c) => c.result as { proposed: boolean; code?: string });
    expect(results.filter((x: { proposed: boolean }) => x.proposed)).toHaveLength(1);
    expect(results.filter((x: { code?: string }) => x.code === 'one_action_per_reply')).toHaveLength(1);
    // The customer is told of the one proposal (its Confirm and Cancel are the pending_action) and of the one refused.
    const told = r.assistant_message.actions as { type: string; label: string; order_number?: string }[];
    expect(told.map((a) => a.type)).toEqual(['proposed_change', 'proposed_change']);
    expect(told.filter((a) => a.order_number === r.assistant_message.pending_action.arguments.order_number)).toHaveLength(1);
    expect(await t.deps.db.select().from(accountActions).where(eq(accountActions.conversationId, r.conversation_id))).toHaveLength(1);
    expect(await recordsHash()).toBe(before);
  });
});
