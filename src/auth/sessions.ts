import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import { deleteExpiredRefreshTokens, getRefreshTokenByHash, insertRefreshToken, isRefreshFamilyRevoked, revokeRefreshFamily, spendRefreshToken } from '../db/queries/refresh-tokens.js';
import { getUserById, type User } from '../db/queries/users.js';
import { AppError } from '../errors.js';
import type { Cache } from '../infra/cache.js';
import type { TokenService } from './tokens.js';

// A session is a refresh-token family: login starts one, every refresh rotates inside it, logout or
// the reuse of a spent token ends it. Refresh tokens are opaque random strings; only their SHA-256
// is stored, so a database leak yields no usable token.

/** What sessions need: the database, the token signer, the shared cache and the lifetimes. */
export interface SessionDeps {
  db: Db;
  tokens: TokenService;
  cache: Cache;
  config: { ACCESS_TOKEN_TTL_SECONDS: number; REFRESH_TOKEN_TTL_SECONDS: number };
}

/** A freshly issued token pair. */
export interface IssuedSession {
  user: User;
  sessionId: string;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

const REFRESH_PREFIX = 'rt_';
const revokedKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;

/** The stored form of a refresh token. */
export function hashRefreshToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

async function issue(deps: SessionDeps, user: User, sessionId: string): Promise<IssuedSession> {
  const refreshToken = REFRESH_PREFIX + randomBytes(32).toString('base64url');
  const ttl = deps.config.REFRESH_TOKEN_TTL_SECONDS;
  await insertRefreshToken(deps.db, {
    userId: user.id,
    familyId: sessionId,
    tokenHash: hashRefreshToken(refreshToken),
    expiresAt: new Date(Date.now() + ttl * 1000),
  });
  const access = await deps.tokens.signAccess(user, sessionId);
  return { user, sessionId, accessToken: access.token, expiresIn: access.expiresIn, refreshToken, refreshExpiresIn: ttl };
}

let lastSweep = 0;

/** Starts a new session (a new refresh family) for a user who just proved who they are. */
export async function startSession(deps: SessionDeps, user: User): Promise<IssuedSession> {
  if (Date.now() - lastSweep > 10 * 60_000) {
    lastSweep = Date.now();
    // Housekeeping, off the request's path: tokens expired a day ago are of no use even as reuse evidence.
    void deleteExpiredRefreshTokens(deps.db, new Date(Date.now() - 24 * 3600_000)).catch(() => {});
  }
  return issue(deps, user, randomUUID());
}

const invalid = () => new AppError('invalid_refresh_token', 401, 'The refresh token is invalid or expired; sign in again');

/**
 * Exchanges a refresh token for a new pair in the same family; the presented token is spent.
 * Presenting a token that was already spent means it was copied: the whole family is revoked
 * (the thief's and the owner's tokens alike) and both must sign in again.
 */
export async function rotateSession(deps: SessionDeps, rawRefreshToken: string): Promise<IssuedSession> {
  if (!rawRefreshToken.startsWith(REFRESH_PREFIX)) throw invalid();
  const hash = hashRefreshToken(rawRefreshToken);
  const spent = await spendRefreshToken(deps.db, hash);
  if (!spent) {
    const known = await getRefreshTokenByHash(deps.db, hash);
    if (known?.usedAt) {
      await endSession(deps, known.familyId);
      throw new AppError('refresh_token_reused', 401, 'This refresh token was already used; the session has been revoked. Sign in again');
    }
    throw invalid();
  }
  const user = await getUserById(deps.db, spent.userId);
  if (!user) throw invalid();
  return issue(deps, user, spent.familyId);
}

/** Ends a session: revokes its refresh family and stops its unexpired access tokens. */
export async function endSession(deps: SessionDeps, sessionId: string): Promise<void> {
  // The database is the record (it survives a Redis restart); the cache only answers repeat checks fast.
  await revokeRefreshFamily(deps.db, sessionId);
  await deps.cache.set(revokedKey(sessionId), 1, deps.config.ACCESS_TOKEN_TTL_SECONDS);
}

/**
 * True when the session an access token belongs to was ended (logout or reuse detection). A revoked
 * session found in the cache answers at once; otherwise PostgreSQL, the source of truth, decides, so
 * neither a Redis restart without persistence nor Redis being down brings a revoked token back.
 */
export async function isSessionRevoked(deps: { cache: Cache; db: Db }, sessionId: string): Promise<boolean> {
  if ((await deps.cache.get<number>(revokedKey(sessionId))) !== undefined) return true;
  return isRefreshFamilyRevoked(deps.db, sessionId);
}
