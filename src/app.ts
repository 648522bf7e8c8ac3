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
import type { EventBus } from './realtime/bus.js';
import realtimePlugin from './http/ws/websocket.js';
import staffRoutes from './http/routes/staff.js';
import noteRoutes from './http/routes/notes.js';
import cannedReplyRoutes from './http/routes/canned-replies.js';
import draftRoutes from './http/routes/drafts.js';
import presenceRoutes from './http/routes/presence.js';
import { isSessionRevoked } from './auth/sessions.js';
import authPlugin from './http/plugins/auth.js';
import errorsPlugin from './http/plugins/errors.js';
import idempotencyPlugin from './http/plugins/idempotency.js';
import textGuardPlugin from './http/plugins/text-guard.js';
import prefetchPlugin from './http/plugins/prefetch.js';
import rateLimitPlugin from './http/plugins/rate-limit.js';
import securityPlugin, { trustProxyOption } from './http/plugins/security.js';
import { serverOptions } from './http/server-options.js';
import { API_PREFIX, LEGACY_PREFIX, legacyAlias } from './http/plugins/versioning.js';
import authRoutes from './http/routes/auth.js';
import chatRoutes from './http/routes/chat.js';
import conversationRoutes from './http/routes/conversations.js';
import healthRoutes from './http/routes/health.js';
import ticketRoutes from './http/routes/tickets.js';
import { loggerOptions, RequestLogController } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { JobRunner } from './jobs/index.js';
import httpMetricsPlugin from './http/plugins/metrics.js';
import actionRoutes from './http/routes/actions.js';
import analyticsRoutes from './http/routes/analytics.js';
import feedbackRoutes from './http/routes/feedback.js';
import knowledgeRoutes from './http/routes/knowledge.js';
import knowledgeImportRoutes from './http/routes/knowledge-import.js';
import customerContextRoutes from './http/routes/customer-context.js';
import knowledgeSearchRoutes from './http/routes/knowledge-search.js';
import metricsRoutes, { publicMetricsEnabled } from './http/routes/metrics.js';
import usageRoutes from './http/routes/usage.js';
import webRoutes from './http/routes/web.js';

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
  /** Realtime events: Redis streams + pub/sub when REDIS_URL is set, in-process otherwise (src/realtime/). */
  bus: EventBus;
  /** Prometheus metrics of this process (src/observability/metrics.ts). */
  metrics: Metrics;
  /** Background jobs: BullMQ with REDIS_URL, in-process otherwise. */
  jobs: JobRunner;
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
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
    // Request timeout, and the error envelope for what Node's parser or Fastify's router refuses.
    ...serverOptions(deps.config.REQUEST_TIMEOUT_MS),
    // One log line per request (correlation id, route, status, duration, user id).
    logController: new RequestLogController(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorsPlugin);
  await app.register(textGuardPlugin);
  await app.register(httpMetricsPlugin, { metrics: deps.metrics });
  await app.register(securityPlugin, { config: deps.config });
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
  await app.register(authPlugin, { tokens: deps.tokens, isSessionRevoked: (sid) => isSessionRevoked(deps, sid) });
  await app.register(prefetchPlugin);
  await app.register(rateLimitPlugin, { config: deps.config, redis: deps.redis });
  await app.register(idempotencyPlugin, { db: deps.db, ttlSeconds: deps.config.IDEMPOTENCY_TTL_SECONDS, leaseSeconds: deps.config.IDEMPOTENCY_LEASE_SECONDS });

  await app.register(healthRoutes);
  await app.register(realtimePlugin);
  // The web app: customer chat at /, widget at /widget.js + /embed, staff console at /console (docs/web.md).
  await app.register(webRoutes, { config: deps.config });
  if (publicMetricsEnabled(deps.config)) await app.register(metricsRoutes);
  const api = async (scope: FastifyInstance) => {
    await scope.register(authRoutes);
    await scope.register(conversationRoutes);
    await scope.register(chatRoutes);
    await scope.register(staffRoutes);
    await scope.register(noteRoutes);
    await scope.register(cannedReplyRoutes);
    await scope.register(draftRoutes);
    await scope.register(presenceRoutes);
    await scope.register(actionRoutes);
    await scope.register(ticketRoutes);
    await scope.register(feedbackRoutes);
    await scope.register(knowledgeSearchRoutes);
    await scope.register(knowledgeRoutes);
    await scope.register(knowledgeImportRoutes);
    await scope.register(customerContextRoutes);
    await scope.register(usageRoutes);
    await scope.register(analyticsRoutes);
  };
  await app.register(api, { prefix: API_PREFIX });
  await app.register(legacyAlias(api), { prefix: LEGACY_PREFIX });
  return app;
}
