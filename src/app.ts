import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AgentDeps } from './agents/context.js';
import type { TokenService } from './auth/tokens.js';
import type { Database } from './db/client.js';
import type { Cache } from './infra/cache.js';
import type { Redis } from 'ioredis';
import authPlugin from './http/plugins/auth.js';
import errorsPlugin from './http/plugins/errors.js';
import authRoutes from './http/routes/auth.js';
import chatRoutes from './http/routes/chat.js';
import conversationRoutes from './http/routes/conversations.js';
import healthRoutes from './http/routes/health.js';
import { loggerOptions } from './observability/logger.js';

/** Everything the HTTP layer needs, built once by main.ts (or a test). */
export interface AppDeps extends AgentDeps {
  database: Database;
  tokens: TokenService;
  /** Shared cache: Redis when REDIS_URL is set, in-process otherwise. */
  cache: Cache;
  /** The Redis connection when REDIS_URL is set. */
  redis: Redis | null;
  /** Named dependency probes for /ready. */
  readiness: Record<string, () => Promise<void>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Builds the service as a Fastify instance (no listen, no process globals). */
export async function buildApp(deps: AppDeps, opts: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(deps.config.LOG_LEVEL),
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchboard API', version: '1.0.0', description: 'Multi-agent AI customer support' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin, { tokens: deps.tokens });

  await app.register(healthRoutes);
  const api = async (scope: FastifyInstance) => {
    await scope.register(authRoutes);
    await scope.register(conversationRoutes);
    await scope.register(chatRoutes);
  };
  await app.register(api, { prefix: '/api/v1' });
  return app;
}
