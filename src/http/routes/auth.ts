import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyPassword } from '../../auth/passwords.js';
import { getUserByEmail, getUserById } from '../../db/queries/users.js';
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
  expires_in: z.number().int(),
});

const toUser = (u: { id: string; email: string; name: string; role: 'customer' | 'agent' | 'admin'; customerId: string | null }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  customer_id: u.customerId,
});

/** Sign-in and the signed-in user. */
const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: z.object({ email: z.string().trim().max(320), password: z.string().min(1).max(1024) }),
        response: { 200: tokenResponse, ...errorResponses },
      },
    },
    async (request) => {
      const user = await getUserByEmail(app.deps.db, request.body.email);
      // Same work and the same answer whether or not the email exists.
      const ok = await verifyPassword(user?.passwordHash, request.body.password);
      if (!user || !ok) throw new AppError('invalid_credentials', 401, 'Email or password is incorrect');
      const { token, expiresIn } = await app.deps.tokens.signAccess(user);
      return { user: toUser(user), access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn };
    },
  );

  app.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: z.object({ user: userSchema }), ...errorResponses } } },
    async (request) => {
      const auth = requireUser(request);
      const user = await getUserById(app.deps.db, auth.userId);
      if (!user) throw new AppError('unauthorized', 401, 'This account no longer exists');
      return { user: toUser(user) };
    },
  );
};

export default authRoutes;
