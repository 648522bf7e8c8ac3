// The route walk: every operation of the OpenAPI document, called by every kind of caller, must give
// the status this table declares, a body that matches the document, and nothing of another customer.
// The route list comes from the live document, so a new route fails here until its row is added:
// declare who may call it (see docs/api.md, "Adding a route").
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_REDIS_URL, type TestApp } from './app.js';
import { DRIVERS } from './db.js';

type Caller = 'anonymous' | 'conversation' | 'customer' | 'stranger' | 'agent' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'conversation', 'stranger', 'customer', 'agent', 'admin'];
/** Callers that own none of the fixtures: they must not be able to tell an existing resource from none. */
const OUTSIDERS: Caller[] = ['anonymous', 'conversation', 'stranger'];

/** Alice's resources (she is "customer"; Bob is "stranger"). In the existence check, ids of nothing. */
interface Fixtures {
  conversationId: string;
  ticketId: string;
  customerId: string;
  documentId: string;
  /** The agent's user id (an assignee). */
  staffId: string;
}

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

interface Ctx {
  caller: Caller;
  /** True during the existence check: fresh resources are ids of nothing too. */
  ghost: boolean;
  fresh: {
    /** A new conversation of Alice's. */
    conversation(): Promise<string>;
    /** A new conversation of Alice's, held by the agent. */
    heldConversation(): Promise<string>;
    /** A new conversation of Alice's, held by the agent, with a question of hers to answer. */
    heldQuestion(): Promise<string>;
    /** A new visitor conversation and its conversation token; `claimedByAlice`: Alice kept it when she signed in. */
    visitorConversation(claimedByAlice?: boolean): Promise<{ id: string; token: string }>;
    /** A new knowledge document. */
    document(): Promise<string>;
    /** A new canned reply. */
    cannedReply(): Promise<string>;
    /** A refresh token of a new session of Bob's. */
    refreshToken(): Promise<string>;
  };
  unique: string;
}

interface Rule {
  expect: Record<Caller, number>;
  call?: (fx: Fixtures, ctx: Ctx) => Call | Promise<Call>;
  /** The caller signs in afresh for this route (it ends the session). */
  freshSession?: boolean;
  /** The request itself names Alice (e.g. her credentials), so her data in the answer is no leak. */
  namesAlice?: boolean;
}

const everyone = (s: number): Record<Caller, number> => ({ anonymous: s, conversation: s, customer: s, stranger: s, agent: s, admin: s });
const signedIn = (s: number): Record<Caller, number> => ({ anonymous: 401, conversation: 401, customer: s, stranger: s, agent: s, admin: s });
const ownerOrStaff = (s: number): Record<Caller, number> => ({ anonymous: 404, conversation: 404, customer: s, stranger: 404, agent: s, admin: s });
const ownerOnly = (s: number): Record<Caller, number> => ({ anonymous: 404, conversation: 404, customer: s, stranger: 404, agent: 403, admin: 403 });
const staffOnly = (s: number): Record<Caller, number> => ({ anonymous: 401, conversation: 401, customer: 403, stranger: 403, agent: s, admin: s });
const adminOnly = (s: number): Record<Caller, number> => ({ anonymous: 401, conversation: 401, customer: 403, stranger: 403, agent: 403, admin: s });

/** Who may call what. Every operation in the OpenAPI document needs a row. */
const RULES: Record<string, Rule> = {
  'GET /health': { expect: everyone(200) },
  'GET /ready': { expect: everyone(200) },
  'GET /metrics': { expect: everyone(200) },

  'POST /api/v1/auth/register': { expect: everyone(201), call: (_fx, c) => ({ body: { email: `walk-${c.unique}@example.org`, password: 'a long password', name: 'Walker' } }) },
  'POST /api/v1/auth/login': { expect: everyone(200), namesAlice: true, call: () => ({ body: { email: 'alice@example.com', password: 'switchboard-demo' } }) },
  'POST /api/v1/auth/refresh': { expect: everyone(200), call: async (_fx, c) => ({ body: { refresh_token: await c.fresh.refreshToken() } }) },
  'POST /api/v1/auth/logout': { expect: signedIn(204), freshSession: true },
  'GET /api/v1/me': { expect: signedIn(200) },

  'POST /api/v1/conversations': { expect: everyone(201), call: () => ({ body: { subject: 'walk' } }) },
  'GET /api/v1/conversations': { expect: signedIn(200) },
  'GET /api/v1/conversations/{id}': { expect: ownerOrStaff(200), call: (fx) => ({ params: { id: fx.conversationId } }) },
  'GET /api/v1/conversations/{id}/messages': { expect: ownerOrStaff(200), call: (fx) => ({ params: { id: fx.conversationId } }) },
  'POST /api/v1/conversations/{id}/messages': { expect: ownerOnly(201), call: (fx) => ({ params: { id: fx.conversationId }, body: { content: 'What plan am I on?' } }) },
  'POST /api/v1/conversations/{id}/feedback': { expect: ownerOnly(201), call: (fx) => ({ params: { id: fx.conversationId }, body: { rating: 5 } }) },
  // A signed-in customer keeps a visitor conversation whose token they hold; Bob holding the token of one Alice kept gets 404.
  'POST /api/v1/conversations/{id}/claim': {
    expect: { anonymous: 401, conversation: 401, customer: 200, stranger: 404, agent: 403, admin: 403 },
    call: async (_fx, c) => {
      const v = await c.fresh.visitorConversation(c.caller === 'stranger');
      return { params: { id: v.id }, body: { conversation_token: v.token } };
    },
  },
  'POST /api/v1/chat': { expect: ownerOnly(200), call: (fx) => ({ body: { message: 'What plan am I on?', conversation_id: fx.conversationId } }) },

  'POST /api/v1/conversations/{id}/takeover': { expect: staffOnly(200), call: async (_fx, c) => ({ params: { id: await c.fresh.conversation() } }) },
  'POST /api/v1/conversations/{id}/release': { expect: staffOnly(200), call: async (_fx, c) => ({ params: { id: await c.fresh.heldConversation() } }) },
  'POST /api/v1/conversations/{id}/staff-messages': {
    expect: staffOnly(201),
    call: async (_fx, c) => ({ params: { id: await c.fresh.conversation() }, body: { content: 'Hello, this is support.' } }),
  },
  'GET /api/v1/staff/queue': { expect: staffOnly(200) },
  // Account actions: an unknown action id is 404 even in the caller's own conversation; staff decide through the approval route.
  'POST /api/v1/conversations/{id}/actions/{action_id}': {
    expect: { anonymous: 404, conversation: 404, customer: 404, stranger: 404, agent: 403, admin: 403 },
    call: async (_fx, c) => ({ params: { id: await c.fresh.conversation(), action_id: '00000000-0000-4000-8000-00000000a001' }, body: { decision: 'confirm' } }),
  },
  'GET /api/v1/conversations/{id}/actions': { expect: ownerOrStaff(200), call: async (_fx, c) => ({ params: { id: await c.fresh.conversation() } }) },
  'GET /api/v1/actions': { expect: staffOnly(200) },
  'POST /api/v1/actions/{action_id}/approval': { expect: staffOnly(404), call: () => ({ params: { action_id: '00000000-0000-4000-8000-00000000a002' }, body: { decision: 'approve' } }) },
  'GET /api/v1/actions/{action_id}/audit': { expect: staffOnly(200), call: () => ({ params: { action_id: '00000000-0000-4000-8000-00000000a003' } }) },
  'POST /api/v1/conversations/{id}/assign': {
    expect: staffOnly(200),
    call: async (fx, c) => ({ params: { id: await c.fresh.conversation() }, body: { assigned_to: fx.staffId } }),
  },
  'GET /api/v1/staff/conversations': { expect: staffOnly(200), call: (fx) => ({ query: { customer_id: fx.customerId, limit: '5' } }) },
  'GET /api/v1/staff/conversations/{id}': { expect: staffOnly(200), call: (fx) => ({ params: { id: fx.conversationId } }) },
  'GET /api/v1/staff/conversations/{id}/context': { expect: staffOnly(200), call: (fx) => ({ params: { id: fx.conversationId } }) },
  'GET /api/v1/staff/members': { expect: staffOnly(200) },
  'GET /api/v1/conversations/{id}/notes': { expect: staffOnly(200), call: (fx) => ({ params: { id: fx.conversationId } }) },
  'POST /api/v1/conversations/{id}/notes': { expect: staffOnly(201), call: (fx) => ({ params: { id: fx.conversationId }, body: { body: 'A note from the walk.' } }) },
  'PUT /api/v1/staff/presence': { expect: staffOnly(200), call: () => ({ body: { status: 'online' } }) },
  'DELETE /api/v1/staff/presence': { expect: staffOnly(204) },
  'GET /api/v1/staff/presence': { expect: staffOnly(200) },
  'GET /api/v1/support/response-time': { expect: everyone(200) },
  'POST /api/v1/conversations/{id}/draft': { expect: staffOnly(200), call: async (_fx, c) => ({ params: { id: await c.fresh.heldQuestion() } }) },
  'GET /api/v1/conversations/{id}/canned-replies': { expect: staffOnly(200), call: (fx) => ({ params: { id: fx.conversationId } }) },
  'GET /api/v1/staff/canned-replies': { expect: staffOnly(200) },
  'POST /api/v1/staff/canned-replies': {
    expect: adminOnly(201),
    call: (_fx, c) => ({ body: { shortcut: `walk-${c.unique}`, title: 'Walk', body: 'Hi {{customer.name}}, from the walk.' } }),
  },
  'PUT /api/v1/staff/canned-replies/{id}': {
    expect: adminOnly(200),
    call: async (_fx, c) => ({ params: { id: await c.fresh.cannedReply() }, body: { shortcut: `walk-put-${c.unique}`, title: 'Walk', body: 'Changed by the walk.' } }),
  },
  'DELETE /api/v1/staff/canned-replies/{id}': { expect: adminOnly(204), call: async (_fx, c) => ({ params: { id: await c.fresh.cannedReply() } }) },

  'GET /api/v1/tickets': { expect: signedIn(200) },
  'POST /api/v1/tickets': { expect: staffOnly(201), call: (fx) => ({ body: { subject: 'Walk', summary: 'Opened by the walk', customer_id: fx.customerId } }) },
  'GET /api/v1/tickets/{id}': {
    expect: { anonymous: 401, conversation: 401, customer: 200, stranger: 404, agent: 200, admin: 200 },
    call: (fx) => ({ params: { id: fx.ticketId } }),
  },
  'PATCH /api/v1/tickets/{id}': { expect: staffOnly(200), call: (fx) => ({ params: { id: fx.ticketId }, body: { priority: 'high' } }) },

  'GET /api/v1/knowledge': { expect: staffOnly(200) },
  'POST /api/v1/knowledge': {
    expect: adminOnly(201),
    call: (_fx, c) => ({ body: { title: `Walk article ${c.unique}`, category: 'walk', content: 'A short article written by the route walk.' } }),
  },
  'GET /api/v1/knowledge/search': { expect: staffOnly(200), call: () => ({ query: { q: 'How long does shipping take?', limit: '3' } }) },
  'GET /api/v1/knowledge/{id}': { expect: staffOnly(200), call: (fx) => ({ params: { id: fx.documentId } }) },
  'PUT /api/v1/knowledge/{id}': {
    expect: adminOnly(200),
    call: async (_fx, c) => ({
      params: { id: await c.fresh.document() },
      body: { title: `Walk article ${c.unique}`, category: 'walk', content: 'The same article, rewritten by the route walk.' },
    }),
  },
  'DELETE /api/v1/knowledge/{id}': { expect: adminOnly(204), call: async (_fx, c) => ({ params: { id: await c.fresh.document() } }) },
  'POST /api/v1/knowledge/reembed': { expect: adminOnly(202) },
  'POST /api/v1/knowledge/import': {
    expect: adminOnly(201),
    call: (_fx, c) => ({ body: { filename: `walk-${c.unique}.txt`, content_base64: Buffer.from('A text file imported by the route walk.').toString('base64'), category: 'walk' } }),
  },
  // Nothing listens on port 9: the page cannot be fetched (502), after the role check.
  'POST /api/v1/knowledge/import-url': { expect: adminOnly(502), call: () => ({ body: { url: 'http://127.0.0.1:9/walk', category: 'walk' } }) },
  // A document written in the console has no page to re-sync from (409).
  'POST /api/v1/knowledge/{id}/sync': { expect: adminOnly(409), call: async (_fx, c) => ({ params: { id: await c.fresh.document() } }) },
  'GET /api/v1/usage': { expect: adminOnly(200) },
  'GET /api/v1/usage/budgets': { expect: adminOnly(200) },
  'GET /api/v1/analytics': { expect: staffOnly(200) },
};

interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components?: object;
}

describe.each(DRIVERS)('route walk over the OpenAPI document (%s)', (driver) => {
  let t: TestApp;
  let doc: OpenApiDoc;
  let fx: Fixtures;
  const tokens = {} as Record<Caller, string | null>;
  const emails: Partial<Record<Caller, string>> = { customer: 'alice@example.com', stranger: 'bob@example.com', agent: 'agent@example.com', admin: 'admin@example.com' };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp(driver, driver === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {});
    doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    tokens.anonymous = null;
    for (const c of CALLERS) if (emails[c]) tokens[c] = await t.login(emails[c]!);
    tokens.conversation = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations' })).json().conversation_token;
    const as = (c: Caller) => ({ authorization: `Bearer ${tokens[c]}` });
    const conversationId = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: as('customer') })).json().id;
    await t.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: as('customer'), payload: { content: 'Hello' } });
    const me = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: as('customer') })).json();
    const ticket = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: as('agent'),
      payload: { subject: "Alice's ticket", summary: 'Fixture', customer_id: me.user.customer_id, conversation_id: conversationId },
    });
    const documents = (await t.app.inject({ method: 'GET', url: '/api/v1/knowledge?limit=1', headers: as('admin') })).json();
    const staffId = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: as('agent') })).json().user.id;
    fx = { conversationId, ticketId: ticket.json().id, customerId: me.user.customer_id, documentId: documents.items[0].id, staffId };
    expect(Object.values(fx).every((v) => typeof v === 'string')).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ghostFixtures = (): Fixtures => ({ conversationId: randomUUID(), ticketId: randomUUID(), customerId: randomUUID(), documentId: randomUUID(), staffId: randomUUID() });

  function context(caller: Caller, ghost: boolean): Ctx {
    const as = (c: Caller) => ({ authorization: `Bearer ${tokens[c]}` });
    const post = (url: string, c: Caller, payload?: object) => t.app.inject({ method: 'POST', url, headers: as(c), ...(payload ? { payload } : {}) });
    const unique = `${driver}-${caller}-${++counter}-${ghost ? 'g' : 'r'}`;
    return {
      caller,
      ghost,
      unique,
      fresh: {
        conversation: async () => (ghost ? randomUUID() : (await post('/api/v1/conversations', 'customer', {})).json().id),
        heldConversation: async () => {
          if (ghost) return randomUUID();
          const id = (await post('/api/v1/conversations', 'customer', {})).json().id;
          expect((await post(`/api/v1/conversations/${id}/takeover`, 'agent')).statusCode).toBe(200);
          return id;
        },
        heldQuestion: async () => {
          if (ghost) return randomUUID();
          const id = (await post('/api/v1/conversations', 'customer', {})).json().id;
          expect((await post(`/api/v1/conversations/${id}/takeover`, 'agent')).statusCode).toBe(200);
          expect((await post(`/api/v1/conversations/${id}/messages`, 'customer', { content: 'How long does shipping take?' })).statusCode).toBe(201);
          return id;
        },
        visitorConversation: async (claimedByAlice = false) => {
          if (ghost) return { id: randomUUID(), token: tokens.conversation! };
          const res = (await t.app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
          if (claimedByAlice) expect((await post(`/api/v1/conversations/${res.id}/claim`, 'customer', { conversation_token: res.conversation_token })).statusCode).toBe(200);
          return { id: res.id, token: res.conversation_token };
        },
        document: async () => {
          if (ghost) return randomUUID();
          const res = await post('/api/v1/knowledge', 'admin', { title: `Walk fixture ${unique}`, category: 'walk', content: 'A document for the route walk.' });
          return res.json().id;
        },
        cannedReply: async () => {
          if (ghost) return randomUUID();
          const res = await post('/api/v1/staff/canned-replies', 'admin', { shortcut: `fixture-${unique}`, title: 'Walk fixture', body: 'A canned reply for the route walk.' });
          return res.json().id;
        },
        refreshToken: async () => (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bob@example.com', password: 'switchboard-demo' } })).json().refresh_token,
      },
    };
  }

  async function invoke(method: string, path: string, rule: Rule, caller: Caller, fixtures: Fixtures, ghost: boolean) {
    const call = (await rule.call?.(fixtures, context(caller, ghost))) ?? {};
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => call.params?.[name] ?? `{${name}}`) + (call.query ? `?${new URLSearchParams(call.query)}` : '');
    let token = tokens[caller];
    if (rule.freshSession && emails[caller]) token = await t.login(emails[caller]!);
    return t.app.inject({
      method: method as 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(call.body !== undefined ? { payload: call.body as object } : {}),
    });
  }

  function assertMatchesDocument(method: string, path: string, res: LightMyRequestResponse) {
    const op = doc.paths[path]![method.toLowerCase()]!;
    const declared = op.responses[String(res.statusCode)];
    expect(declared, `${method} ${path} answered ${res.statusCode}, which the document does not declare`).toBeDefined();
    const schema = declared!.content?.['application/json']?.schema;
    if (!schema || res.statusCode === 204 || !String(res.headers['content-type']).includes('json')) return;
    const validate = ajv.compile({ ...schema, components: doc.components });
    const ok = validate(res.json());
    expect(ok, `${method} ${path} ${res.statusCode}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }

  it('has a rule for every operation in the document, and no rule for one that is gone', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const undeclared = operations.filter((op) => !RULES[op]);
    expect(undeclared, 'declare who may call these routes in test/openapi-walk.test.ts (RULES)').toEqual([]);
    expect(Object.keys(RULES).filter((r) => !operations.includes(r))).toEqual([]);
  });

  it("documents the customer's message with actions and no tool_calls, the staff message with tool_calls", () => {
    const schemaOf = (path: string, method: string, status: string) => JSON.stringify(doc.paths[path]![method]!.responses[status]!.content!['application/json']!.schema);
    for (const [path, method, status] of [
      ['/api/v1/chat', 'post', '200'],
      ['/api/v1/conversations/{id}/messages', 'post', '201'],
    ] as const) {
      expect(schemaOf(path, method, status), `${method} ${path}`).toContain('"actions"');
      expect(schemaOf(path, method, status), `${method} ${path}`).not.toContain('"tool_calls"');
    }
    expect(schemaOf('/api/v1/conversations/{id}/staff-messages', 'post', '201')).toContain('"tool_calls"');
    // Read by both: the staff shape or the customer's.
    expect(schemaOf('/api/v1/conversations/{id}', 'get', '200')).toMatch(/"anyOf".*"tool_calls"/);
  });

  it('gives every caller the declared answer on every route, in the documented shape, without leaking', async () => {
    const aliceIds = () => [fx.conversationId, fx.ticketId, fx.customerId];
    const failures: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops).map((m) => m.toUpperCase())) {
        const rule = RULES[`${method} ${path}`];
        if (!rule) continue;
        for (const caller of CALLERS) {
          const res = await invoke(method, path, rule, caller, fx, false);
          const where = `${method} ${path} as ${caller}`;
          if (res.statusCode !== rule.expect[caller]) failures.push(`${where}: expected ${rule.expect[caller]}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
          assertMatchesDocument(method, path, res);
          if (res.statusCode >= 400) expect(res.json().correlation_id, where).toBe(res.headers['x-request-id']);
          // Tool calls (arguments, results, passages, ticket summaries) are for staff; customers get `actions`.
          if (caller !== 'agent' && caller !== 'admin' && res.body.includes('"tool_calls"')) failures.push(`${where}: the answer has tool_calls`);
          if (!OUTSIDERS.includes(caller) || rule.namesAlice) continue;
          for (const id of aliceIds()) if (res.body.includes(id)) failures.push(`${where}: the answer contains Alice's ${id}`);
          // An outsider must not tell Alice's resource from no resource at all.
          const ghost = await invoke(method, path, rule, caller, ghostFixtures(), true);
          const code = (r: LightMyRequestResponse) => (r.statusCode >= 400 ? r.json().error.code : 'ok');
          if (ghost.statusCode !== res.statusCode || code(ghost) !== code(res)) {
            failures.push(`${where}: Alice's resource gives ${res.statusCode} ${code(res)}, none gives ${ghost.statusCode} ${code(ghost)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // Several hundred requests one after another (every caller, and a ghost twin for each outsider): on a
    // loaded 2-core machine they took over the suite's 60 s default, so the walk has a budget of its own.
  }, 240_000);
});
