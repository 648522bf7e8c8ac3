import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../../observability/metrics.js';

/** The endpoint label of requests no route matched (never the raw path: it would explode cardinality). */
export const UNMATCHED_ENDPOINT = 'unmatched';

/** Counts and times every HTTP request by method, route template and status. */
export default fp(
  async function httpMetrics(app: FastifyInstance, opts: { metrics: Metrics }) {
    const { httpRequests, httpDuration } = opts.metrics;
    app.addHook('onResponse', async (request, reply) => {
      const endpoint = request.routeOptions.url ?? UNMATCHED_ENDPOINT;
      const method = request.method;
      httpRequests.inc({ method, endpoint, status: String(reply.statusCode) });
      httpDuration.observe({ method, endpoint }, reply.elapsedTime / 1000);
    });
  },
  { name: 'http-metrics' },
);
