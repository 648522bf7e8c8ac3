import { eq, notInArray } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRefreshFamily } from '../../db/queries/refresh-tokens.js';
import { customers, users } from '../../db/schema.js';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { deleteRedisKeys } from '../../../test/redis.js';

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
  const sessionOf = async (access: string) => ((await t.deps.tokens.verify(access)) as { sessionId: string }).sessionId;
  /** Runs `fn` with REFRESH_REUSE_GRACE_SECONDS set to `seconds` (the sessions read it per call). */
  const withGrace = async <T>(seconds: number, fn: () => Promise<T>): Promise<T> => {
    const config = t.deps.config as { REFRESH_REUSE_GRACE_SECONDS: number };
    const before = config.REFRESH_REUSE_GRACE_SECONDS;
    config.REFRESH_REUSE_GRACE_SECONDS = seconds;
    try {
      return await fn();
    } finally {
      config.REFRESH_REUSE_GRACE_SECONDS = before;
    }
  };

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

  it('revokes the whole family when a spent refresh token is presented again after the grace window', async () => {
    await withGrace(1, async () => {
      const stolen = await login();
      const owner = (await refresh(stolen.refresh_token)).json() as Tokens;
      await new Promise((r) => setTimeout(r, 1_300));
      const reuse = await refresh(stolen.refresh_token);
      expect(reuse.statusCode).toBe(401);
      expect(reuse.json().error.code).toBe('refresh_token_reused');
      // The legitimate holder's newer tokens die with the family.
      const after = await refresh(owner.refresh_token);
      expect(after.statusCode).toBe(401);
      expect((await me(owner.access_token)).json().error.code).toBe('session_revoked');
      const family = await listRefreshFamily(t.deps.db, await sessionOf(stolen.access_token));
      expect(family).toHaveLength(2);
      expect(family.every((r) => r.revokedAt !== null && r.successor === null)).toBe(true);
      // Other sessions of the same user are untouched.
      expect((await me((await login()).access_token)).statusCode).toBe(200);
    });
  });

  it('with REFRESH_REUSE_GRACE_SECONDS=0, a spent token presented again at once revokes the family', async () => {
    await withGrace(0, async () => {
      const s = await login('bob@example.com');
      const owner = (await refresh(s.refresh_token)).json() as Tokens;
      expect((await refresh(s.refresh_token)).json().error.code).toBe('refresh_token_reused');
      expect((await me(owner.access_token)).json().error.code).toBe('session_revoked');
    });
  });

  // Issue 13 item 8: ten concurrent refreshes of one token revoked the winner's new tokens.
  it('ten concurrent refreshes of one token within the grace window all get the same new pair, and the session lives on', async () => {
    const s = await login('bob@example.com');
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(s.refresh_token)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const pairs = results.map((r) => r.json() as Tokens);
    expect(new Set(pairs.map((p) => p.refresh_token)).size).toBe(1);
    expect(new Set(pairs.map((p) => p.access_token)).size).toBe(1);
    expect(pairs[0]!.refresh_token).not.toBe(s.refresh_token);
    expect(pairs.every((p) => p.user.id === s.user.id)).toBe(true);
    // Nothing was revoked: the new pair works, and the family holds one spent and one live token.
    expect((await me(pairs[0]!.access_token)).statusCode).toBe(200);
    const family = await listRefreshFamily(t.deps.db, await sessionOf(s.access_token));
    expect(family).toHaveLength(2);
    expect(family.every((r) => r.revokedAt === null)).toBe(true);
    const next = await refresh(pairs[0]!.refresh_token);
    expect(next.statusCode).toBe(200);
    expect((await me((next.json() as Tokens).access_token)).statusCode).toBe(200);
  });

  it('a refresh retried within the grace window (a lost response) gets the same pair; the stored successor opens only with the spent token', async () => {
    const s = await login();
    const first = (await refresh(s.refresh_token)).json() as Tokens;
    const again = await refresh(s.refresh_token);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ access_token: first.access_token, refresh_token: first.refresh_token, token_type: 'Bearer' });
    expect(again.json().expires_in).toBeLessThanOrEqual(t.deps.config.ACCESS_TOKEN_TTL_SECONDS);
    const [spent] = await listRefreshFamily(t.deps.db, await sessionOf(s.access_token));
    // The row holds ciphertext, not the tokens (the refresh token is never stored in the clear).
    expect(spent!.successor).toEqual(expect.any(String));
    expect(spent!.successor).not.toContain(first.refresh_token);
    expect(Buffer.from(spent!.successor!, 'base64url').toString('latin1')).not.toContain(first.refresh_token);
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

  // Issue 13 item 8: correctly signed tokens this service would never have issued were accepted.
  it('refuses, with 401 in the envelope, a signed access token issued in the future, living longer than the access TTL, or without a session id', async () => {
    const { user, access_token } = await login();
    const c = t.deps.config;
    const secret = new TextEncoder().encode(c.JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, iat: number, exp: number) =>
      new SignJWT({ role: 'customer', cid: user.customer_id, typ: 'access', ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setJti(crypto.randomUUID())
        .setIssuer(c.JWT_ISSUER)
        .setAudience(c.JWT_AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(secret);
    const sid = await sessionOf(access_token);
    const ttl = c.ACCESS_TOKEN_TTL_SECONDS;
    const cases: [string, string, RegExp][] = [
      ['issued an hour ahead', await sign({ sid }, now + 3600, now + 3600 + 60), /future/],
      ['issued a minute ahead', await sign({ sid }, now + 60, now + 120), /future/],
      ['living a day', await sign({ sid }, now, now + 24 * 3600), /longer/],
      ['living one second beyond the TTL', await sign({ sid }, now - 10, now - 10 + ttl + 1), /longer/],
      ['without a session id', await sign({}, now, now + 60), /session/],
      ['with an empty session id', await sign({ sid: '' }, now, now + 60), /session/],
    ];
    for (const [what, token, message] of cases) {
      const res = await me(token);
      expect(res.statusCode, what).toBe(401);
      expect(res.json(), what).toMatchObject({ error: { code: 'invalid_token', message: expect.stringMatching(message) }, correlation_id: expect.any(String) });
    }
    // The same claims within the rules pass: a clock 3 s ahead (skew) and exactly the TTL.
    expect((await me(await sign({ sid }, now + 3, now + 3 + ttl))).statusCode).toBe(200);
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

  // Issue 13 item 8: revoked access tokens worked again after a Redis restart without persistence.
  it('a revoked session stays refused when the cache forgets it (Redis flushed): PostgreSQL holds the revocation', async () => {
    const signedOut = await login();
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(signedOut.access_token) })).statusCode).toBe(204);
    const reused = await login('bob@example.com');
    await withGrace(0, async () => {
      await refresh(reused.refresh_token);
      expect((await refresh(reused.refresh_token)).json().error.code).toBe('refresh_token_reused');
    });
    const revokedKey = (token: string) => sessionOf(token).then((sid) => `auth:revoked-session:${sid}`);
    // Both revocations are in the cache first…
    expect(await t.deps.cache.get(await revokedKey(signedOut.access_token))).toBe(1);
    expect(await t.deps.cache.get(await revokedKey(reused.access_token))).toBe(1);
    // …then the cache loses everything: this test's Redis keys (FLUSHDB without touching other tests), or the in-process cache.
    if (t.deps.redis) {
      const redis = new Redis(TEST_REDIS_URL);
      await deleteRedisKeys(t.deps.config.REDIS_KEY_PREFIX, redis);
      await redis.quit();
    } else {
      await t.deps.cache.del(await revokedKey(signedOut.access_token), await revokedKey(reused.access_token));
    }
    expect(await t.deps.cache.get(await revokedKey(signedOut.access_token))).toBeUndefined();
    for (const token of [signedOut.access_token, reused.access_token]) {
      const res = await me(token);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'session_revoked' }, correlation_id: expect.any(String) });
    }
    expect((await refresh(signedOut.refresh_token)).statusCode).toBe(401);
    expect((await me((await login()).access_token)).statusCode).toBe(200);
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
