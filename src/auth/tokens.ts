import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../errors.js';

export type Role = 'customer' | 'agent' | 'admin';

/** Who is making a request, as established by its bearer token. */
export type AuthContext =
  | { kind: 'user'; userId: string; role: Role; customerId: string | null; tokenId: string; sessionId?: string }
  | { kind: 'conversation'; conversationId: string; tokenId: string }
  | { kind: 'anonymous' };

export const ANONYMOUS: AuthContext = { kind: 'anonymous' };

export interface TokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
  /** Conversation tokens let an anonymous visitor continue their own conversation. */
  conversationTtlSeconds?: number;
}

const ALG = 'HS256';
const CONVERSATION_TTL_SECONDS = 7 * 24 * 3600;
/** How far ahead of this clock a token's `iat` may be (another process's clock). */
const CLOCK_SKEW_SECONDS = 5;

/** Signs and verifies the service's JWTs; the algorithm is pinned on both sides. */
export class TokenService {
  private readonly key: Uint8Array;
  constructor(private readonly s: TokenSettings) {
    this.key = new TextEncoder().encode(s.secret);
  }

  /**
   * Issues a short-lived access token for a signed-in user. `sessionId` is the refresh-token family
   * the token belongs to (claim `sid`), so revoking the family also stops its access tokens.
   */
  async signAccess(user: { id: string; role: Role; customerId: string | null }, sessionId: string): Promise<{ token: string; expiresIn: number }> {
    const claims = { role: user.role, cid: user.customerId, typ: 'access', sid: sessionId };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(user.id)
      .setJti(randomUUID())
      .setIssuer(this.s.issuer)
      .setAudience(this.s.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.s.accessTtlSeconds}s`)
      .sign(this.key);
    return { token, expiresIn: this.s.accessTtlSeconds };
  }

  /** Issues a bearer token good for one conversation only (anonymous visitors). */
  async signConversation(conversationId: string): Promise<string> {
    return new SignJWT({ typ: 'conversation' })
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(conversationId)
      .setJti(randomUUID())
      .setIssuer(this.s.issuer)
      .setAudience(this.s.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.s.conversationTtlSeconds ?? CONVERSATION_TTL_SECONDS}s`)
      .sign(this.key);
  }

  /** Verifies a bearer token and returns who it speaks for; any defect is a 401. */
  async verify(token: string): Promise<AuthContext> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: this.s.issuer,
        audience: this.s.audience,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      });
      const sub = payload.sub as string;
      const jti = payload.jti as string;
      // A token this service issued was issued in the past and lives no longer than its type's TTL;
      // anything else was not signed by us as we sign (a leaked key, a forged clock).
      const now = Math.floor(Date.now() / 1000);
      const lifetime = (payload.exp as number) - (payload.iat as number);
      if ((payload.iat as number) > now + CLOCK_SKEW_SECONDS) throw new AppError('invalid_token', 401, 'The token was issued in the future');
      if (payload.typ === 'access' && typeof payload.role === 'string' && ['customer', 'agent', 'admin'].includes(payload.role)) {
        if (lifetime > this.s.accessTtlSeconds) throw new AppError('invalid_token', 401, 'The token lives longer than an access token may');
        // Every access token belongs to a session, so logout can end it.
        if (typeof payload.sid !== 'string' || !payload.sid) throw new AppError('invalid_token', 401, 'The token belongs to no session');
        const cid = typeof payload.cid === 'string' ? payload.cid : null;
        return { kind: 'user', userId: sub, role: payload.role as Role, customerId: cid, tokenId: jti, sessionId: payload.sid };
      }
      if (payload.typ === 'conversation') {
        if (lifetime > (this.s.conversationTtlSeconds ?? CONVERSATION_TTL_SECONDS)) throw new AppError('invalid_token', 401, 'The token lives longer than a conversation token may');
        return { kind: 'conversation', conversationId: sub, tokenId: jti };
      }
      throw new AppError('invalid_token', 401, 'This token cannot be used here');
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new AppError('token_expired', 401, 'The access token has expired');
      throw new AppError('invalid_token', 401, 'The access token is invalid');
    }
  }
}
