import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Metrics } from '../../observability/metrics.js';
import { errorResponses } from '../schemas.js';

/** The header a scraper presents METRICS_TOKEN in (the Authorization header belongs to user JWTs). */
export const METRICS_TOKEN_HEADER = 'x-metrics-token';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether the public server answers /metrics: not when an internal METRICS_PORT serves it, and in
 * production only behind METRICS_TOKEN.
 */
export function publicMetricsEnabled(config: { NODE_ENV: string; METRICS_PORT?: number; METRICS_TOKEN?: string }): boolean {
  if (config.METRICS_PORT) return false;
  return config.NODE_ENV !== 'production' || Boolean(config.METRICS_TOKEN);
}

/** GET /metrics on the public server: Prometheus text, behind METRICS_TOKEN when one is configured. */
const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  const token = app.deps.config.METRICS_TOKEN;
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['infra'],
        summary: `Prometheus metrics (send METRICS_TOKEN in ${METRICS_TOKEN_HEADER} when configured)`,
        response: { 200: z.string(), 401: errorResponses[401] },
      },
    },
    async (request, reply) => {
      if (token) {
        const given = request.headers[METRICS_TOKEN_HEADER];
        if (typeof given !== 'string' || !sameToken(given, token)) {
          throw new AppError('metrics_unauthorized', 401, `Send the metrics token in the ${METRICS_TOKEN_HEADER} header`);
        }
      }
      const metrics: Metrics = app.deps.metrics;
      return reply.type(metrics.contentType).send(await metrics.render());
    },
  );
};

export default metricsRoutes;

/**
 * A separate server for METRICS_PORT: only /metrics, meant for an internal network that the
 * public load balancer does not route to. No auth of its own (the network is the boundary).
 */
export function buildMetricsServer(metrics: Metrics): FastifyInstance {
  const server = Fastify({ logger: false });
  server.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()));
  return server;
}
