import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ANONYMOUS, type AuthContext, type Role, type TokenService } from '../../auth/tokens.js';
import { AppError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext;
  }
}

/** Reads the bearer token, if any, into request.auth; a present but bad token is a 401. */
export default fp(
  async function auth(app: FastifyInstance, opts: { tokens: TokenService }) {
    // Fastify wants decorated request properties declared up front (stable object shapes).
    app.decorateRequest('auth', null as never);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (!header) {
        request.auth = ANONYMOUS;
        return;
      }
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new AppError('invalid_token', 401, 'Authorization must be "Bearer <token>"');
      request.auth = await opts.tokens.verify(m[1]!);
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
