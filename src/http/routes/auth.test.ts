import { eq, notInArray } from 'drizzle-orm';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRefreshFamily } from '../../db/queries/refresh-tokens.js';
import { customers, users } from '../../db/schema.js';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';

interface Tokens {
  access_token: string;
  refresh_token: string;
  user: { id: string; customer_id: string | null; role: string };
}

describe.each(DRIVERS)('auth routes (%s)', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    // PostgreSQL runs with Redis (revoked sessions in the shared cache), PGlite with the in-process cache.
    t = await createTestApp(driver, driver === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {});
  });
  afterAll(async () => {
    await t?.close();
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
  const login = async (email = 'alice@example.com') => (await post('/api/v1/auth/login', { email, password: 'switchboard-demo' })).json() as Tokens;
  const refresh = (token: string) => post('/api/v1/auth/refresh', { refresh_token: token });

  it('registers a customer linked to the customer record with the same email', async () => {
    const linkedEmails = (await t.deps.db.select({ email: users.email }).from(users)).map((u) => u.email);
    const [customer] = await t.deps.db.select().from(customers).where(notInArray(customers.email, linkedEmails)).limit(1);
    const res = await post('/api/v1/auth/register', { email: customer!.email.toUpperCase(), password: 'correct horse battery', name: 'New Person' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as Tokens;
    expect(body.user).toMatchObject({ role: 'customer', customer_id: customer!.id });
    expect(body.refresh_token).toMatch(/^rt_/);
    expect((await me(body.access_token)).json().user.email).toBe(customer!.email);
    const again = await post('/api/v1/auth/register', { email: customer!.email, password: 'another password', name: 'Someone' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('email_taken');
    const [stored] = await t.deps.db.select().from(users).where(eq(users.email, customer!.email));
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('does not link a registration to a customer record when REGISTER_LINKS_CUSTOMER is off', async () => {
    const config = t.deps.config as { REGISTER_LINKS_CUSTOMER: boolean };
    const linkedEmails = (await t.deps.db.select({ email: users.email }).from(users)).map((u) => u.email);
    const [customer] = await t.deps.db.select().from(customers).where(notInArray(customers.email, linkedEmails)).limit(1);
    config.REGISTER_LINKS_CUSTOMER = false;
    try {
      const res = await post('/api/v1/auth/register', { email: customer!.email, password: 'correct horse battery', name: 'Claimant' });
      expect(res.statusCode).toBe(201);
      expect(res.json().user).toMatchObject({ role: 'customer', customer_id: null });
    } finally {
      config.REGISTER_LINKS_CUSTOMER = true;
    }
  });

  it('registers someone with no customer record as a customer without one', async () => {
    const res = await post('/api/v1/auth/register', { email: `new-${driver}@example.org`, password: 'long enough', name: 'Newcomer' });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ role: 'customer', customer_id: null });
    const weak = await post('/api/v1/auth/register', { email: `weak-${driver}@example.org`, password: 'short', name: 'W' });
    expect(weak.statusCode).toBe(400);
  });

  it('rotates the refresh token on every use', async () => {
    const first = await login();
    const res = await refresh(first.refresh_token);
    expect(res.statusCode).toBe(200);
    const second = res.json() as Tokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await me(second.access_token)).statusCode).toBe(200);
    const third = await refresh(second.refresh_token);
    expect(third.statusCode).toBe(200);
  });

  it('revokes the whole family when a spent refresh token is presented again', async () => {
    const stolen = await login();
    const owner = (await refresh(stolen.refresh_token)).json() as Tokens;
    const reuse = await refresh(stolen.refresh_token);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().error.code).toBe('refresh_token_reused');
    // The legitimate holder's newer tokens die with the family.
    const after = await refresh(owner.refresh_token);
    expect(after.statusCode).toBe(401);
    expect((await me(owner.access_token)).json().error.code).toBe('session_revoked');
    const sessionId = (await t.deps.tokens.verify(stolen.access_token)) as { sessionId?: string };
    const family = await listRefreshFamily(t.deps.db, sessionId.sessionId!);
    expect(family).toHaveLength(2);
    expect(family.every((r) => r.revokedAt !== null)).toBe(true);
    // Other sessions of the same user are untouched.
    expect((await me((await login()).access_token)).statusCode).toBe(200);
  });

  it('lets exactly one of two concurrent refreshes with the same token through', async () => {
    const s = await login('bob@example.com');
    const results = await Promise.all([refresh(s.refresh_token), refresh(s.refresh_token)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('logs out: the refresh family and its access tokens are revoked, other sessions live on', async () => {
    const a = await login();
    const b = await login();
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(a.access_token) });
    expect(out.statusCode).toBe(204);
    expect((await refresh(a.refresh_token)).statusCode).toBe(401);
    const res = await me(a.access_token);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_revoked');
    expect((await me(b.access_token)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(401);
  });

  it('answers 401 to forged, expired, unsigned or misused tokens', async () => {
    const { access_token, refresh_token } = await login();
    const none = new UnsecuredJWT({ role: 'admin', typ: 'access' }).setSubject('x').setJti('y').setIssuer('switchboard').setAudience('switchboard-api').setIssuedAt().setExpirationTime('5m').encode();
    const conversationToken = (await post('/api/v1/conversations', {})).json().conversation_token as string;
    const [h, p, s] = access_token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url')}.${s}`;
    for (const token of [none, tampered, refresh_token, conversationToken]) {
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: expect.stringMatching(/invalid_token|unauthorized/) }, correlation_id: expect.any(String) });
    }
    // A refresh token is not accepted where an access token is expected, and vice versa.
    expect((await refresh(access_token)).statusCode).toBe(401);
  });

  it('gives anonymous visitors a token for their own conversation and no other', async () => {
    const mine = (await post('/api/v1/conversations', {})).json();
    const theirs = (await post('/api/v1/conversations', {})).json();
    const auth = bearer(mine.conversation_token);
    expect((await post(`/api/v1/conversations/${mine.id}/messages`, { content: 'hello' }, auth)).statusCode).toBe(201);
    expect((await post(`/api/v1/conversations/${theirs.id}/messages`, { content: 'hello' }, auth)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${theirs.id}`, headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: auth })).statusCode).toBe(401);
  });
});
