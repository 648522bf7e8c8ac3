import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A read the route will need whatever its handler decides (a turn's cached memory), started in
     * onRequest: its Redis read then goes out in the gate's one call (session check, rate limits;
     * infra/redis-batch.ts) instead of a round trip of its own later. The result is only used by the
     * handler, after the request was let in; a request refused meanwhile drops it.
     */
    prefetch?: (request: FastifyRequest) => Promise<unknown>;
  }
  interface FastifyRequest {
    /** What the route's `prefetch` started, or null. */
    prefetched: Promise<unknown> | null;
  }
}

/** Starts a route's `prefetch` (registered after auth, before the rate limiter: the same tick as both). */
export default fp(
  async function prefetch(app: FastifyInstance) {
    app.decorateRequest('prefetched', null);
    app.addHook('onRequest', async (request) => {
      const start = request.routeOptions.config.prefetch;
      if (!start) return;
      const started = start(request);
      started.catch(() => {}); // a failed prefetch is the handler's miss, never an unhandled rejection
      request.prefetched = started;
    });
  },
  { name: 'prefetch', dependencies: ['auth'] },
);
