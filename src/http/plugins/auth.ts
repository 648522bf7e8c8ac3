import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ANONYMOUS, type AuthContext, type Role, type TokenService } from '../../auth/tokens.js';
import { AppError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext;
    /** A bearer token that failed verification; reported after rate limiting (see below). */
    authError: AppError | null;
    /** Whether the token's session has ended: started in onRequest, awaited in preParsing. */
    sessionCheck: Promise<boolean> | null;
  }
}

export interface AuthPluginOptions {
  tokens: TokenService;
  /** True when the session (refresh family) an access token belongs to has been ended. */
  isSessionRevoked?: (sessionId: string) => Promise<boolean>;
}

async function authenticate(header: string | undefined, opts: AuthPluginOptions): Promise<AuthContext> {
  if (!header) return ANONYMOUS;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new AppError('invalid_token', 401, 'Authorization must be "Bearer <token>"');
  return opts.tokens.verify(m[1]!);
}

const REVOKED = () => new AppError('session_revoked', 401, 'This session has ended; sign in again');

/**
 * Reads the bearer token, if any, into request.auth; a present but bad token, or one whose session
 * has ended, is a 401. The 401 is raised in preParsing rather than onRequest so that the rate limiter
 * (an onRequest hook registered after this one) still counts requests with bad tokens, as anonymous
 * ones. The session check starts in onRequest and is awaited in preParsing: its Redis read goes out
 * in the same write as the rate limiter's counts (ioredis auto-pipelining), one round trip for both.
 */
export default fp(
  async function auth(app: FastifyInstance, opts: AuthPluginOptions) {
    // Fastify wants decorated request properties declared up front (stable object shapes).
    app.decorateRequest('auth', null as never);
    app.decorateRequest('authError', null);
    app.decorateRequest('sessionCheck', null);
    app.addHook('onRequest', async (request) => {
      try {
        const auth = await authenticate(request.headers.authorization, opts);
        request.auth = auth;
        if (auth.kind === 'user' && auth.sessionId && opts.isSessionRevoked) {
          const check = opts.isSessionRevoked(auth.sessionId);
          check.catch(() => {}); // awaited (and so reported) in preParsing
          request.sessionCheck = check;
        }
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        request.auth = ANONYMOUS;
        request.authError = err;
      }
    });
    app.addHook('preParsing', async (request) => {
      if (request.authError) throw request.authError;
      if (request.sessionCheck && (await request.sessionCheck)) {
        request.auth = ANONYMOUS;
        request.authError = REVOKED();
        throw request.authError;
      }
    });
  },
  { name: 'auth' },
);

/** The signed-in user of a request, or 401. */
export function requireUser(request: FastifyRequest): Extract<AuthContext, { kind: 'user' }> {
  const a = request.auth;
  if (a.kind !== 'user') throw new AppError('unauthorized', 401, 'Sign in to use this endpoint');
  return a;
}

/** The signed-in user of a request if they have one of the roles; 401 or 403 otherwise. */
export function requireRole(request: FastifyRequest, ...roles: Role[]): Extract<AuthContext, { kind: 'user' }> {
  const user = requireUser(request);
  if (!roles.includes(user.role)) throw new AppError('forbidden', 403, 'Your role cannot use this endpoint');
  return user;
}

/** Staff (agents and admins) only: 401 for anonymous callers, 403 for customers. */
export function requireStaff(request: FastifyRequest): Extract<AuthContext, { kind: 'user' }> {
  return requireRole(request, 'agent', 'admin');
}
