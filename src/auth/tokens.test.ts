import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { TokenService } from './tokens.js';

const settings = { secret: 's'.repeat(48), issuer: 'switchboard', audience: 'switchboard-api', accessTtlSeconds: 1800 };
const tokens = new TokenService(settings);
const user = { id: '5f0c1d9e-3a51-4d36-9b3e-2b7a4d0f8c11', role: 'customer' as const, customerId: '7d3e1f20-9c4b-4e8a-a1d2-6b5c4f3e2d10' };
const key = (secret: string) => new TextEncoder().encode(secret);

/** A token with the service's claims, signed however the attacker likes. */
function forged(claims: JWTPayload = {}) {
  return new SignJWT({ role: 'admin', cid: null, typ: 'access', ...claims })
    .setSubject(user.id)
    .setJti('forged-jti')
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime('10m');
}

async function rejection(token: string): Promise<AppError> {
  const err = await tokens.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(401);
  return err as AppError;
}

describe('TokenService', () => {
  it('issues access tokens carrying iss, aud, sub, role, jti and the session id', async () => {
    const { token, expiresIn } = await tokens.signAccess(user, 'a1b2c3d4-0000-4000-8000-000000000001');
    expect(expiresIn).toBe(1800);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ iss: 'switchboard', aud: 'switchboard-api', sub: user.id, role: 'customer', typ: 'access' });
    expect(payload.exp - payload.iat).toBe(1800);
    expect(payload.jti).toEqual(expect.any(String));
    expect(await tokens.verify(token)).toMatchObject({ kind: 'user', userId: user.id, role: 'customer', sessionId: 'a1b2c3d4-0000-4000-8000-000000000001' });
  });

  it('rejects an unsigned token (alg none)', async () => {
    const none = new UnsecuredJWT({ role: 'admin', typ: 'access' })
      .setSubject(user.id)
      .setJti('x')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    expect((await rejection(none)).code).toBe('invalid_token');
  });

  it('rejects RS256 tokens and HS256 tokens keyed with an RSA public key (algorithm confusion)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    await rejection(await forged().setProtectedHeader({ alg: 'RS256' }).sign(privateKey));
    const pem = await exportSPKI(publicKey);
    await rejection(await forged().setProtectedHeader({ alg: 'HS256' }).sign(key(pem)));
  });

  it('rejects a token signed with another secret', async () => {
    await rejection(
      await forged()
        .setProtectedHeader({ alg: 'HS256' })
        .sign(key('x'.repeat(48))),
    );
  });

  it('rejects a tampered payload', async () => {
    const { token } = await tokens.signAccess(user, 'a1b2c3d4-0000-4000-8000-000000000002');
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
    await rejection(`${h}.${elevated}.${s}`);
  });

  it('rejects an expired token as token_expired', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await forged({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(past)
      .setExpirationTime(past + 60)
      .sign(key(settings.secret));
    expect((await rejection(expired)).code).toBe('token_expired');
  });

  it('rejects a wrong issuer or audience', async () => {
    await rejection(await forged().setIssuer('someone-else').setProtectedHeader({ alg: 'HS256' }).sign(key(settings.secret)));
    await rejection(await forged().setAudience('another-api').setProtectedHeader({ alg: 'HS256' }).sign(key(settings.secret)));
  });

  it('rejects tokens of an unknown type or role, and opaque refresh tokens', async () => {
    await rejection(await forged({ typ: 'refresh' }).setProtectedHeader({ alg: 'HS256' }).sign(key(settings.secret)));
    await rejection(await forged({ role: 'root' }).setProtectedHeader({ alg: 'HS256' }).sign(key(settings.secret)));
    await rejection(`rt_${'A'.repeat(43)}`);
  });

  it('rejects a token without a jti', async () => {
    const noJti = await new SignJWT({ role: 'customer', typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key(settings.secret));
    await rejection(noJti);
  });

  it('issues conversation tokens that verify as that conversation only', async () => {
    const token = await tokens.signConversation('0b7e5a3c-1d2f-4a6b-8c9d-0e1f2a3b4c5d');
    expect(await tokens.verify(token)).toMatchObject({ kind: 'conversation', conversationId: '0b7e5a3c-1d2f-4a6b-8c9d-0e1f2a3b4c5d' });
  });

  // Issue 13 item 8: a correctly signed token that this service would never have issued.
  it('refuses an access token issued in the future', async () => {
    const later = Math.floor(Date.now() / 1000) + 3600;
    const t = await forged({ role: 'customer', sid: 'a1b2c3d4-0000-4000-8000-000000000003' })
      .setIssuedAt(later)
      .setExpirationTime(later + 600)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key(settings.secret));
    expect((await rejection(t)).message).toMatch(/future/);
  });

  it('refuses an access token that lives longer than the access TTL', async () => {
    const now = Math.floor(Date.now() / 1000);
    const t = await forged({ role: 'customer', sid: 'a1b2c3d4-0000-4000-8000-000000000004' })
      .setIssuedAt(now)
      .setExpirationTime(now + 1800 + 1)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key(settings.secret));
    expect((await rejection(t)).message).toMatch(/longer/);
    const ok = await forged({ role: 'customer', sid: 'a1b2c3d4-0000-4000-8000-000000000004' })
      .setIssuedAt(now)
      .setExpirationTime(now + 1800)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key(settings.secret));
    expect(await tokens.verify(ok)).toMatchObject({ kind: 'user' });
  });

  it('refuses an access token without a session id', async () => {
    const t = await forged({ role: 'customer' }).setProtectedHeader({ alg: 'HS256' }).sign(key(settings.secret));
    expect((await rejection(t)).message).toMatch(/session/);
  });

  it('refuses a conversation token that lives longer than the conversation TTL', async () => {
    const now = Math.floor(Date.now() / 1000);
    const t = await forged({ typ: 'conversation' })
      .setIssuedAt(now)
      .setExpirationTime(now + 8 * 24 * 3600)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key(settings.secret));
    await rejection(t);
  });
});
