/**
 * Deterministic demo data for "Switchboard Demo Co": customers with subscriptions, monthly
 * invoices, hardware orders and support tickets, shaped for Drizzle inserts and linked by
 * explicit UUIDs. Same output on every call and every machine: a seeded PRNG (mulberry32), a
 * fixed reference date (DEMO_TODAY) and no clock or Math.random anywhere.
 *
 * Conventions (kept consistent with the help-center articles in knowledge-articles.ts):
 * - `subscriptions.plan` is lower case ('starter' | 'pro' | 'business' | 'enterprise');
 *   `priceCents` is the price per seat per billing cycle; an invoice is `priceCents × seats`.
 * - Invoices are issued on the subscription's billing day each month, due 30 days later,
 *   numbered INV-YYYY-NNNNN with one global counter in issue-date order.
 * - Order numbers are ORD-1NNNNN and ticket numbers TCK-1NNNNN, increasing with creation time.
 *   Ticket numbers stay below 200001, where the database sequence for new tickets starts.
 */
import type { customers, invoices, OrderItem, orders, subscriptions, supportTickets } from '../db/schema.js';
import { mulberry32 } from '../util/prng.js';

export type DemoCustomer = typeof customers.$inferInsert;
export type DemoSubscription = typeof subscriptions.$inferInsert;
export type DemoInvoice = typeof invoices.$inferInsert;
export type DemoOrder = typeof orders.$inferInsert;
export type DemoSupportTicket = typeof supportTickets.$inferInsert;

export interface DemoData {
  customers: DemoCustomer[];
  subscriptions: DemoSubscription[];
  invoices: DemoInvoice[];
  orders: DemoOrder[];
  supportTickets: DemoSupportTicket[];
}

/** The day the demo world is "today": every date in the data is on or before it. */
export const DEMO_TODAY = '2026-11-20';
/** "Now" for timestamps: noon UTC on DEMO_TODAY. */
export const DEMO_NOW = new Date(`${DEMO_TODAY}T12:00:00.000Z`);
export const DEMO_SEED = 0x5b0a_d2c1;

export const DEMO_PASSWORD = 'switchboard-demo';
export const DEMO_USERS = [
  { email: 'alice@example.com', name: 'Alice Martin', role: 'customer' },
  { email: 'bob@example.com', name: 'Bob Chen', role: 'customer' },
  { email: 'agent@example.com', name: 'Sam Agent', role: 'agent' },
  { email: 'riley@example.com', name: 'Riley Park', role: 'agent' },
  { email: 'admin@example.com', name: 'Ada Admin', role: 'admin' },
] as const;

/** The support team's saved replies in the demo ("/" in the console's reply box inserts one). */
export const DEMO_CANNED_REPLIES = [
  {
    shortcut: 'greeting',
    title: 'Greeting',
    body: "Hi {{customer.first_name}}, this is {{agent.first_name}} from support. Thanks for waiting, I'm looking into this now.",
  },
  {
    shortcut: 'ticket',
    title: 'Ticket reference',
    body: 'I have noted everything on ticket {{ticket.number}}. If you write to us again, mention that number and we will pick up where we left off.',
  },
  {
    shortcut: 'refund-started',
    title: 'Refund started',
    body: "Good news, {{customer.first_name}}: I've started your refund. It reaches your card within 5-10 business days.",
  },
  {
    shortcut: 'closing',
    title: 'Closing',
    body: 'Is there anything else I can help you with today? If not, have a great day!\n\n{{agent.name}}',
  },
] as const;

export type PlanKey = 'starter' | 'pro' | 'business' | 'enterprise';

/** List price per seat per month, in cents. Enterprise is negotiated (see ENTERPRISE_SEAT_PRICES_CENTS). */
export const PLAN_PRICES_CENTS: Readonly<Record<Exclude<PlanKey, 'enterprise'>, number>> = {
  starter: 1900,
  pro: 4900,
  business: 9900,
};
const ENTERPRISE_SEAT_PRICES_CENTS = [7900, 8500, 8900] as const;

export interface HardwareProduct {
  sku: string;
  name: string;
  unit_price_cents: number;
  kind: 'headset' | 'desk_phone' | 'webcam' | 'accessory';
}

export const HARDWARE_CATALOG: ReadonlyArray<HardwareProduct> = [
  { sku: 'HS-100', name: 'HS-100 Wired Headset', unit_price_cents: 7900, kind: 'headset' },
  { sku: 'HS-200', name: 'HS-200 Wireless Headset', unit_price_cents: 14900, kind: 'headset' },
  { sku: 'HS-300', name: 'HS-300 Pro ANC Wireless Headset', unit_price_cents: 22900, kind: 'headset' },
  { sku: 'DP-400', name: 'DP-400 Desk Phone', unit_price_cents: 18900, kind: 'desk_phone' },
  { sku: 'DP-600', name: 'DP-600 Executive Desk Phone', unit_price_cents: 29900, kind: 'desk_phone' },
  { sku: 'WC-1080', name: 'WC-1080 HD Webcam', unit_price_cents: 8900, kind: 'webcam' },
  { sku: 'WC-4K', name: 'WC-4K Webcam', unit_price_cents: 17900, kind: 'webcam' },
  { sku: 'EP-10', name: 'EP-10 Replacement Ear Cushions (pair)', unit_price_cents: 1900, kind: 'accessory' },
  { sku: 'PS-5', name: 'PS-5 Desk Phone Power Adapter', unit_price_cents: 2500, kind: 'accessory' },
];

// ---------------------------------------------------------------- PRNG


class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: ReadonlyArray<T>): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of options) {
      r -= w;
      if (r < 0) return value;
    }
    return options[options.length - 1]![0];
  }
  /** A random version-4 UUID (RFC 4122 variant) drawn from this generator. */
  uuid(): string {
    let hex = '';
    for (let i = 0; i < 4; i++) hex += (Math.floor(this.next() * 0x1_0000_0000) >>> 0).toString(16).padStart(8, '0');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  alnum(n: number): string {
    const chars = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += chars[this.int(0, chars.length - 1)];
    return s;
  }
}

// ---------------------------------------------------------------- dates (all UTC, ISO yyyy-mm-dd)

const DAY_MS = 86_400_000;
const toDate = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (iso: string, days: number): string => isoDate(new Date(toDate(iso).getTime() + days * DAY_MS));
/** Adds months keeping the day of month (billing days are 1-28, so no clamping is needed). */
function addMonths(iso: string, months: number): string {
  const d = toDate(iso);
  return isoDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate())));
}
const daysBetween = (from: string, to: string): number => Math.round((toDate(to).getTime() - toDate(from).getTime()) / DAY_MS);
/** A timestamp on a day at a given minute of the day (UTC). */
const at = (iso: string, minuteOfDay: number): Date => new Date(toDate(iso).getTime() + minuteOfDay * 60_000);
const addHours = (d: Date, hours: number): Date => new Date(d.getTime() + hours * 3_600_000);
const minDate = (a: Date, b: Date): Date => (a.getTime() <= b.getTime() ? a : b);
/** The most recent date on or before DEMO_TODAY that falls on the given day of month. */
function latestBillingDate(day: number): string {
  const [y, m] = DEMO_TODAY.split('-').map(Number) as [number, number];
  const thisMonth = isoDate(new Date(Date.UTC(y, m - 1, day)));
  return thisMonth <= DEMO_TODAY ? thisMonth : addMonths(thisMonth, -1);
}
/** Business hours in the US, as UTC minutes of the day (14:00-23:00 UTC). */
const businessMinute = (rng: Rng): number => rng.int(14 * 60, 23 * 60);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthLabel = (iso: string): string => `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

/** US-dollar amount with thousands separators, e.g. $1,296.00 (no locale data needed). */
const money = (cents: number): string =>
  `$${String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(cents % 100).padStart(2, '0')}`;

// ---------------------------------------------------------------- people and companies

type Region = 'US' | 'CA' | 'UK' | 'AU';

const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amara', 'Ethan',
  'Harper', 'Daniel', 'Priya', 'Henry', 'Chloe', 'Samuel', 'Zoe', 'Omar', 'Hannah', 'Diego', 'Grace', 'Kenji',
  'Leila', 'Marcus', 'Nora', 'Victor', 'Elena', 'Tomás', 'Fatima', 'Jonah', 'Aisha', 'Gabriel', 'Ingrid',
  'Rafael', 'Yuki', 'Caleb', 'Maya', 'Arjun', 'Claire', 'Felix', 'Naomi', 'Hugo', 'Rosa', 'Declan', 'Sara',
  'Andre', 'Lena', 'Malik', 'Julia', 'Owen', 'Camila', 'Theo', 'Ines', 'Ravi',
];
const LAST_NAMES = [
  'Johnson', 'Garcia', 'Nguyen', 'Patel', 'Okafor', 'Kowalski', 'Rossi', 'Andersen', 'Schmidt', 'Dubois',
  'Tanaka', 'Silva', 'Murphy', "O'Brien", 'Haddad', 'Novak', 'Fischer', 'Reyes', 'Kim', 'Lindqvist', 'Walsh',
  'Bennett', 'Moreau', 'Hughes', 'Alvarez', 'Ivanova', 'Mensah', 'Sato', 'Brooks', 'Castillo', 'Larsen',
  'Mehta', 'Foster', 'Romero', 'Keller', 'Donovan', 'Park', 'Hoffman', 'Jensen', 'Abebe', 'Carter', 'Ortiz',
  'Sullivan', 'Yilmaz', 'Price', 'Vargas', 'Nakamura', 'Fitzgerald', 'Costa', 'Morgan',
];
const COMPANIES = [
  'Brightline Dental Group', 'Northwind Logistics', 'Harbor & Pine Realty', 'Cobalt Ridge Software', 'Evergreen Home Health',
  'Bluebird Travel Co.', 'Summit Peak Fitness', 'Lakeside Veterinary Clinic', 'Ironclad Security Services', 'Maple Street Bakery',
  'Quantum Leap Tutoring', 'Redwood Legal Partners', 'Silverline Insurance Agency', 'Copperfield Accounting', 'Tidewater Marine Supply',
  'Urban Nest Interiors', 'Granite State Plumbing', 'Bluewave Telecom Resellers', 'Aurora Event Planning', 'Keystone Property Management',
  'Willow Creek Pediatrics', 'Falcon Freight Brokers', 'Juniper Marketing Studio', 'Oakmont Senior Living', 'Pioneer Solar Installers',
  'Crescent City Catering', 'Helix Biotech Labs', 'Sparrow & Finch Bookkeeping', 'Trailhead Outdoor Gear', 'Meridian Staffing',
  'Lumen Eye Care', 'Riverbend Auto Repair', 'Kestrel Recruiting', 'Sagebrush Wellness Spa', 'Polaris IT Consulting',
  'Driftwood Vacation Rentals', 'Atlas Moving & Storage', 'Cedar Grove Animal Hospital', 'Vantage Point Analytics', 'Horizon Language School',
  'Bramble & Co. Florists', 'Ember Coffee Roasters', 'Sterling Wealth Advisors', 'Pinecrest HVAC', 'Nimbus Cloud Services',
  'Fairway Mortgage Group', 'Greenleaf Landscaping', 'Orbit Print & Sign', 'Clearwater Pool Care', 'Halcyon Yoga Collective',
];
const US_AREA_CODES = ['212', '312', '415', '512', '617', '206', '303', '404', '614', '702', '503', '919', '615', '801'];

function phoneFor(rng: Rng, region: Region): string {
  const n = String(rng.int(100, 199)).slice(1); // 555-0100..0199 is reserved for fiction
  switch (region) {
    case 'US':
      return `+1 ${rng.pick(US_AREA_CODES)}-555-01${n}`;
    case 'CA':
      return `+1 ${rng.pick(['416', '604', '514'])}-555-01${n}`;
    case 'UK':
      return `+44 20 7946 0${rng.digits(3)}`;
    case 'AU':
      return `+61 2 5550 ${rng.digits(4)}`;
  }
}

const emailLocal = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

// ---------------------------------------------------------------- invoices

interface InvoiceDraft {
  row: DemoInvoice;
  /** Tie-breakers for numbering invoices issued the same day. */
  sortKey: string;
}

interface CustomerState {
  customer: DemoCustomer;
  index: number;
  region: Region;
  subs: DemoSubscription[];
  invoices: InvoiceDraft[];
  orders: DemoOrder[];
  /** The customer's main (latest non-trial) subscription. */
  main: DemoSubscription;
}

function periodDescription(plan: string, seats: number, unitCents: number, issuedOn: string): string {
  const periodEnd = addDays(addMonths(issuedOn, 1), -1);
  const planName = plan.charAt(0).toUpperCase() + plan.slice(1);
  return `${planName} plan, ${seats} seat${seats === 1 ? '' : 's'} × ${money(unitCents)}/month, ${issuedOn} to ${periodEnd} (${monthLabel(issuedOn)})`;
}

type PaidStyle = 'card' | 'transfer';

/** Monthly invoices for a subscription: one per billing date from its start, `count` of them. */
function invoicesFor(
  rng: Rng,
  state: { customer: DemoCustomer; index: number },
  sub: DemoSubscription,
  count: number,
  statusOf: (i: number, issuedOn: string) => DemoInvoice['status'],
  paidStyle: PaidStyle,
): InvoiceDraft[] {
  const drafts: InvoiceDraft[] = [];
  const seats = sub.seats ?? 1;
  const amount = sub.priceCents * seats;
  for (let i = 0; i < count; i++) {
    const issuedOn = addMonths(sub.startDate, i);
    const status = statusOf(i, issuedOn);
    const ageDays = daysBetween(issuedOn, DEMO_TODAY);
    let paidAt: Date | null = null;
    if (status === 'paid') {
      const delay =
        paidStyle === 'transfer'
          ? rng.int(6, 27)
          : rng.weighted<number>([
              [0, 80],
              [3, 8],
              [5, 6],
              [7, 6],
            ]);
      const day = addDays(issuedOn, Math.min(delay, ageDays));
      paidAt = minDate(at(day, delay === 0 ? rng.int(7 * 60, 11 * 60) : businessMinute(rng)), addHours(DEMO_NOW, -1));
    }
    drafts.push({
      row: {
        id: rng.uuid(),
        customerId: state.customer.id!,
        subscriptionId: sub.id!,
        invoiceNumber: '',
        amountCents: amount,
        currency: 'USD',
        status,
        issuedOn,
        dueDate: addDays(issuedOn, 30),
        paidAt,
        description: periodDescription(sub.plan, seats, sub.priceCents, issuedOn),
        createdAt: at(issuedOn, 6 * 60 + rng.int(0, 59)),
      },
      sortKey: `${issuedOn}|${String(state.index).padStart(3, '0')}|${sub.id}|${String(i).padStart(2, '0')}`,
    });
  }
  return drafts;
}

/** Marks one earlier invoice void (a duplicate) and adds its paid replacement issued a day later. */
function addVoidedDuplicate(rng: Rng, drafts: InvoiceDraft[], position: number): void {
  const original = drafts[position]!;
  const replacementDay = addDays(original.row.issuedOn, 1);
  const voided: InvoiceDraft = {
    row: {
      ...original.row,
      id: rng.uuid(),
      status: 'void',
      paidAt: null,
      description: `${original.row.description} (voided: duplicate invoice issued in error)`,
    },
    sortKey: original.sortKey,
  };
  const replacement: InvoiceDraft = {
    row: {
      ...original.row,
      issuedOn: replacementDay,
      dueDate: addDays(replacementDay, 30),
      status: 'paid',
      paidAt: at(replacementDay, rng.int(7 * 60, 11 * 60)),
      createdAt: at(replacementDay, 6 * 60 + rng.int(0, 59)),
    },
    sortKey: `${replacementDay}|${original.sortKey.slice(11)}`,
  };
  drafts.splice(position, 1, voided, replacement);
}

// ---------------------------------------------------------------- orders

type Carrier = 'UPS' | 'FedEx' | 'USPS' | 'DHL';

function trackingNumber(rng: Rng, carrier: Carrier, express: boolean): string {
  switch (carrier) {
    case 'UPS':
      return `1Z${rng.alnum(6)}${express ? '02' : '03'}${rng.digits(8)}`;
    case 'FedEx':
      return rng.digits(12);
    case 'USPS':
      return `9400${rng.digits(18)}`;
    case 'DHL':
      return rng.digits(10);
  }
}

interface OrderSpec {
  created: Date;
  items: OrderItem[];
  carrier: Carrier;
  express: boolean;
  /** Forces an outcome for old orders; otherwise derived from the timeline. */
  outcome?: 'delivered' | 'returned' | 'canceled';
}

const item = (sku: string, quantity: number): OrderItem => {
  const p = HARDWARE_CATALOG.find((x) => x.sku === sku)!;
  return { sku: p.sku, name: p.name, quantity, unit_price_cents: p.unit_price_cents };
};

function buildOrder(rng: Rng, customerId: string, spec: OrderSpec, international: boolean): DemoOrder {
  const totalCents = spec.items.reduce((s, it) => s + it.quantity * it.unit_price_cents, 0);
  // Same-day dispatch before 2 p.m. ET (19:00 UTC), otherwise the next day; plus a processing window.
  const createdMinute = spec.created.getUTCHours() * 60 + spec.created.getUTCMinutes();
  const shipDay = addDays(isoDate(spec.created), createdMinute < 19 * 60 ? 0 : 1);
  const shippedAt = at(shipDay, 21 * 60 + rng.int(0, 120));
  const transit = international ? (spec.express ? rng.int(3, 5) : rng.int(7, 14)) : spec.express ? rng.int(1, 2) : rng.int(3, 5);
  const deliveredAt = at(addDays(shipDay, transit), rng.int(15 * 60, 23 * 60));
  const processingFrom = addHours(spec.created, 2);

  const base = {
    id: rng.uuid(),
    customerId,
    orderNumber: '',
    items: spec.items,
    totalCents,
    currency: 'USD',
    createdAt: spec.created,
  };
  const now = DEMO_NOW.getTime();
  if (spec.outcome === 'canceled') {
    return { ...base, status: 'canceled', carrier: null, trackingNumber: null, shippedAt: null, deliveredAt: null, updatedAt: addHours(spec.created, rng.int(1, 20)) };
  }
  if (now < processingFrom.getTime()) {
    return { ...base, status: 'pending', carrier: null, trackingNumber: null, shippedAt: null, deliveredAt: null, updatedAt: spec.created };
  }
  if (now < shippedAt.getTime()) {
    return { ...base, status: 'processing', carrier: null, trackingNumber: null, shippedAt: null, deliveredAt: null, updatedAt: processingFrom };
  }
  const shipped = { carrier: spec.carrier, trackingNumber: trackingNumber(rng, spec.carrier, spec.express), shippedAt };
  if (now < deliveredAt.getTime()) return { ...base, ...shipped, status: 'shipped', deliveredAt: null, updatedAt: shippedAt };
  if (spec.outcome === 'returned') {
    const returnedAt = minDate(addHours(deliveredAt, 24 * rng.int(9, 24)), addHours(DEMO_NOW, -3));
    return { ...base, ...shipped, status: 'returned', deliveredAt, updatedAt: returnedAt };
  }
  return { ...base, ...shipped, status: 'delivered', deliveredAt, updatedAt: deliveredAt };
}

function randomItems(rng: Rng, seats: number): OrderItem[] {
  const lines = rng.weighted<number>([
    [1, 55],
    [2, 35],
    [3, 10],
  ]);
  const chosen = new Set<string>();
  const items: OrderItem[] = [];
  const maxQty = Math.max(1, Math.min(10, seats));
  while (items.length < lines) {
    const p = rng.weighted<HardwareProduct>(
      HARDWARE_CATALOG.map((x) => [x, x.kind === 'headset' ? 4 : x.kind === 'webcam' ? 3 : x.kind === 'desk_phone' ? 2 : 1] as const),
    );
    if (chosen.has(p.sku)) continue;
    chosen.add(p.sku);
    const qty = p.kind === 'accessory' ? rng.int(1, 4) : rng.chance(0.45) ? 1 : rng.int(1, maxQty);
    items.push(item(p.sku, qty));
  }
  return items;
}

// ---------------------------------------------------------------- tickets

type TicketDraft = Omit<DemoSupportTicket, 'ticketNumber'>;

const ticketStatusFor = (rng: Rng, created: Date): DemoSupportTicket['status'] => {
  const ageDays = (DEMO_NOW.getTime() - created.getTime()) / DAY_MS;
  if (ageDays < 2) return rng.pick(['open', 'open', 'pending'] as const);
  if (ageDays < 10) return rng.pick(['open', 'pending', 'resolved'] as const);
  if (ageDays < 30) return rng.pick(['resolved', 'resolved', 'closed'] as const);
  return 'closed';
};

function ticketUpdatedAt(rng: Rng, created: Date, status: DemoSupportTicket['status']): Date {
  const hours = status === 'open' ? rng.int(0, 6) : status === 'pending' ? rng.int(2, 30) : rng.int(4, 96);
  return minDate(addHours(created, hours), DEMO_NOW);
}

// ---------------------------------------------------------------- the build

/** Builds the whole demo data set. Pure and deterministic: two calls return deep-equal data. */
export function buildDemoData(): DemoData {
  const rng = new Rng(DEMO_SEED);
  const states: CustomerState[] = [];
  const usedEmails = new Set<string>();

  const newCustomer = (
    name: string,
    email: string,
    company: string | null,
    region: Region,
    createdAt: Date,
    isActive = true,
  ): DemoCustomer => {
    usedEmails.add(email);
    return {
      id: rng.uuid(),
      email,
      name,
      company,
      phone: phoneFor(rng, region),
      isActive,
      createdAt,
      updatedAt: minDate(addHours(createdAt, 24 * rng.int(0, 40)), DEMO_NOW),
    };
  };

  const newSub = (
    customerId: string,
    plan: PlanKey,
    seats: number,
    status: DemoSubscription['status'],
    startDate: string,
    opts: { endDate?: string | null; renewsOn?: string | null; unitCents?: number } = {},
  ): DemoSubscription => ({
    id: rng.uuid(),
    customerId,
    plan,
    status,
    priceCents: opts.unitCents ?? (plan === 'enterprise' ? rng.pick(ENTERPRISE_SEAT_PRICES_CENTS) : PLAN_PRICES_CENTS[plan]),
    currency: 'USD',
    billingCycle: 'monthly',
    seats,
    startDate,
    endDate: opts.endDate ?? null,
    renewsOn: opts.renewsOn ?? null,
    createdAt: at(startDate, businessMinute(rng)),
  });

  // ---- Alice Martin: Pro, 2 seats, active, monthly since 2026-03-01; latest invoice 2026-11-01 open.
  {
    const startDate = '2026-03-01';
    const customer = newCustomer('Alice Martin', 'alice@example.com', 'Martin Design Studio', 'US', at('2026-02-15', 16 * 60 + 12));
    const sub = newSub(customer.id!, 'pro', 2, 'active', startDate, { renewsOn: '2026-12-01' });
    const count = 9; // 2026-03-01 .. 2026-11-01
    const invs = invoicesFor(rng, { customer, index: 0 }, sub, count, (i) => (i === count - 1 ? 'open' : 'paid'), 'card');
    states.push({ customer, index: 0, region: 'US', subs: [sub], invoices: invs, orders: [], main: sub });
  }

  // ---- Bob Chen: Business, 8 seats, active since 2026-02-15; one voided duplicate; latest paid.
  {
    const startDate = '2026-02-15';
    const customer = newCustomer('Bob Chen', 'bob@example.com', 'Chen Freight Solutions', 'US', at('2026-02-01', 18 * 60 + 40));
    const sub = newSub(customer.id!, 'business', 8, 'active', startDate, { renewsOn: '2026-12-15' });
    const invs = invoicesFor(rng, { customer, index: 1 }, sub, 10, () => 'paid', 'card'); // 2026-02-15 .. 2026-11-15
    addVoidedDuplicate(rng, invs, 4); // 2026-06-15
    states.push({ customer, index: 1, region: 'US', subs: [sub], invoices: invs, orders: [], main: sub });
  }

  // ---- 48 generated customers.
  const planSeats = (plan: PlanKey): number =>
    plan === 'starter' ? rng.int(1, 5) : plan === 'pro' ? rng.int(2, 25) : plan === 'business' ? rng.int(5, 120) : rng.int(60, 300);
  const pickPlan = (): PlanKey =>
    rng.weighted<PlanKey>([
      ['starter', 30],
      ['pro', 40],
      ['business', 22],
      ['enterprise', 8],
    ]);
  const companies = [...COMPANIES];

  for (let index = 2; index < 50; index++) {
    let first = '';
    let last = '';
    let email = '';
    do {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
      email = `${emailLocal(first)}.${emailLocal(last)}@example.net`;
    } while (usedEmails.has(email));
    const region = rng.weighted<Region>([
      ['US', 80],
      ['CA', 8],
      ['UK', 8],
      ['AU', 4],
    ]);
    const company = rng.chance(0.9) ? companies.splice(rng.int(0, companies.length - 1), 1)[0]! : null;
    const kind = rng.weighted<'active' | 'past_due' | 'upgraded' | 'second_trial' | 'churned'>([
      ['active', 66],
      ['past_due', 10],
      ['upgraded', 12],
      ['second_trial', 6],
      ['churned', 6],
    ]);
    const billingDay = kind === 'past_due' ? rng.int(1, 18) : rng.int(1, 28);
    const latest = latestBillingDate(billingDay);
    const name = `${first} ${last}`;
    const transfer = (plan: PlanKey) => (plan === 'enterprise' ? 'transfer' : 'card') as PaidStyle;
    const openChance = (plan: PlanKey) => (plan === 'enterprise' ? 0.85 : 0.2);

    let firstStart: string;
    let build: (customer: DemoCustomer) => { subs: DemoSubscription[]; invoices: InvoiceDraft[]; main: DemoSubscription };
    const ctxFor = (customer: DemoCustomer) => ({ customer, index });

    if (kind === 'active' || kind === 'past_due' || kind === 'second_trial') {
      const n = kind === 'past_due' ? rng.int(3, 12) : rng.int(2, 12);
      const plan = kind === 'second_trial' ? rng.pick<PlanKey>(['starter', 'pro']) : pickPlan();
      const seats = planSeats(plan);
      firstStart = addMonths(latest, -(n - 1));
      const latestOpen = rng.chance(openChance(plan));
      const withVoid = n >= 4 && rng.chance(0.1);
      build = (customer) => {
        const sub = newSub(customer.id!, plan, seats, kind === 'past_due' ? 'past_due' : 'active', firstStart, {
          renewsOn: addMonths(latest, 1),
        });
        const invs = invoicesFor(
          rng,
          ctxFor(customer),
          sub,
          n,
          (i) => (kind === 'past_due' ? (i === n - 1 ? 'open' : i === n - 2 ? 'overdue' : 'paid') : i === n - 1 && latestOpen ? 'open' : 'paid'),
          transfer(plan),
        );
        if (withVoid) addVoidedDuplicate(rng, invs, rng.int(0, n - 3));
        const subs = [sub];
        if (kind === 'second_trial') {
          const trialStart = addDays(DEMO_TODAY, -rng.int(1, 12));
          subs.push(
            newSub(customer.id!, rng.pick<PlanKey>(['pro', 'business']), rng.int(3, 10), 'trialing', trialStart, {
              renewsOn: addDays(trialStart, 14),
            }),
          );
        }
        return { subs, invoices: invs, main: sub };
      };
    } else if (kind === 'upgraded') {
      const n = rng.int(3, 12);
      const n1 = rng.int(1, n - 1);
      const n2 = n - n1;
      const plan2 = rng.weighted<PlanKey>([
        ['pro', 50],
        ['business', 38],
        ['enterprise', 12],
      ]);
      const plan1: PlanKey = plan2 === 'pro' ? 'starter' : plan2 === 'business' ? 'pro' : 'business';
      const seats2 = planSeats(plan2);
      const seats1 = Math.max(1, Math.min(seats2, plan1 === 'starter' ? 5 : plan1 === 'pro' ? 50 : 500) - rng.int(0, 3));
      const upgradeDate = addMonths(latest, -(n2 - 1));
      firstStart = addMonths(upgradeDate, -n1);
      const latestOpen = rng.chance(openChance(plan2));
      build = (customer) => {
        const sub1 = newSub(customer.id!, plan1, seats1, 'canceled', firstStart, { endDate: upgradeDate });
        const sub2 = newSub(customer.id!, plan2, seats2, 'active', upgradeDate, { renewsOn: addMonths(latest, 1) });
        const invs = [
          ...invoicesFor(rng, ctxFor(customer), sub1, n1, () => 'paid', transfer(plan1)),
          ...invoicesFor(rng, ctxFor(customer), sub2, n2, (i) => (i === n2 - 1 && latestOpen ? 'open' : 'paid'), transfer(plan2)),
        ];
        return { subs: [sub1, sub2], invoices: invs, main: sub2 };
      };
    } else {
      // churned: canceled 1-6 months ago, every invoice paid.
      const n = rng.int(2, 8);
      const plan = rng.pick<PlanKey>(['starter', 'starter', 'pro', 'business']);
      const seats = planSeats(plan);
      const endDate = addMonths(latest, -rng.int(1, 6));
      firstStart = addMonths(endDate, -n);
      build = (customer) => {
        const sub = newSub(customer.id!, plan, seats, 'canceled', firstStart, { endDate });
        const invs = invoicesFor(rng, ctxFor(customer), sub, n, () => 'paid', 'card');
        return { subs: [sub], invoices: invs, main: sub };
      };
    }

    // Customers sign up on a 14-day trial before their first paid month.
    const createdAt = at(addDays(firstStart, -14), businessMinute(rng));
    const customer = newCustomer(name, email, company, region, createdAt, kind !== 'churned');
    const built = build(customer);
    states.push({ customer, index, region, subs: built.subs, invoices: built.invoices, orders: [], main: built.main });
  }

  // ---- Orders.
  {
    const alice = states[0]!;
    const aliceId = alice.customer.id!;
    alice.orders.push(
      buildOrder(rng, aliceId, { created: at('2026-03-10', 15 * 60 + 5), items: [item('HS-200', 2)], carrier: 'UPS', express: false }, false),
      buildOrder(
        rng,
        aliceId,
        { created: at('2026-08-21', 17 * 60 + 30), items: [item('WC-4K', 1)], carrier: 'UPS', express: false, outcome: 'returned' },
        false,
      ),
      buildOrder(
        rng,
        aliceId,
        { created: at('2026-11-18', 14 * 60 + 45), items: [item('DP-400', 2), item('PS-5', 2)], carrier: 'UPS', express: false },
        false,
      ),
    );
    const bob = states[1]!;
    const bobId = bob.customer.id!;
    bob.orders.push(
      buildOrder(
        rng,
        bobId,
        { created: at('2026-02-24', 16 * 60 + 20), items: [item('DP-600', 4), item('PS-5', 4)], carrier: 'FedEx', express: true },
        false,
      ),
      buildOrder(rng, bobId, { created: at('2026-06-02', 19 * 60 + 10), items: [item('WC-1080', 8)], carrier: 'FedEx', express: false }, false),
      buildOrder(rng, bobId, { created: at('2026-11-20', 9 * 60 + 50), items: [item('HS-300', 8), item('EP-10', 4)], carrier: 'UPS', express: false }, false),
    );

    for (const s of states.slice(2)) {
      const count = rng.weighted<number>([
        [0, 22],
        [1, 34],
        [2, 24],
        [3, 12],
        [4, 8],
      ]);
      const from = s.customer.createdAt!.getTime() + 14 * DAY_MS;
      const churnedEnd = s.customer.isActive ? null : toDate(s.main.endDate!).getTime();
      const until = churnedEnd ?? DEMO_NOW.getTime() - 3 * 3_600_000;
      const international = s.region !== 'US';
      const created: Date[] = [];
      for (let k = 0; k < count; k++) {
        // Most orders are spread over the customer's lifetime; some are from the last week.
        const t = !churnedEnd && rng.chance(0.18) ? until - rng.float() * 6 * DAY_MS : from + rng.float() * Math.max(DAY_MS, until - from);
        created.push(new Date(Math.floor(t / 60_000) * 60_000));
      }
      created.sort((a, b) => a.getTime() - b.getTime());
      for (const c of created) {
        const ageDays = (DEMO_NOW.getTime() - c.getTime()) / DAY_MS;
        const outcome =
          ageDays > 20 ? rng.weighted<OrderSpec['outcome']>([
            [undefined, 86],
            ['returned', 9],
            ['canceled', 5],
          ]) : undefined;
        const carrier: Carrier = international
          ? 'DHL'
          : rng.weighted<Carrier>([
              ['UPS', 60],
              ['FedEx', 25],
              ['USPS', 15],
            ]);
        s.orders.push(buildOrder(rng, s.customer.id!, { created: c, items: randomItems(rng, s.main.seats ?? 1), carrier, express: rng.chance(0.2), outcome }, international));
      }
    }
    // One order placed moments ago, still pending payment confirmation, so every status is present.
    const host = states.slice(2).find((s) => s.customer.isActive && s.region === 'US' && s.orders.length > 0 && s.orders.length < 4)!;
    host.orders.push(
      buildOrder(rng, host.customer.id!, { created: addHours(DEMO_NOW, -0.75), items: [item('HS-100', 3), item('WC-1080', 1)], carrier: 'UPS', express: false }, false),
    );
  }

  // ---- Numbering: invoices by issue date, orders by creation time (with small gaps, as in a real shop).
  const allInvoices = states.flatMap((s) => s.invoices).sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  allInvoices.forEach((d, i) => {
    d.row.invoiceNumber = `INV-${d.row.issuedOn.slice(0, 4)}-${String(i + 1).padStart(5, '0')}`;
  });
  const allOrders = states
    .flatMap((s) => s.orders)
    .sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime() || (a.id! < b.id! ? -1 : 1));
  let orderSeq = 104_000 + rng.int(0, 200);
  for (const o of allOrders) {
    orderSeq += rng.int(1, 40);
    o.orderNumber = `ORD-${orderSeq}`;
  }

  // ---- Support tickets.
  const tickets: TicketDraft[] = [];
  /** A time between `minHours` and `maxHours` after `base`, never later than an hour before DEMO_NOW. */
  const after = (base: Date, minHours: number, maxHours: number): Date => {
    const latest = addHours(DEMO_NOW, -1).getTime();
    const lo = Math.min(base.getTime() + minHours * 3_600_000, latest);
    const hi = Math.max(lo, Math.min(base.getTime() + maxHours * 3_600_000, latest));
    return new Date(Math.floor((lo + rng.float() * (hi - lo)) / 60_000) * 60_000);
  };
  const addTicket = (
    customerId: string,
    created: Date,
    subject: string,
    summary: string,
    priority: DemoSupportTicket['priority'],
    reason: string,
    status?: DemoSupportTicket['status'],
  ): void => {
    const c = minDate(created, addHours(DEMO_NOW, -1));
    const st = status ?? ticketStatusFor(rng, c);
    tickets.push({
      id: rng.uuid(),
      customerId,
      conversationId: null,
      subject,
      summary,
      reason,
      priority,
      status: st,
      assignedTo: null,
      createdAt: c,
      updatedAt: ticketUpdatedAt(rng, c, st),
    });
  };

  {
    const alice = states[0]!;
    const returned = alice.orders[1]!;
    addTicket(
      alice.customer.id!,
      addHours(returned.deliveredAt!, 24 * 4 + 3),
      `Return request for WC-4K Webcam (${returned.orderNumber})`,
      `Customer wants to return the WC-4K Webcam from order ${returned.orderNumber}: the 4K picture only works on a USB 3.0 port her laptop lacks. Within the 30-day window; RMA issued with a prepaid UPS label, refund to the original card once inspected.`,
      'normal',
      'customer_request',
      'closed',
    );
    const bob = states[1]!;
    const phones = bob.orders[0]!;
    addTicket(
      bob.customer.id!,
      at('2026-10-06', 15 * 60 + 12),
      'DP-600 desk phones drop registration after office move',
      `Since moving offices, the 4 DP-600 desk phones from order ${phones.orderNumber} register and then show "No service" after a few minutes. Likely SIP ALG on the new router; customer asked to disable SIP ALG and allow TCP 5061 and UDP 10000-20000.`,
      'high',
      'customer_request',
      'resolved',
    );
  }

  for (const s of states.slice(2)) {
    const want = rng.weighted<number>([
      [0, 45],
      [1, 43],
      [2, 12],
    ]);
    const candidates: Array<() => void> = [];
    const cid = s.customer.id!;
    const recentCreated = (daysBack: number) => at(addDays(DEMO_TODAY, -rng.int(1, daysBack)), businessMinute(rng));
    const lastPaidOrOpen = [...s.invoices].reverse().find((d) => d.row.status !== 'void')!.row;
    const overdue = s.invoices.find((d) => d.row.status === 'overdue')?.row;
    const plan = s.main.plan;

    for (const o of s.orders) {
      const names = o.items.map((it) => it.name);
      if (o.status === 'shipped' || (o.status === 'delivered' && o.deliveredAt && DEMO_NOW.getTime() - o.deliveredAt.getTime() < 20 * DAY_MS)) {
        candidates.push(() =>
          addTicket(
            cid,
            after(o.shippedAt!, 40, 100),
            `Where is my order ${o.orderNumber}?`,
            `Customer asks for a delivery update on order ${o.orderNumber} (${names.join(', ')}), shipped with ${o.carrier}, tracking ${o.trackingNumber}. Tracking has not updated for 2 days.`,
            'normal',
            'customer_request',
          ),
        );
      }
      if (o.status === 'returned') {
        candidates.push(() =>
          addTicket(
            cid,
            after(o.deliveredAt!, 72, 192),
            `Return ${o.orderNumber}: refund status`,
            `Customer returned ${names.join(', ')} from order ${o.orderNumber} and asks when the refund will appear. Explained inspection within 3 business days of arrival and 5-10 business days for the bank.`,
            'normal',
            'customer_request',
          ),
        );
      }
      if (o.status === 'delivered' && o.items.some((it) => it.sku.startsWith('DP-'))) {
        candidates.push(() =>
          addTicket(
            cid,
            after(o.deliveredAt!, 20, 240),
            'Desk phone shows "Registration failed"',
            `Desk phone from order ${o.orderNumber} won't register. Phone gets an IP address but shows "Registration failed"; MAC not yet assigned under Admin → Devices. Walked through provisioning and reboot.`,
            'high',
            'customer_request',
          ),
        );
      }
      if (o.status === 'delivered' && o.items.some((it) => it.sku.startsWith('HS-'))) {
        candidates.push(() =>
          addTicket(
            cid,
            after(o.deliveredAt!, 48, 600),
            'Headset microphone not picked up in calls',
            `Callers can't hear the customer through a headset from order ${o.orderNumber}. Mute light is off; the computer still uses the built-in microphone. Asked to select the headset under Settings → Audio and update firmware with Hardware Manager.`,
            rng.pick(['low', 'normal'] as const),
            'customer_request',
          ),
        );
      }
      if (o.status === 'delivered' && o.items.some((it) => it.sku.startsWith('WC-'))) {
        candidates.push(() =>
          addTicket(
            cid,
            after(o.deliveredAt!, 20, 288),
            'Webcam not detected in the browser',
            `The webcam from order ${o.orderNumber} works in other apps but Switchboard shows "No camera found". Camera permission was blocked for app.switchboard.example; asked to allow it in the address bar and select the webcam under Settings → Video.`,
            'normal',
            'customer_request',
          ),
        );
      }
      if (o.status === 'delivered' && rng.chance(0.15)) {
        candidates.push(() =>
          addTicket(
            cid,
            after(o.deliveredAt!, 2, 74),
            `Damaged item in order ${o.orderNumber}`,
            `The box for order ${o.orderNumber} arrived crushed and ${o.items[0]!.name} has a cracked housing. Photos received within 7 days of delivery; replacement to ship by express at no cost.`,
            'high',
            'customer_request',
          ),
        );
      }
    }
    if (overdue) {
      candidates.push(() =>
        addTicket(
          cid,
          at(addDays(overdue.issuedOn, rng.int(31, 35)), businessMinute(rng)),
          `Payment failed for ${overdue.invoiceNumber}`,
          `Card payment for ${overdue.invoiceNumber} (${money(overdue.amountCents)}) was declined and the invoice is now overdue. Customer will update the card under Settings → Billing → Payment method and click Pay now.`,
          'high',
          'billing_dispute',
          'open',
        ),
      );
    }
    candidates.push(() =>
      addTicket(
        cid,
        at(addDays(lastPaidOrOpen.issuedOn, rng.int(0, Math.min(6, daysBetween(lastPaidOrOpen.issuedOn, DEMO_TODAY)))), businessMinute(rng)),
        `Question about invoice ${lastPaidOrOpen.invoiceNumber}`,
        `Customer asks why ${lastPaidOrOpen.invoiceNumber} is ${money(lastPaidOrOpen.amountCents)}: ${lastPaidOrOpen.description}. Explained per-seat pricing and that seat changes apply from the next renewal.`,
        'normal',
        'billing_dispute',
      ),
    );
    if (!s.customer.isActive) {
      candidates.push(() =>
        addTicket(
          cid,
          at(addDays(s.main.endDate!, -rng.int(3, 20)), businessMinute(rng)),
          'Cancel our subscription',
          `Customer asked to cancel the ${plan} plan at the end of the billing period (${s.main.endDate}) and to export call history first. Explained the 30-day read-only period and Settings → Privacy → Export data.`,
          'high',
          'account_change',
          'closed',
        ),
      );
    } else {
      if (plan === 'business' || plan === 'enterprise') {
        candidates.push(() =>
          addTicket(
            cid,
            recentCreated(60),
            'SAML SSO test fails with "Invalid audience"',
            `Setting up SSO with ${rng.pick(['Okta', 'Microsoft Entra ID', 'Google Workspace'])}: the test sign-in fails with "Invalid audience". The Entity ID in the identity provider doesn't match the one under Settings → Security → Single sign-on.`,
            'normal',
            'customer_request',
          ),
        );
      }
      if (plan !== 'starter') {
        candidates.push(() =>
          addTicket(
            cid,
            recentCreated(45),
            'API returning 429 rate_limited during nightly sync',
            `Nightly CRM sync hits HTTP 429 (rate_limited) after a few minutes. The ${plan} plan allows ${plan === 'pro' ? '300' : plan === 'business' ? '1,000' : '3,000'} requests per minute per workspace; suggested page size 100, honouring Retry-After, and webhooks instead of polling.`,
            'low',
            'customer_request',
          ),
        );
      }
      if (plan === 'starter' || plan === 'pro') {
        candidates.push(() =>
          addTicket(
            cid,
            recentCreated(30),
            `Upgrade from ${plan === 'starter' ? 'Starter to Pro' : 'Pro to Business'}`,
            `Customer wants to upgrade the ${plan} plan and add 2 seats, and asks how proration works. Upgrade applies immediately; prorated difference invoiced the same day.`,
            'normal',
            'account_change',
          ),
        );
      }
      if (rng.chance(0.3)) {
        candidates.push(() =>
          addTicket(
            cid,
            recentCreated(20),
            'Locked out after too many sign-in attempts',
            'Member locked out after 5 failed sign-in attempts and not receiving the reset email. Reset link resent; asked to check spam and allow mail from switchboard.example.',
            'high',
            'customer_request',
          ),
        );
      }
      if (s.region !== 'US') {
        const taxId = s.region === 'UK' ? 'UK VAT number' : s.region === 'CA' ? 'GST/HST number' : 'ABN';
        candidates.push(() =>
          addTicket(
            cid,
            recentCreated(50),
            `Add our ${taxId} to invoices`,
            `Customer asks for the ${taxId} to appear on invoices and whether tax can be removed from ${lastPaidOrOpen.invoiceNumber}. Pointed to Settings → Billing → Company details; invoices from the last 30 days can be reissued as reverse-charge.`,
            'low',
            'customer_request',
          ),
        );
      }
      if (plan === 'business' || plan === 'enterprise') {
        candidates.push(() =>
          addTicket(
            cid,
            recentCreated(40),
            'Request for SOC 2 Type II report',
            "Customer's security team needs the latest SOC 2 Type II report and penetration test summary for a vendor review. Sent the Trust Center link; NDA to be accepted there.",
            'low',
            'customer_request',
          ),
        );
      }
      if (rng.chance(0.08)) {
        candidates.push(() =>
          addTicket(
            cid,
            recentCreated(3),
            'Unrecognised sign-in from another country',
            'Owner received a new-device alert for a sign-in they did not make. Asked to reset the password, require 2FA for the workspace and review the audit log; account secured, investigating.',
            'urgent',
            'urgent_issue',
          ),
        );
      }
    }
    for (let k = 0; k < want && candidates.length > 0; k++) candidates.splice(rng.int(0, candidates.length - 1), 1)[0]!();
  }

  tickets.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime() || (a.id! < b.id! ? -1 : 1));
  let ticketSeq = 100_100;
  const supportTicketRows: DemoSupportTicket[] = tickets.map((t) => {
    ticketSeq += rng.int(1, 25);
    return { ...t, ticketNumber: `TCK-${ticketSeq}` };
  });

  return {
    customers: states.map((s) => s.customer),
    subscriptions: states.flatMap((s) => s.subs),
    invoices: allInvoices.map((d) => d.row),
    orders: allOrders,
    supportTickets: supportTicketRows,
  };
}

// ---------------------------------------------------------------- orders to try the actions on

/** Alice's address, where her action demo orders ship. */
export const ALICE_ADDRESS = { name: 'Alice Martin', line1: '18 Harbor Street', line2: 'Suite 4', city: 'Columbus', region: 'OH', postal_code: '43215', country: 'US' };

/**
 * Orders for alice@example.com on which every account action can be tried, dated from `now` (the
 * day the demo is loaded: return windows and cancellations are measured from the real clock):
 * ORD-190001 pending (cancel, change address), ORD-190002 processing (cancel; its address can no
 * longer change), ORD-190003 delivered 6 days ago for $375.00 (a refund above the approval
 * threshold: waits for staff), ORD-190004 delivered 3 days ago for $38.00 (a refund the customer
 * confirms alone). Pure in `now`.
 */
export function actionDemoOrders(customerId: string, now: Date): DemoOrder[] {
  const hoursAgo = (h: number) => new Date(Math.floor((now.getTime() - h * 3_600_000) / 1000) * 1000);
  const base = (id: string, orderNumber: string, items: OrderItem[], created: Date) => ({
    id,
    customerId,
    orderNumber,
    items,
    totalCents: items.reduce((s, it) => s + it.quantity * it.unit_price_cents, 0),
    currency: 'USD',
    shippingAddress: ALICE_ADDRESS,
    createdAt: created,
  });
  const none = { carrier: null, trackingNumber: null, shippedAt: null, deliveredAt: null };
  return [
    { ...base('5b0ad2c1-0000-4000-8000-000000190001', 'ORD-190001', [item('HS-100', 1), item('EP-10', 2)], hoursAgo(0.5)), ...none, status: 'pending', updatedAt: hoursAgo(0.5) },
    { ...base('5b0ad2c1-0000-4000-8000-000000190002', 'ORD-190002', [item('WC-1080', 1)], hoursAgo(5)), ...none, status: 'processing', updatedAt: hoursAgo(3) },
    {
      ...base('5b0ad2c1-0000-4000-8000-000000190003', 'ORD-190003', [item('HS-300', 1), item('WC-1080', 1), item('EP-10', 3)], hoursAgo(24 * 10)),
      status: 'delivered',
      carrier: 'UPS',
      trackingNumber: '1Z5B0AD20301900031',
      shippedAt: hoursAgo(24 * 9),
      deliveredAt: hoursAgo(24 * 6),
      updatedAt: hoursAgo(24 * 6),
    },
    {
      ...base('5b0ad2c1-0000-4000-8000-000000190004', 'ORD-190004', [item('EP-10', 2)], hoursAgo(24 * 7)),
      status: 'delivered',
      carrier: 'USPS',
      trackingNumber: '9400190004000000000004',
      shippedAt: hoursAgo(24 * 6),
      deliveredAt: hoursAgo(24 * 3),
      updatedAt: hoursAgo(24 * 3),
    },
  ];
}
