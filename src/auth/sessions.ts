import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/client.js';
import {
  clearRefreshSuccessors,
  deleteExpiredRefreshTokens,
  getRefreshTokenForReplay,
  insertRefreshToken,
  isRefreshFamilyRevoked,
  revokeRefreshFamily,
  setRefreshSuccessor,
  spendRefreshToken,
} from '../db/queries/refresh-tokens.js';
import { getUserById, type User } from '../db/queries/users.js';
import { AppError } from '../errors.js';
import type { Cache } from '../infra/cache.js';
import type { EventBus } from '../realtime/bus.js';
import type { TokenService } from './tokens.js';

// A session is a refresh-token family: login starts one, every refresh rotates inside it, logout or
// the reuse of a spent token ends it. Refresh tokens are opaque random strings; only their SHA-256
// is stored, so a database leak yields no usable token.

/** What sessions need: the database, the token signer, the shared cache, the bus (to close sockets) and the lifetimes. */
export interface SessionDeps {
  db: Db;
  tokens: TokenService;
  cache: Cache;
  bus: Pick<EventBus, 'signal'>;
  config: { ACCESS_TOKEN_TTL_SECONDS: number; REFRESH_TOKEN_TTL_SECONDS: number; REFRESH_REUSE_GRACE_SECONDS: number };
}

/** Where a session function reports what it handled but the caller should know of. */
export interface SessionLog {
  warn(obj: object, msg: string): void;
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
/** The cached mark of a session PostgreSQL found not revoked (the revoked mark is 1). */
const NOT_REVOKED = 0;
/**
 * How long that mark lives. endSession() replaces it with the revoked mark at once; only when that
 * write fails (Redis unreachable at sign-out) does a revoked session's access token live on this long.
 */
const NOT_REVOKED_TTL_SECONDS = 30;

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

/** A pair as sealed into the spent token's row: what a concurrent refresh with that token gets back. */
interface SealedPair {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

// The successor pair is encrypted (AES-256-GCM) under a key derived from the spent refresh token
// itself, which is never stored: the row is of no use to someone who reads the database.
const sealKey = (rawRefreshToken: string) => createHmac('sha256', rawRefreshToken).update('switchboard refresh successor v1').digest();

function seal(rawRefreshToken: string, s: IssuedSession): string {
  const now = Date.now();
  const pair: SealedPair = { accessToken: s.accessToken, accessExpiresAt: now + s.expiresIn * 1000, refreshToken: s.refreshToken, refreshExpiresAt: now + s.refreshExpiresIn * 1000 };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(rawRefreshToken), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(pair), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function unseal(rawRefreshToken: string, sealed: string): SealedPair | undefined {
  const buf = Buffer.from(sealed, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(rawRefreshToken), buf.subarray(0, 12));
    decipher.setAuthTag(buf.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8')) as SealedPair;
  } catch {
    return undefined; // not sealed for this token: treated as having no successor
  }
}

let lastSweep = 0;

/** Starts a new session (a new refresh family) for a user who just proved who they are. */
export async function startSession(deps: SessionDeps, user: User): Promise<IssuedSession> {
  if (Date.now() - lastSweep > 10 * 60_000) {
    lastSweep = Date.now();
    // Housekeeping, off the request's path: tokens expired a day ago are of no use even as reuse
    // evidence, and a successor is only needed within the grace window.
    void deleteExpiredRefreshTokens(deps.db, new Date(Date.now() - 24 * 3600_000)).catch(() => {});
    void clearRefreshSuccessors(deps.db, 120).catch(() => {});
  }
  return issue(deps, user, randomUUID());
}

const invalid = () => new AppError('invalid_refresh_token', 401, 'The refresh token is invalid or expired; sign in again');

/**
 * Exchanges a refresh token for a new pair in the same family; the presented token is spent.
 * Presented again within REFRESH_REUSE_GRACE_SECONDS of being spent (concurrent refreshes: two tabs,
 * a retried request), it returns the same new pair, and nothing is revoked. Presented later, it was
 * copied: the whole family is revoked (the thief's and the owner's tokens alike) and both must sign in again.
 */
export async function rotateSession(deps: SessionDeps, rawRefreshToken: string, log: SessionLog): Promise<IssuedSession> {
  if (!rawRefreshToken.startsWith(REFRESH_PREFIX)) throw invalid();
  const hash = hashRefreshToken(rawRefreshToken);
  // One transaction spends the token, stores its successor and seals the successor into it: a
  // concurrent refresh's UPDATE waits on the row lock, so it finds the successor once it runs.
  const rotated = await deps.db.transaction(async (tx) => {
    const spent = await spendRefreshToken(tx, hash);
    if (!spent) return undefined;
    const user = await getUserById(tx, spent.userId);
    if (!user) return null;
    const issued = await issue({ ...deps, db: tx }, user, spent.familyId);
    await setRefreshSuccessor(tx, spent.id, seal(rawRefreshToken, issued));
    return issued;
  });
  if (rotated) return rotated;
  if (rotated === null) throw invalid();
  const known = await getRefreshTokenForReplay(deps.db, hash, deps.config.REFRESH_REUSE_GRACE_SECONDS);
  if (!known?.usedAt) throw invalid(); // unknown, expired or revoked without being spent
  if (known.inGrace && !known.revokedAt && known.successor) {
    const pair = unseal(rawRefreshToken, known.successor);
    const user = pair ? await getUserById(deps.db, known.userId) : undefined;
    if (pair && user) {
      const now = Date.now();
      return {
        user,
        sessionId: known.familyId,
        accessToken: pair.accessToken,
        expiresIn: Math.max(0, Math.floor((pair.accessExpiresAt - now) / 1000)),
        refreshToken: pair.refreshToken,
        refreshExpiresIn: Math.max(0, Math.floor((pair.refreshExpiresAt - now) / 1000)),
      };
    }
  }
  await endSession(deps, known.familyId, log);
  throw new AppError('refresh_token_reused', 401, 'This refresh token was already used; the session has been revoked. Sign in again');
}

/**
 * Ends a session: revokes its refresh family, stops its unexpired access tokens and closes its open
 * WebSockets in every API process (close code 4401).
 */
export async function endSession(deps: SessionDeps, sessionId: string, log: SessionLog): Promise<void> {
  // The database is the record (it survives a Redis restart); the cache only answers repeat checks fast.
  await revokeRefreshFamily(deps.db, sessionId);
  await deps.cache.set(revokedKey(sessionId), 1, deps.config.ACCESS_TOKEN_TTL_SECONDS);
  try {
    await deps.bus.signal('session.ended', sessionId);
  } catch (err) {
    // The session is ended all the same; each process's socket sweep finds it in PostgreSQL instead.
    log.warn({ err, sessionId }, 'could not signal the end of a session to the WebSocket servers');
  }
}

/**
 * True when the session an access token belongs to was ended (logout or reuse detection). A revoked
 * session found in the cache answers at once; otherwise PostgreSQL, the source of truth, decides, so
 * neither a Redis restart without persistence nor Redis being down brings a revoked token back.
 */
export async function isSessionRevoked(deps: { cache: Cache; db: Db }, sessionId: string): Promise<boolean> {
  const cached = await deps.cache.get<number>(revokedKey(sessionId));
  if (cached === NOT_REVOKED) return false;
  if (cached !== undefined) return true;
  const revoked = await isRefreshFamilyRevoked(deps.db, sessionId);
  // Remember "not revoked" briefly, so a session's requests do not each ask PostgreSQL. Set only if
  // absent: an endSession() in between wrote the revoked mark, which this never overwrites.
  if (!revoked) await deps.cache.add(revokedKey(sessionId), NOT_REVOKED, NOT_REVOKED_TTL_SECONDS);
  return revoked;
}
