// The property-based fuzzer over the OpenAPI document (issue 13): every operation the live document
// lists, called by every kind of caller with requests generated from the operation's own schemas,
// valid-ish and hostile. Two properties hold for every answer: no status ≥ 500, and every non-2xx body
// is the one error envelope `{ error: { code, message, details? }, correlation_id }` with the
// correlation id of the x-request-id header. No stack trace, SQL or file path in any body either.
// Used by test/fuzz/openapi-fuzz.test.ts (short, in `npm test`) and test/fuzz/run.ts (`npm run fuzz`).
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { hostile, hostileObject, FORGED_CURSORS, type JsonSchema, RAW_BODIES, validish } from './schema-arbitrary.js';

/** Who sends a request: nobody, a conversation token, the demo users, or a forged/broken token. */
export const CALLERS = ['anonymous', 'conversation', 'customer', 'agent', 'admin', 'forged'] as const;
export type Caller = (typeof CALLERS)[number];

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

/** An id or cursor the service handed out earlier, looked up when the request is sent. */
class PoolRef {
  constructor(
    readonly pool: Pool,
    readonly index: number,
  ) {}
}
type Pool = 'conversations' | 'tickets' | 'knowledge' | 'customers' | 'users' | 'cursors';

/** One generated request, before pool references and tokens are filled in. */
interface Plan {
  op: Operation;
  caller: Caller;
  hostile: boolean;
  legacyPrefix: boolean;
  path: Record<string, unknown>;
  query: [string, unknown][];
  rawQuery?: string;
  headers: Record<string, unknown>;
  body?: { json: unknown } | { raw: string };
  contentType?: string;
  forgery: number;
}

/** What the fuzzer found wrong with one answer. */
export interface Violation {
  kind: '5xx' | 'envelope' | 'leak' | 'stream_error';
  why: string;
  request: string;
  status: number;
  body: string;
}

/** The figures a run prints. */
export interface FuzzReport {
  seed: number;
  requests: number;
  operations: number;
  byStatus: Record<string, number>;
  byCaller: Record<string, number>;
  hostile: number;
  fiveXx: number;
  envelopeViolations: number;
  leaks: number;
  violations: Violation[];
  slowest: { request: string; ms: number };
  ms: number;
}

/** The operations of the OpenAPI document, with their parameters and JSON body schema. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
    })),
  );
}

/** Which pool an id field of a path or body draws from. */
function poolOf(name: string, path: string): Pool | undefined {
  if (name === 'cursor') return 'cursors';
  if (name === 'conversation_id') return 'conversations';
  if (name === 'customer_id') return 'customers';
  if (name === 'assigned_to') return 'users';
  if (name !== 'id') return undefined;
  if (path.includes('/conversations/')) return 'conversations';
  if (path.includes('/tickets/')) return 'tickets';
  if (path.includes('/knowledge/')) return 'knowledge';
  return undefined;
}

/** Known ids and cursors most of the time (so requests reach deep), fresh ones otherwise. */
function fieldHook(path: string) {
  return (s: JsonSchema, name?: string): fc.Arbitrary<unknown> | undefined => {
    const pool = name ? poolOf(name, path) : undefined;
    if (!pool) return undefined;
    const ref = fc.nat().map((i) => new PoolRef(pool, i));
    if (pool === 'cursors') return fc.oneof({ weight: 3, arbitrary: ref }, { weight: 1, arbitrary: fc.constantFrom(...FORGED_CURSORS) });
    return fc.oneof({ weight: 4, arbitrary: ref }, { weight: 1, arbitrary: s.format === 'uuid' ? fc.uuid() : fc.string() });
  };
}

const HOSTILE_PATH_SEGMENTS = ['%zz', '%00', '%', 'a'.repeat(150), '..', '%2e%2e%2f', '%E0%A4%A', ' ', '%20', 'null', '-1', '1e309', '%F0%9F%98%80', '%ED%A0%80'];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/json, text/plain',
];
const IDEMPOTENCY_KEYS = ['fuzz-shared-key', 'x'.repeat(300), 'has space', 'ünï', '', 'a'];
const REQUEST_IDS = ['short', 'a'.repeat(200), 'fuzz-request-0001', '../../etc', 'id with space'];

/**
 * Percent-encodes like encodeURIComponent, but a lone surrogate (which a URL cannot carry as UTF-8)
 * goes out as its WTF-8 bytes, as a raw client could send them.
 */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return Array.from(s)
      .map((ch) => {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

/** The arbitrary of one request to one operation. */
function planOf(op: Operation): fc.Arbitrary<Plan> {
  const hook = fieldHook(op.path);
  const params = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const isChat = op.method === 'POST' && /\/(messages|chat)$/.test(op.path);
  return fc.record({ caller: fc.constantFrom(...CALLERS), hostile: fc.boolean(), legacyPrefix: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.1), forgery: fc.nat() }).chain((b) => {
    const pathArb = fc.record(
      Object.fromEntries(
        params('path').map((p) => [
          p.name,
          b.hostile
            ? fc.oneof(
                fc.constantFrom(...HOSTILE_PATH_SEGMENTS).map((raw) => ({ raw })),
                hostile(p.schema),
                validish(p.schema, hook, p.name),
              )
            : validish(p.schema, hook, p.name),
        ]),
      ),
    );
    const queryArb = fc
      .tuple(
        ...params('query').map((p) =>
          fc.option(b.hostile ? fc.oneof(hostile(p.schema), validish(p.schema, hook, p.name)) : validish(p.schema, hook, p.name), { freq: 2 }).map((v) => [p.name, v] as [string, unknown]),
        ),
      )
      .map((pairs) => pairs.filter(([, v]) => v !== null));
    const extraQuery = b.hostile
      ? fc.option(fc.constantFrom('limit=1&limit=2', 'foo=bar', '%zz=1', 'cursor=%00', 'limit[]=1', '__proto__[x]=1', 'status=active&status=closed', 'limit=1e400'), { freq: 2 })
      : fc.constant(null);
    const headersArb = fc.record({
      idempotency: params('header').some((p) => p.name === 'idempotency-key')
        ? fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.uuid() }, { weight: b.hostile ? 2 : 0, arbitrary: fc.constantFrom(...IDEMPOTENCY_KEYS) })
        : fc.constant(undefined),
      accept: isChat ? fc.constantFrom(undefined, undefined, 'text/event-stream') : fc.constant(undefined),
      requestId: b.hostile ? fc.option(fc.constantFrom(...REQUEST_IDS), { freq: 3 }) : fc.constant(null),
    });
    const bodyArb: fc.Arbitrary<Plan['body']> = op.body
      ? b.hostile
        ? fc.oneof(
            { weight: 5, arbitrary: hostileObject(op.body, hook).map((json) => ({ json })) },
            { weight: 2, arbitrary: hostile(op.body).map((json) => ({ json })) },
            { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ raw })) },
            { weight: 1, arbitrary: fc.constant(undefined) },
          )
        : validish(op.body, hook).map((json) => ({ json }))
      : b.hostile
        ? fc
            .option(
              fc.oneof(
                fc.jsonValue({ maxDepth: 2 }).map((json) => ({ json })),
                fc.constantFrom(...RAW_BODIES).map((raw) => ({ raw })),
              ),
              { freq: 3 },
            )
            .map((v) => v ?? undefined)
        : fc.constant(undefined);
    const contentTypeArb = b.hostile ? fc.option(fc.constantFrom(...CONTENT_TYPES, 'none'), { freq: 4 }).map((v) => v ?? undefined) : fc.constant(undefined);
    return fc.record({ path: pathArb, query: queryArb, rawQuery: extraQuery, headers: headersArb, body: bodyArb, contentType: contentTypeArb }).map(
      (r): Plan => ({
        op,
        ...b,
        path: r.path,
        query: r.query,
        rawQuery: r.rawQuery ?? undefined,
        headers: { 'idempotency-key': r.headers.idempotency, accept: r.headers.accept, 'x-request-id': r.headers.requestId ?? undefined },
        body: r.body,
        contentType: r.contentType,
      }),
    );
  });
}

/** Everything the fuzzer needs of the app under test. */
export interface FuzzTarget {
  app: FastifyInstance;
  /** A fresh access token of a demo user (after the fuzzer signed one out). */
  login(email: string): Promise<string>;
  /** Send the fuzzed requests over a real socket to this listening address instead of `app.inject`. */
  baseUrl?: string;
}

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** One request over HTTP/1.1 on a kept-alive connection, as a raw client would send it. */
function overHttp(agent: http.Agent, baseUrl: string, method: string, url: string, headers: Record<string, string>, payload?: string): Promise<Answer> {
  // Node's client refuses a path with characters outside 0x21-0xff: those go percent-encoded.
  const path = url.replace(/[^\x21-\xff]/gu, (c) => encodeURIComponent(c));
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(baseUrl), { method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.end(payload);
  });
}

const USERS: Partial<Record<Caller, string>> = { customer: 'alice@example.com', agent: 'agent@example.com', admin: 'admin@example.com' };
// In an error body (2xx bodies carry customers' and articles' own text, which may say anything).
const LEAK =
  /\bat [\w.<>]+ \(|node_modules|\/src\/[\w/-]+\.ts|\bSELECT\s[^"]{0,80}?\sFROM\b|INSERT INTO|duplicate key value|violates [\w ]{0,40}constraint|syntax error at or near|invalid byte sequence|\$argon2/i;
const CODE = /^[a-z][a-z0-9_]*$/;

/** What is wrong with a non-2xx answer's body, if anything. */
export function envelopeProblem(status: number, headers: Record<string, unknown>, body: string): string | null {
  if (!String(headers['content-type'] ?? '').startsWith('application/json')) return `content-type ${String(headers['content-type'])}`;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'body is not an object';
  const o = json as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys !== 'correlation_id,error') return `top-level keys ${keys}`;
  const e = o.error as Record<string, unknown> | null;
  if (!e || typeof e !== 'object') return 'error is not an object';
  const extra = Object.keys(e).filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length) return `error has ${extra.join(',')}`;
  if (typeof e.code !== 'string' || !CODE.test(e.code)) return `error.code ${JSON.stringify(e.code)}`;
  if (typeof e.message !== 'string' || !e.message) return 'error.message missing';
  if (typeof o.correlation_id !== 'string' || !o.correlation_id) return 'correlation_id missing';
  if (o.correlation_id !== headers['x-request-id']) return `correlation_id ${o.correlation_id} is not x-request-id ${String(headers['x-request-id'])}`;
  if (status === 429 || status === 503) {
    if (!headers['retry-after']) return `${status} without Retry-After`;
  }
  return null;
}

/** Runs `runs` generated requests against the app with a fixed seed and reports what it found. */
export async function fuzz(target: FuzzTarget, opts: { seed: number; runs: number; progress?: (done: number) => void }): Promise<FuzzReport> {
  const { app } = target;
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as OpenApiDocument;
  const operations = operationsOf(doc);
  const started = Date.now();

  // Real tokens: the demo users, a conversation token, and pools of ids seeded with their resources.
  const tokens: Partial<Record<Caller, string>> = {};
  for (const [caller, email] of Object.entries(USERS)) tokens[caller as Caller] = await target.login(email!);
  const bearer = (c: Caller) => ({ authorization: `Bearer ${tokens[c]}` });
  const anon = (await app.inject({ method: 'POST', url: '/api/v1/conversations', payload: {} })).json();
  tokens.conversation = anon.conversation_token as string;
  const pools: Record<Pool, string[]> = { conversations: [anon.id], tickets: [], knowledge: [], customers: [], users: [], cursors: [] };
  const mine = (await app.inject({ method: 'POST', url: '/api/v1/conversations', headers: bearer('customer'), payload: { subject: 'fuzz' } })).json();
  pools.conversations.push(mine.id);
  const me = (await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('customer') })).json();
  const agent = (await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('agent') })).json();
  pools.customers.push(me.user.customer_id);
  pools.users.push(agent.user.id);
  harvest(pools, (await app.inject({ method: 'GET', url: '/api/v1/tickets?limit=5', headers: bearer('agent') })).json(), '/api/v1/tickets');
  harvest(pools, (await app.inject({ method: 'GET', url: '/api/v1/knowledge?limit=5', headers: bearer('admin') })).json(), '/api/v1/knowledge');

  const report: FuzzReport = {
    seed: opts.seed,
    requests: 0,
    operations: operations.length,
    byStatus: {},
    byCaller: {},
    hostile: 0,
    fiveXx: 0,
    envelopeViolations: 0,
    leaks: 0,
    violations: [],
    slowest: { request: '', ms: 0 },
    ms: 0,
  };

  const resolve = (v: unknown): unknown => {
    if (v instanceof PoolRef) {
      const pool = pools[v.pool];
      return pool.length ? pool[v.index % pool.length] : '00000000-0000-4000-8000-000000000000';
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: resolve((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  const asText = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && 'raw' in v ? null : JSON.stringify(v));

  const authorization = (p: Plan): string | undefined => {
    if (p.caller === 'anonymous') return undefined;
    if (p.caller !== 'forged') return `Bearer ${tokens[p.caller]}`;
    const real = tokens.customer!;
    const [h, body] = real.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${body}.`;
    const flipped = `${real.slice(0, -3)}${real.endsWith('A') ? 'B' : 'A'}${real.slice(-2)}`;
    const admin = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), role: 'admin' })).toString('base64url')}.${real.split('.')[2]}`;
    const forms = [
      'Bearer garbage',
      'Bearer ',
      'Bearer',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      `Bearer ${none}`,
      `Bearer ${flipped}`,
      `Bearer ${admin}`,
      `bearer ${real}x`,
      `Bearer ${'a.'.repeat(3000)}`,
      `Bearer ${real} ${real}`,
    ];
    return forms[p.forgery % forms.length];
  };

  const send = async (p: Plan) => {
    let path = p.op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const v = resolve(p.path[name]);
      if (v && typeof v === 'object' && 'raw' in v) return String((v as { raw: string }).raw);
      return encode(asText(v) ?? '');
    });
    if (p.legacyPrefix) path = path.replace(/^\/api\/v1\//, '/api/');
    const query = p.query.map(([k, v]) => `${encode(k)}=${encode(asText(resolve(v)) ?? '')}`);
    if (p.rawQuery) query.push(p.rawQuery);
    const url = query.length ? `${path}?${query.join('&')}` : path;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.headers)) if (typeof v === 'string') headers[k] = v;
    const auth = authorization(p);
    if (auth !== undefined) headers.authorization = auth;
    let payload: string | undefined;
    if (p.body) {
      payload = 'raw' in p.body ? p.body.raw : JSON.stringify(resolve(p.body.json));
      if (payload === undefined) payload = '';
      headers['content-type'] = 'application/json';
    }
    if (p.contentType === 'none') delete headers['content-type'];
    else if (p.contentType) headers['content-type'] = p.contentType;
    const t0 = Date.now();
    let res: Answer;
    try {
      res = target.baseUrl
        ? await overHttp(keepAlive, target.baseUrl, p.op.method, url, headers, payload)
        : await app.inject({ method: p.op.method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
    } catch (err) {
      // No answer at all (the connection dropped or hung): as bad as a 5xx for the caller.
      res = { statusCode: 599, headers: {}, body: String(err) };
    }
    const ms = Date.now() - t0;
    const label = `${p.op.method} ${url.slice(0, 300)} as ${p.caller}${p.hostile ? ' (hostile)' : ''}${payload !== undefined ? ` body ${payload.slice(0, 300)}` : ''}${headers['content-type'] && p.contentType ? ` [${headers['content-type']}]` : ''}`;
    report.requests++;
    if (p.hostile) report.hostile++;
    report.byStatus[res.statusCode] = (report.byStatus[res.statusCode] ?? 0) + 1;
    report.byCaller[p.caller] = (report.byCaller[p.caller] ?? 0) + 1;
    if (ms > report.slowest.ms) report.slowest = { request: label.slice(0, 200), ms };
    const found = (kind: Violation['kind'], why: string) => {
      if (report.violations.length < 200) report.violations.push({ kind, why, request: label, status: res.statusCode, body: res.body.slice(0, 500) });
    };
    if (res.statusCode >= 500) {
      report.fiveXx++;
      found('5xx', `status ${res.statusCode}`);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const problem = envelopeProblem(res.statusCode, res.headers, res.body);
      if (problem) {
        report.envelopeViolations++;
        found('envelope', problem);
      }
    } else if (String(res.headers['content-type']).startsWith('text/event-stream') && /event: error\ndata: .*"internal_error"/.test(res.body)) {
      report.fiveXx++;
      found('stream_error', 'the stream ended in internal_error');
    } else if (String(res.headers['content-type']).startsWith('application/json') && res.body) {
      harvest(pools, JSON.parse(res.body), p.op.path);
    }
    if ((res.statusCode >= 300 || /event: error/.test(res.body)) && LEAK.test(res.body)) {
      report.leaks++;
      found('leak', `body matches ${LEAK.exec(res.body)![0].slice(0, 80)}`);
    }
    // A real caller the fuzzer itself signed out (logout, refresh reuse) signs in again, so later requests reach the routes.
    const real = USERS[p.caller];
    if (real && auth === `Bearer ${tokens[p.caller]}` && ((p.op.path.endsWith('/auth/logout') && res.statusCode === 204) || (res.statusCode === 401 && /session_revoked/.test(res.body)))) {
      tokens[p.caller] = await target.login(real);
    }
    opts.progress?.(report.requests);
  };

  const result = await fc.check(
    fc.asyncProperty(fc.constantFrom(...operations).chain(planOf), async (p) => {
      await send(p);
      return true;
    }),
    { seed: opts.seed, numRuns: opts.runs, endOnFailure: true },
  );
  if (result.failed) throw new Error(`the fuzzer itself failed: ${String(result.errorInstance)}`);
  keepAlive.destroy();
  report.ms = Date.now() - started;
  return report;
}

/** Adds the ids and cursors of a 2xx answer to the pools (capped, oldest out). */
function harvest(pools: Record<Pool, string[]>, json: unknown, path: string): void {
  const add = (pool: Pool, v: unknown) => {
    if (typeof v !== 'string' || !v || pools[pool].includes(v)) return;
    pools[pool].push(v);
    if (pools[pool].length > 40) pools[pool].shift();
  };
  const family: Pool | undefined = path.includes('/tickets') ? 'tickets' : path.includes('/knowledge') ? 'knowledge' : path.includes('/conversations') ? 'conversations' : undefined;
  const walk = (v: unknown, depth: number, top: boolean) => {
    if (!v || typeof v !== 'object' || depth > 3) return;
    if (Array.isArray(v)) {
      for (const x of v.slice(0, 10)) walk(x, depth + 1, top);
      return;
    }
    const o = v as Record<string, unknown>;
    add('cursors', o.next_cursor);
    add('conversations', o.conversation_id);
    if (family && top && typeof o.id === 'string' && !('role' in o)) add(family, o.id);
    if (Array.isArray(o.items)) walk(o.items, depth + 1, true);
  };
  walk(json, 0, true);
}

/** The report as the lines a run prints. */
export function formatReport(r: FuzzReport): string {
  const byStatus = Object.entries(r.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  const lines = [
    `fuzz seed ${r.seed}: ${r.requests} requests over ${r.operations} operations (${r.hostile} hostile) in ${(r.ms / 1000).toFixed(1)} s`,
    `  by status: ${byStatus}`,
    `  by caller: ${Object.entries(r.byCaller)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`,
    `  5xx: ${r.fiveXx}, envelope violations: ${r.envelopeViolations}, leaks: ${r.leaks}`,
    `  slowest: ${r.slowest.ms} ms (${r.slowest.request})`,
  ];
  for (const v of r.violations.slice(0, 20)) lines.push(`  ${v.kind} ${v.status} ${v.why}: ${v.request}\n      → ${v.body}`);
  return lines.join('\n');
}
