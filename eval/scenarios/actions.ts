/**
 * Account actions in τ-bench style: each scenario is a customer goal, a start state (Alice's action
 * records as the demo loads them, restored before and after every run), the expected end state
 * (compared exactly, as a hash of her orders, subscription, invoices and refunds) and facts the
 * reply must contain. The customer decides with the protocol's route (Confirm / Cancel); a staff
 * member approves where the tier says so. Runs on the offline engine (slots and the protocol).
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, like } from 'drizzle-orm';
import { accountActions, invoices, messages, orders, refunds, subscriptions } from '../../src/db/schema.js';
import { actionDemoOrders } from '../../src/demo/demo-data.js';
import { scenario, type Reply, type Scenario, type Session } from './harness.js';

const ACTION_ORDERS = ['ORD-190001', 'ORD-190002', 'ORD-190003', 'ORD-190004'];

/** Alice's records an action can change, in a canonical form. */
interface EndState {
  orders: Record<string, { status: string; address: unknown }>;
  subscription: { plan: string; seats: number; priceCents: number; scheduled: unknown };
  invoices: { count: number };
  refunds: { order: string | null; kind: string; cents: number }[];
}

async function aliceId(s: Session): Promise<string> {
  return s.persona.key === 'alice' ? s.persona.customerId! : s.customerOf('alice');
}

/** Puts Alice's action records back as the demo loads them (orders, subscription, no refunds or prorated invoices). */
async function restore(s: Session): Promise<void> {
  const id = await aliceId(s);
  await s.db.delete(refunds).where(eq(refunds.customerId, id));
  await s.db.delete(invoices).where(and(eq(invoices.customerId, id), like(invoices.description, 'Prorated change%')));
  for (const o of actionDemoOrders(id, new Date())) {
    const { id: orderId, ...values } = o;
    await s.db.update(orders).set(values).where(eq(orders.id, orderId!));
  }
  await s.db
    .update(subscriptions)
    .set({ plan: 'pro', seats: 2, priceCents: 4900, scheduledChange: null })
    .where(and(eq(subscriptions.customerId, id), eq(subscriptions.status, 'active')));
}

async function endState(s: Session): Promise<EndState> {
  const id = await aliceId(s);
  const rows = await s.db
    .select()
    .from(orders)
    .where(and(eq(orders.customerId, id), inArray(orders.orderNumber, ACTION_ORDERS)));
  const [sub] = await s.db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.customerId, id), eq(subscriptions.status, 'active')));
  const inv = await s.db.select().from(invoices).where(eq(invoices.customerId, id));
  const money = await s.db
    .select({ orderNumber: orders.orderNumber, kind: refunds.kind, cents: refunds.amountCents })
    .from(refunds)
    .leftJoin(orders, eq(orders.id, refunds.orderId))
    .where(eq(refunds.customerId, id));
  return {
    orders: Object.fromEntries(rows.sort((a, b) => a.orderNumber.localeCompare(b.orderNumber)).map((o) => [o.orderNumber, { status: o.status, address: o.shippingAddress }])),
    subscription: { plan: sub!.plan, seats: sub!.seats, priceCents: sub!.priceCents, scheduled: sub!.scheduledChange ? { plan: sub!.scheduledChange.plan, seats: sub!.scheduledChange.seats } : null },
    invoices: { count: inv.length },
    refunds: money.map((m) => ({ order: m.orderNumber, kind: m.kind, cents: m.cents })).sort((a, b) => `${a.order}${a.cents}`.localeCompare(`${b.order}${b.cents}`)),
  };
}

/** JSON with object keys sorted (jsonb does not keep key order). */
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
const hash = (x: unknown) => createHash('sha256').update(canonical(x)).digest('hex').slice(0, 12);

/** The action the reply proposes, as the stored message carries it. */
async function proposal(s: Session, r: Reply): Promise<{ id: string; risk: string; type: string } | null> {
  if (!r.messageId) return null;
  const [m] = await s.db.select({ p: messages.pendingAction }).from(messages).where(eq(messages.id, r.messageId));
  return m?.p ?? null;
}

async function decide(
  s: Session,
  actionId: string,
  decision: 'confirm' | 'decline',
): Promise<{ status: number; body: { action?: { status: string }; message?: { content: string }; error?: { code: string } } }> {
  const res = await s.world.app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${s.conversationId}/actions/${actionId}`,
    headers: { authorization: `Bearer ${s.persona.token}` },
    payload: { decision },
  });
  return { status: res.statusCode, body: res.json() };
}

async function approve(s: Session, actionId: string): Promise<{ status: number; body: { action?: { status: string }; message?: { content: string } } }> {
  const res = await s.world.app.inject({ method: 'POST', url: `/api/v1/actions/${actionId}/approval`, headers: { authorization: `Bearer ${s.world.staffToken}` }, payload: { decision: 'approve' } });
  return { status: res.statusCode, body: res.json() };
}

/**
 * A scenario: restore the start state, run the customer's goal, compare Alice's records with the
 * start state changed as `expect` says, then restore again for the scenarios after it.
 */
function actionScenario(id: string, persona: 'alice' | 'bob', title: string, run: (s: Session) => Promise<void>, expect: (start: EndState) => EndState): Scenario {
  return scenario(id, persona, title, async (s) => {
    await restore(s);
    try {
      const start = await endState(s);
      await run(s);
      const want = expect(structuredClone(start));
      const got = await endState(s);
      s.expect(hash(got) === hash(want), `end state ${hash(got)} ≠ expected ${hash(want)}: ${canonical(got)} vs ${canonical(want)}`);
    } finally {
      await restore(s);
    }
  });
}

const same = (start: EndState) => start;

export const actionScenarios: Scenario[] = [
  actionScenario(
    'action-cancel-order',
    'alice',
    'cancels an unshipped order and confirms: that order is canceled and refunded, once',
    async (s) => {
      const r = await s.say('Please cancel my order ORD-190001');
      const p = await proposal(s, r);
      s.expect(p?.type === 'cancel_order' && p.risk === 'confirm', `proposal: ${JSON.stringify(p)}`);
      s.expectIncludes(r, '$117.00', 'the amount refunded');
      const d = await decide(s, p!.id, 'confirm');
      s.expect(d.body.action?.status === 'completed', `decision: ${JSON.stringify(d.body)}`);
      s.expect((await decide(s, p!.id, 'confirm')).status === 409, 'a second confirmation is refused');
    },
    (e) => {
      e.orders['ORD-190001']!.status = 'canceled';
      e.refunds.push({ order: 'ORD-190001', kind: 'refund', cents: 11700 });
      return e;
    },
  ),
  actionScenario(
    'action-change-address',
    'alice',
    'changes the address of a pending order',
    async (s) => {
      const r = await s.say('Please change the shipping address of ORD-190001 to 42 Elm Street, Portland, OR 97201, US');
      const p = await proposal(s, r);
      s.expectIncludes(r, '42 Elm Street', 'the new address');
      if (p) await decide(s, p.id, 'confirm');
      else s.expect(false, 'no proposal');
    },
    (e) => {
      e.orders['ORD-190001']!.address = { line1: '42 Elm Street', city: 'Portland', region: 'OR', postal_code: '97201', country: 'US' };
      return e;
    },
  ),
  actionScenario(
    'action-address-processing',
    'alice',
    "asks to change a processing order's address and is told why not; nothing changes",
    async (s) => {
      const r = await s.say('Change the address of ORD-190002 to 42 Elm Street, Portland, OR 97201, US');
      s.expect((await proposal(s, r)) === null, 'nothing is proposed');
      s.expectIncludes(r, 'packed', 'the reason');
    },
    same,
  ),
  actionScenario(
    'action-refund-small',
    'alice',
    'returns a $38.00 order after changing her mind: refunded less the $9.95 label, no staff needed',
    async (s) => {
      const r = await s.say('I want to return ORD-190004, I changed my mind');
      const p = await proposal(s, r);
      s.expect(p?.risk === 'confirm', `risk ${p?.risk}`);
      s.expectIncludes(r, '$28.05', 'the refund amount');
      if (p) s.expectIncludes({ ...r, content: (await decide(s, p.id, 'confirm')).body.message?.content ?? '' }, 'RMA-', 'the return authorization');
    },
    (e) => {
      e.orders['ORD-190004']!.status = 'returned';
      e.refunds.push({ order: 'ORD-190004', kind: 'refund', cents: 2805 });
      return e;
    },
  ),
  actionScenario(
    'action-refund-approval',
    'alice',
    'returns a $375.00 order: it waits for staff after she confirms, and completes when approved',
    async (s) => {
      const r = await s.say('I would like to return order ORD-190003 for a refund');
      const p = await proposal(s, r);
      s.expect(p?.risk === 'approve', `risk ${p?.risk}`);
      s.expectIncludes(r, 'approved by our team', 'that staff approve it');
      const c = await decide(s, p!.id, 'confirm');
      s.expect(c.body.action?.status === 'confirmed', `after confirm: ${c.body.action?.status}`);
      const a = await approve(s, p!.id);
      s.expect(a.body.action?.status === 'completed', `after approval: ${JSON.stringify(a.body)}`);
    },
    (e) => {
      e.orders['ORD-190003']!.status = 'returned';
      e.refunds.push({ order: 'ORD-190003', kind: 'refund', cents: 37500 - 995 });
      return e;
    },
  ),
  actionScenario(
    'action-upgrade',
    'alice',
    'upgrades to Business: the plan changes now and the prorated difference is invoiced',
    async (s) => {
      const r = await s.say('Upgrade me to the business plan please');
      s.expectIncludes(r, 'prorated', 'the proration');
      const p = await proposal(s, r);
      if (p) await decide(s, p.id, 'confirm');
      else s.expect(false, 'no proposal');
    },
    (e) => {
      e.subscription = { ...e.subscription, plan: 'business', priceCents: 9900 };
      e.invoices.count += 1;
      return e;
    },
  ),
  actionScenario(
    'action-downgrade',
    'alice',
    'downgrades to Starter: scheduled for the renewal, nothing credited',
    async (s) => {
      const r = await s.say('Please downgrade me to starter');
      s.expectIncludes(r, 'renewal', 'when it takes effect');
      const p = await proposal(s, r);
      if (p) await decide(s, p.id, 'confirm');
      else s.expect(false, 'no proposal');
    },
    (e) => {
      e.subscription.scheduled = { plan: 'starter', seats: 2 };
      return e;
    },
  ),
  actionScenario(
    'action-add-seats',
    'alice',
    'adds 3 seats: 5 seats now',
    async (s) => {
      const r = await s.say('add 3 seats please');
      const p = await proposal(s, r);
      if (p) await decide(s, p.id, 'confirm');
      else s.expect(false, 'no proposal');
    },
    (e) => {
      e.subscription.seats = 5;
      e.invoices.count += 1;
      return e;
    },
  ),
  actionScenario(
    'action-typed-yes',
    'alice',
    'types "yes" instead of pressing Confirm: nothing changes and she is told to press Confirm',
    async (s) => {
      await s.say('Please cancel my order ORD-190001');
      const r = await s.say('yes');
      s.expectExcludes(r, 'is canceled', 'no claim that it is done');
    },
    same,
  ),
  actionScenario(
    'action-decline',
    'alice',
    'asks to cancel, then presses Cancel: nothing changes',
    async (s) => {
      const r = await s.say('I want to cancel order ORD-190002');
      const p = await proposal(s, r);
      const d = await decide(s, p!.id, 'decline');
      s.expect(d.body.action?.status === 'declined', `decision: ${d.body.action?.status}`);
    },
    same,
  ),
  actionScenario(
    'action-cancel-shipped',
    'alice',
    'asks to cancel an order that has shipped and is offered a return instead',
    async (s) => {
      const [shipped] = (await s.orders()).filter((o) => o.status === 'shipped');
      const r = await s.say(`Please cancel order ${shipped!.orderNumber}`);
      s.expect((await proposal(s, r)) === null, 'nothing is proposed');
      s.expectIncludes(r, 'shipped', 'the reason');
    },
    same,
  ),
  actionScenario(
    'action-foreign-order',
    'bob',
    "asks to cancel Alice's order and is told it is not on his account; her records are untouched",
    async (s) => {
      const r = await s.say('Please cancel order ORD-190001');
      s.expect((await proposal(s, r)) === null, 'nothing is proposed');
      s.expectIncludes(r, "couldn't find order ORD-190001", 'not found');
      const theirs = await s.db
        .select()
        .from(accountActions)
        .where(eq(accountActions.customerId, s.customerOf('alice')))
        .orderBy(desc(accountActions.createdAt))
        .limit(1);
      s.expect(
        theirs.every((a) => a.conversationId !== s.conversationId),
        "no action on Alice's records from Bob's conversation",
      );
    },
    same,
  ),
];
