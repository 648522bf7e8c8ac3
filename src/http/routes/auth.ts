import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { endSession, rotateSession, startSession, type IssuedSession } from '../../auth/sessions.js';
import { getCustomerByEmail } from '../../db/queries/customers.js';
import { isUniqueViolation } from '../../db/client.js';
import { createUser, getUserByEmail, getUserById, type User } from '../../db/queries/users.js';
import { AppError } from '../../errors.js';
import { requireUser } from '../plugins/auth.js';
import { errorResponses } from '../schemas.js';

const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['customer', 'agent', 'admin']),
  customer_id: z.uuid().nullable(),
});

const tokenResponse = z.object({
  user: userSchema,
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('seconds until the access token expires'),
  refresh_token: z.string(),
  refresh_expires_in: z.number().int().describe('seconds until the refresh token expires (it is single-use)'),
});

const email = z.string().trim().toLowerCase().max(320);

const toUser = (u: User): z.output<typeof userSchema> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  customer_id: u.customerId,
});

const toTokens = (s: IssuedSession): z.output<typeof tokenResponse> => ({
  user: toUser(s.user),
  access_token: s.accessToken,
  token_type: 'Bearer',
  expires_in: s.expiresIn,
  refresh_token: s.refreshToken,
  refresh_expires_in: s.refreshExpiresIn,
});

/** Registration, sign-in, token refresh, sign-out and the signed-in user. */
const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a customer account (linked to the customer record with the same email)',
        security: [],
        body: z.object({
          email: email.pipe(z.email()),
          password: z.string().min(8).max(1024),
          name: z.string().trim().min(1).max(200),
        }),
        response: { 201: tokenResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { email: address, password, name } = request.body;
      const taken = () => new AppError('email_taken', 409, 'An account with this email already exists; sign in instead');
      if (await getUserByEmail(app.deps.db, address)) throw taken();
      const linkCustomer = app.deps.config.REGISTER_LINKS_CUSTOMER;
      const [passwordHash, customer] = await Promise.all([hashPassword(password), linkCustomer ? getCustomerByEmail(app.deps.db, address) : undefined]);
      let user: User;
      try {
        user = await createUser(app.deps.db, { email: address, name, passwordHash, role: 'customer', customerId: customer?.id ?? null });
      } catch (err) {
        if (isUniqueViolation(err)) throw taken(); // a concurrent registration won
        throw err;
      }
      return reply.status(201).send(toTokens(await startSession(app.deps, user)));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        security: [],
        body: z.object({ email, password: z.string().min(1).max(1024) }),
        response: { 200: tokenResponse, ...errorResponses },
      },
    },
    async (request) => {
      const user = await getUserByEmail(app.deps.db, request.body.email);
      // Same work and the same answer whether or not the email exists.
      const ok = await verifyPassword(user?.passwordHash, request.body.password);
      if (!user || !ok) throw new AppError('invalid_credentials', 401, 'Email or password is incorrect');
      return toTokens(await startSession(app.deps, user));
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new pair (the old one is spent; within REFRESH_REUSE_GRACE_SECONDS it returns the same pair, later reusing it revokes the session)',
        security: [],
        body: z.object({ refresh_token: z.string().min(1).max(4096) }),
        response: { 200: tokenResponse, ...errorResponses },
      },
    },
    async (request) => toTokens(await rotateSession(app.deps, request.body.refresh_token, request.log)),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: "End the session: revokes the caller's refresh-token family and its access tokens, and closes its WebSockets (4401)",
        response: { 204: z.null().describe('Signed out'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = requireUser(request);
      if (auth.sessionId) await endSession(app.deps, auth.sessionId, request.log);
      return reply.status(204).send(null);
    },
  );

  app.get('/me', { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: z.object({ user: userSchema }), ...errorResponses } } }, async (request) => {
    const auth = requireUser(request);
    const user = await getUserById(app.deps.db, auth.userId);
    if (!user) throw new AppError('unauthorized', 401, 'This account no longer exists');
    return { user: toUser(user) };
  });
};

export default authRoutes;
