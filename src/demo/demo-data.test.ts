import { describe, expect, it } from 'vitest';
import { buildDemoData, DEMO_NOW, DEMO_TODAY, DEMO_USERS, PLAN_PRICES_CENTS } from './demo-data.js';
import { KNOWLEDGE_ARTICLES, KNOWLEDGE_CATEGORIES } from './knowledge-articles.js';

const data = buildDemoData();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function expectUnique(values: string[]): void {
  expect(new Set(values).size).toBe(values.length);
}

describe('buildDemoData', () => {
  it('is deterministic', () => {
    expect(buildDemoData()).toEqual(buildDemoData());
    expect(buildDemoData()).toEqual(data);
  });

  it('has about 50 customers, each with 1-2 subscriptions, 2-12 invoices and 0-4 orders', () => {
    expect(data.customers.length).toBe(50);
    for (const c of data.customers) {
      const subs = data.subscriptions.filter((s) => s.customerId === c.id);
      const invs = data.invoices.filter((i) => i.customerId === c.id && i.status !== 'void');
      const ords = data.orders.filter((o) => o.customerId === c.id);
      expect(subs.length).toBeGreaterThanOrEqual(1);
      expect(subs.length).toBeLessThanOrEqual(2);
      expect(invs.length).toBeGreaterThanOrEqual(2);
      expect(invs.length).toBeLessThanOrEqual(12);
      expect(ords.length).toBeLessThanOrEqual(4);
    }
    expect(data.supportTickets.length).toBeGreaterThan(15);
  });

  it('uses unique v4 UUIDs for every row', () => {
    const ids = [data.customers, data.subscriptions, data.invoices, data.orders, data.supportTickets].flatMap((rows) => rows.map((r) => r.id!));
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expectUnique(ids);
  });

  it('has unique, well-formed customer emails and invoice, order and ticket numbers', () => {
    expectUnique(data.customers.map((c) => c.email.toLowerCase()));
    expectUnique(data.invoices.map((i) => i.invoiceNumber));
    expectUnique(data.orders.map((o) => o.orderNumber));
    expectUnique(data.supportTickets.map((t) => t.ticketNumber!));
    for (const c of data.customers.slice(2)) expect(c.email).toMatch(/^[a-z]+\.[a-z]+@example\.net$/);
    for (const i of data.invoices) expect(i.invoiceNumber).toMatch(/^INV-\d{4}-\d{5}$/);
    for (const o of data.orders) expect(o.orderNumber).toMatch(/^ORD-\d{6}$/);
    // Below the database sequence (TCK-200001 onwards) that numbers tickets opened at run time.
    for (const t of data.supportTickets) expect(t.ticketNumber).toMatch(/^TCK-1\d{5}$/);
  });

  it('numbers invoices sequentially by issue date, with the year of issue', () => {
    const sorted = [...data.invoices].sort((a, b) => seq(a) - seq(b));
    sorted.forEach((inv, i) => {
      expect(seq(inv)).toBe(i + 1);
      expect(inv.invoiceNumber.slice(4, 8)).toBe(inv.issuedOn.slice(0, 4));
      if (i > 0) expect(inv.issuedOn >= sorted[i - 1]!.issuedOn).toBe(true);
    });
    function seq(inv: { invoiceNumber: string }): number {
      return Number(inv.invoiceNumber.slice(-5));
    }
  });

  it('bills plan price × seats and keeps invoice dates and statuses consistent', () => {
    const subs = new Map(data.subscriptions.map((s) => [s.id!, s]));
    for (const inv of data.invoices) {
      const sub = subs.get(inv.subscriptionId!)!;
      expect(inv.amountCents).toBe(sub.priceCents * sub.seats!);
      expect(inv.issuedOn <= DEMO_TODAY).toBe(true);
      expect(inv.issuedOn >= sub.startDate).toBe(true);
      if (sub.endDate) expect(inv.issuedOn < sub.endDate).toBe(true);
      if (inv.status === 'paid') expect(inv.paidAt!.getTime()).toBeLessThanOrEqual(DEMO_NOW.getTime());
      else expect(inv.paidAt ?? null).toBeNull();
      if (inv.status === 'overdue') expect(inv.dueDate < DEMO_TODAY).toBe(true);
      if (inv.status === 'open') expect(inv.dueDate >= DEMO_TODAY).toBe(true);
    }
    for (const sub of data.subscriptions) {
      if (sub.plan !== 'enterprise') expect(sub.priceCents).toBe(PLAN_PRICES_CENTS[sub.plan as keyof typeof PLAN_PRICES_CENTS]);
    }
    const statuses = new Set(data.invoices.map((i) => i.status));
    for (const s of ['paid', 'open', 'overdue', 'void'] as const) expect(statuses).toContain(s);
  });

  it('has order totals equal to the sum of their items, and tracking for shipped orders', () => {
    for (const o of data.orders) {
      expect(o.items.length).toBeGreaterThan(0);
      expect(o.totalCents).toBe(o.items.reduce((s, it) => s + it.quantity * it.unit_price_cents, 0));
      if (o.status === 'shipped' || o.status === 'delivered' || o.status === 'returned') {
        expect(o.carrier).toBeTruthy();
        expect(o.trackingNumber).toBeTruthy();
        expect(o.shippedAt).toBeInstanceOf(Date);
      }
      if (o.status === 'pending' || o.status === 'processing' || o.status === 'canceled') expect(o.trackingNumber ?? null).toBeNull();
      expect(o.createdAt!.getTime()).toBeLessThanOrEqual(DEMO_NOW.getTime());
    }
    const statuses = new Set(data.orders.map((o) => o.status));
    for (const s of ['pending', 'processing', 'shipped', 'delivered', 'returned'] as const) expect(statuses).toContain(s);
  });

  it('references only existing rows', () => {
    const customerIds = new Set(data.customers.map((c) => c.id));
    const subscriptionIds = new Set(data.subscriptions.map((s) => s.id));
    for (const s of data.subscriptions) expect(customerIds).toContain(s.customerId);
    for (const i of data.invoices) {
      expect(customerIds).toContain(i.customerId);
      expect(subscriptionIds).toContain(i.subscriptionId);
      const sub = data.subscriptions.find((s) => s.id === i.subscriptionId)!;
      expect(sub.customerId).toBe(i.customerId);
    }
    for (const o of data.orders) expect(customerIds).toContain(o.customerId);
    for (const t of data.supportTickets) {
      expect(customerIds).toContain(t.customerId);
      expect(t.conversationId ?? null).toBeNull();
      expect(t.assignedTo ?? null).toBeNull();
    }
  });

  it('has the fixed customers the tests rely on', () => {
    const alice = data.customers.find((c) => c.email === 'alice@example.com')!;
    expect(alice.name).toBe('Alice Martin');
    const aliceSubs = data.subscriptions.filter((s) => s.customerId === alice.id);
    expect(aliceSubs).toHaveLength(1);
    expect(aliceSubs[0]).toMatchObject({ plan: 'pro', seats: 2, status: 'active', billingCycle: 'monthly', priceCents: 4900 });
    const aliceInvoices = data.invoices.filter((i) => i.customerId === alice.id).sort((a, b) => b.issuedOn.localeCompare(a.issuedOn));
    expect(aliceInvoices.length).toBeGreaterThanOrEqual(6);
    expect(aliceInvoices[0]).toMatchObject({ issuedOn: '2026-11-01', status: 'open', amountCents: 9800 });
    const aliceOrders = data.orders.filter((o) => o.customerId === alice.id);
    expect(aliceOrders).toHaveLength(3);
    const shipped = aliceOrders.find((o) => o.status === 'shipped')!;
    expect(shipped.carrier).toBe('UPS');
    expect(shipped.trackingNumber).toMatch(/^1Z[0-9A-Z]{16}$/);

    const bob = data.customers.find((c) => c.email === 'bob@example.com')!;
    expect(bob.name).toBe('Bob Chen');
    expect(data.subscriptions.find((s) => s.customerId === bob.id)).toMatchObject({ plan: 'business', status: 'active' });
    expect(data.invoices.filter((i) => i.customerId === bob.id).length).toBeGreaterThan(0);
    expect(data.orders.filter((o) => o.customerId === bob.id).length).toBeGreaterThan(0);

    for (const u of DEMO_USERS.filter((u) => u.role === 'customer')) {
      expect(data.customers.map((c) => c.email)).toContain(u.email);
    }
  });
});

describe('KNOWLEDGE_ARTICLES', () => {
  it('has at least 30 articles with unique slugs and every category', () => {
    expect(KNOWLEDGE_ARTICLES.length).toBeGreaterThanOrEqual(30);
    expectUnique(KNOWLEDGE_ARTICLES.map((a) => a.slug));
    expectUnique(KNOWLEDGE_ARTICLES.map((a) => a.title));
    const categories = new Set(KNOWLEDGE_ARTICLES.map((a) => a.category));
    for (const c of KNOWLEDGE_CATEGORIES) expect(categories).toContain(c);
  });

  it('uses example invoice, order and ticket numbers that no demo customer has', () => {
    const examples = KNOWLEDGE_ARTICLES.flatMap((a) => a.content.match(/\b(?:INV-\d{4}-\d{5}|ORD-\d{6}|TCK-\d{6})\b/g) ?? []);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const real = new Set([...data.invoices.map((i) => i.invoiceNumber), ...data.orders.map((o) => o.orderNumber), ...data.supportTickets.map((t) => t.ticketNumber!)]);
    expect(examples.filter((n) => real.has(n))).toEqual([]);
  });

  it('has well-formed markdown articles of 150-450 words', () => {
    for (const a of KNOWLEDGE_ARTICLES) {
      expect(a.slug, a.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const words = a.content.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
      expect(words, `${a.slug}: ${words} words`).toBeGreaterThanOrEqual(150);
      expect(words, `${a.slug}: ${words} words`).toBeLessThanOrEqual(450);
      expect(a.content, a.slug).toMatch(/^## \S/m);
      expect(a.content, a.slug).not.toMatch(/\$\{/);
    }
  });
});
