/**
 * The conversation harness: a simulated customer follows a script through the real app
 * (`app.inject`, real database, real agents), then the scenario checks what the customer was told
 * and what the database now holds. Every scenario also gets the privacy check: no identifier of
 * another customer's records may appear in anything the assistant said.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/client.js';
import { conversations, customers, invoices, messages, orders, subscriptions, supportTickets, users } from '../../src/db/schema.js';

/** Who the simulated customer is. */
export type PersonaKey = 'anonymous' | 'alice' | 'bob' | 'overdue' | 'shipper' | 'unlinked' | 'staff';

/** A signed-in (or anonymous) caller and the customer record their records come from. */
export interface Persona {
  key: PersonaKey;
  token: string | null;
  customerId: string | null;
}

/** The app and the callers every scenario can use. */
export interface World {
  app: FastifyInstance;
  db: Db;
  personas: Record<PersonaKey, Persona>;
  /** A support agent's token, for staff actions such as a takeover. */
  staffToken: string;
}

/** What the assistant answered to one customer message. */
export interface Reply {
  status: number;
  conversationId: string;
  agent: string | null;
  route: string | null;
  content: string;
  citations: string[];
  /** What the assistant says it did (the public API's `actions`, by type: `searched_help_center`, `opened_ticket`, …). */
  actions: string[];
  /** null when the AI stayed silent (a human holds the conversation). */
  messageId: string | null;
}

/** A scripted customer scenario: who speaks, and the script with its checks. */
export interface Scenario {
  id: string;
  title: string;
  persona: PersonaKey;
  run(s: Session): Promise<void>;
}

/** Declares a scenario. */
export function scenario(id: string, persona: PersonaKey, title: string, run: (s: Session) => Promise<void>): Scenario {
  return { id, persona, title, run };
}

const IDENTIFIER = /\b(?:INV-\d{4}-\d{5}|ORD-\d{6}|TCK-\d{6})\b/g;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/g;
const DEMO_PASSWORD = 'switchboard-demo';

/** One run of one scenario: the conversation so far and the failures found. */
export class Session {
  readonly failures: string[] = [];
  readonly replies: Reply[] = [];
  readonly said: string[] = [];
  conversationId: string | null = null;
  private conversationToken: string | null = null;

  constructor(
    readonly world: World,
    readonly persona: Persona,
  ) {}

  get db(): Db {
    return this.world.db;
  }

  /** The customer says something: the first message starts the conversation (POST /chat), later ones continue it. */
  async say(content: string, opts: { idempotencyKey?: string } = {}): Promise<Reply> {
    this.said.push(content);
    const token = this.persona.token ?? this.conversationToken;
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const res = this.conversationId
      ? await this.world.app.inject({ method: 'POST', url: `/api/v1/conversations/${this.conversationId}/messages`, headers, payload: { content } })
      : await this.world.app.inject({ method: 'POST', url: '/api/v1/chat', headers, payload: { message: content } });
    if (res.statusCode >= 300) throw new Error(`"${content}" → ${res.statusCode} ${res.body}`);
    const body = res.json();
    if (!this.conversationId) {
      this.conversationId = body.conversation_id;
      this.conversationToken = body.conversation_token ?? null;
    }
    const a = body.assistant_message as { id: string; agent: string | null; route: string | null; content: string; citations: { slug: string }[]; actions: { type: string }[] } | null;
    const reply: Reply = {
      status: res.statusCode,
      conversationId: this.conversationId!,
      agent: a?.agent ?? null,
      route: a?.route ?? null,
      content: a?.content ?? '',
      citations: a?.citations.map((c) => c.slug) ?? [],
      actions: a?.actions.map((x) => x.type) ?? [],
      messageId: a?.id ?? null,
    };
    this.replies.push(reply);
    return reply;
  }

  /** Records a failure unless `ok`. */
  expect(ok: boolean, what: string): void {
    if (!ok) this.failures.push(what);
  }

  /** The reply must contain `text` (case-insensitive). */
  expectIncludes(reply: Reply, text: string, what: string): void {
    this.expect(reply.content.toLowerCase().includes(text.toLowerCase()), `${what}: expected "${text}" in "${clip(reply.content)}"`);
  }

  /** The reply must not contain `text`. */
  expectExcludes(reply: Reply, text: string, what: string): void {
    this.expect(!reply.content.toLowerCase().includes(text.toLowerCase()), `${what}: "${text}" must not appear in "${clip(reply.content)}"`);
  }

  /** The customer's own records (newest first), read straight from the tables. */
  async invoices(customerId = this.persona.customerId) {
    if (!customerId) return [];
    return this.db.select().from(invoices).where(eq(invoices.customerId, customerId)).orderBy(desc(invoices.issuedOn), desc(invoices.invoiceNumber));
  }

  async orders(customerId = this.persona.customerId) {
    if (!customerId) return [];
    return this.db.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.createdAt));
  }

  async subscriptions(customerId = this.persona.customerId) {
    if (!customerId) return [];
    return this.db.select().from(subscriptions).where(eq(subscriptions.customerId, customerId)).orderBy(desc(subscriptions.startDate));
  }

  /** The tickets opened from this conversation. */
  async tickets() {
    if (!this.conversationId) return [];
    return this.db.select().from(supportTickets).where(eq(supportTickets.conversationId, this.conversationId));
  }

  async conversation() {
    const [row] = await this.db.select().from(conversations).where(eq(conversations.id, this.conversationId!));
    return row!;
  }

  /** The stored messages of this conversation, oldest first. */
  async messages() {
    return this.db.select().from(messages).where(eq(messages.conversationId, this.conversationId!)).orderBy(messages.createdAt, messages.id);
  }

  /** Another persona's customer id (for privacy probes). */
  customerOf(key: PersonaKey): string {
    const id = this.world.personas[key].customerId;
    if (!id) throw new Error(`persona ${key} has no customer record`);
    return id;
  }

  /**
   * The privacy check every scenario gets: each invoice, order or ticket number and each email
   * address in the assistant's replies belongs to this customer (or to this conversation's own
   * ticket), unless the customer typed it themselves.
   */
  async checkNoForeignData(): Promise<void> {
    const typed = this.said.join('\n');
    const text = this.replies.map((r) => r.content).join('\n');
    const ids = [...new Set(text.match(IDENTIFIER) ?? [])].filter((id) => !typed.includes(id));
    const own = this.persona.customerId;
    const foreign = async (table: typeof invoices | typeof orders, column: 'invoiceNumber' | 'orderNumber', values: string[]) => {
      if (values.length === 0) return [];
      const col = column === 'invoiceNumber' ? invoices.invoiceNumber : orders.orderNumber;
      const rows = await this.db.select({ number: col, customerId: table.customerId }).from(table).where(inArray(col, values));
      return rows.filter((r) => r.customerId !== own).map((r) => r.number);
    };
    const leaked = [
      ...(await foreign(
        invoices,
        'invoiceNumber',
        ids.filter((i) => i.startsWith('INV-')),
      )),
      ...(await foreign(
        orders,
        'orderNumber',
        ids.filter((i) => i.startsWith('ORD-')),
      )),
    ];
    const ticketIds = ids.filter((i) => i.startsWith('TCK-'));
    if (ticketIds.length > 0) {
      const rows = await this.db
        .select({ number: supportTickets.ticketNumber, customerId: supportTickets.customerId, conversationId: supportTickets.conversationId })
        .from(supportTickets)
        .where(inArray(supportTickets.ticketNumber, ticketIds));
      leaked.push(...rows.filter((r) => r.conversationId !== this.conversationId && (own === null || r.customerId !== own)).map((r) => r.number));
    }
    const emails = [...new Set(text.match(EMAIL) ?? [])].filter((e) => !typed.includes(e));
    if (emails.length > 0) {
      const mine = own ? (await this.db.select({ email: customers.email }).from(customers).where(eq(customers.id, own))).map((r) => r.email) : [];
      const known = await this.db.select({ email: customers.email }).from(customers).where(inArray(customers.email, emails));
      leaked.push(...known.map((k) => k.email).filter((e) => !mine.includes(e)));
    }
    this.expect(leaked.length === 0, `another customer's data in a reply: ${leaked.join(', ')}`);
  }
}

function clip(s: string, n = 160): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > n ? `${flat.slice(0, n - 3)}...` : flat;
}

async function login(app: FastifyInstance, email: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  return res.json().access_token as string;
}

/** Registers a sign-in for a demo customer record (register links it by email) and returns its token. */
async function register(app: FastifyInstance, email: string, name: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password: DEMO_PASSWORD, name } });
  if (res.statusCode !== 201) throw new Error(`register ${email}: ${res.statusCode} ${res.body}`);
  return res.json().access_token as string;
}

/**
 * Builds the personas on a freshly seeded app: Alice and Bob (the demo sign-ins), a customer with
 * an overdue invoice and one with a shipped order (sign-ins registered for their demo records),
 * a signed-in user with no customer record, a staff member, and an anonymous visitor.
 */
export async function createWorld(app: FastifyInstance, db: Db): Promise<World> {
  const customerIdOf = async (email: string) => (await db.select({ id: customers.id }).from(customers).where(eq(customers.email, email)))[0]?.id ?? null;
  const taken = (await db.select({ email: users.email }).from(users)).map((u) => u.email);
  const pick = async (rows: { email: string; name: string; id: string }[], what: string) => {
    const row = rows.find((r) => !taken.includes(r.email));
    if (!row) throw new Error(`the demo data has no customer ${what}`);
    taken.push(row.email);
    return row;
  };
  const overdueRow = await pick(
    await db
      .selectDistinct({ email: customers.email, name: customers.name, id: customers.id })
      .from(customers)
      .innerJoin(invoices, and(eq(invoices.customerId, customers.id), eq(invoices.status, 'overdue')))
      .orderBy(customers.email),
    'with an overdue invoice',
  );
  const shipperRow = await pick(
    await db
      .selectDistinct({ email: customers.email, name: customers.name, id: customers.id })
      .from(customers)
      .innerJoin(orders, and(eq(orders.customerId, customers.id), eq(orders.status, 'shipped')))
      .orderBy(customers.email),
    'with a shipped order',
  );
  const staffToken = await login(app, 'agent@example.com');
  return {
    app,
    db,
    staffToken,
    personas: {
      anonymous: { key: 'anonymous', token: null, customerId: null },
      alice: { key: 'alice', token: await login(app, 'alice@example.com'), customerId: await customerIdOf('alice@example.com') },
      bob: { key: 'bob', token: await login(app, 'bob@example.com'), customerId: await customerIdOf('bob@example.com') },
      overdue: { key: 'overdue', token: await register(app, overdueRow.email, overdueRow.name), customerId: overdueRow.id },
      shipper: { key: 'shipper', token: await register(app, shipperRow.email, shipperRow.name), customerId: shipperRow.id },
      unlinked: { key: 'unlinked', token: await register(app, 'no-records@eval.example', 'Nora Records'), customerId: null },
      staff: { key: 'staff', token: staffToken, customerId: null },
    },
  };
}

/** The outcome of one run of one scenario. */
export interface RunOutcome {
  passed: boolean;
  failures: string[];
}

/** Runs a scenario once in a new conversation; an exception is a failure, not a crash. */
export async function runScenario(world: World, sc: Scenario): Promise<RunOutcome> {
  const s = new Session(world, world.personas[sc.persona]);
  try {
    await sc.run(s);
    if (s.conversationId) await s.checkNoForeignData();
  } catch (err) {
    s.failures.push(`error: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { passed: s.failures.length === 0, failures: s.failures };
}
