import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RETRY_AFTER_SECONDS, within } from '../../util/deadline.js';

/** How long /ready waits for one dependency before calling it down. */
export const READY_PROBE_MS = 800;

/** Liveness and readiness for load balancers and orchestrators. */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { tags: ['infra'], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/ready',
    {
      schema: {
        tags: ['infra'],
        response: {
          200: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }),
          503: z.object({ status: z.literal('not_ready'), checks: z.record(z.string(), z.string()) }),
        },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      // Every probe runs at once and gets READY_PROBE_MS, so a load balancer's 2 s probe always gets
      // an answer that names what is down, however a dependency fails (refused, or silent).
      await Promise.all(
        Object.entries(app.deps.readiness).map(async ([name, probe]) => {
          try {
            await within(probe(), READY_PROBE_MS, name);
            checks[name] = 'ok';
          } catch (err) {
            const cause = (err as Error & { cause?: Error }).cause;
            checks[name] = `unavailable: ${(cause?.message ?? (err as Error).message).slice(0, 120)}`;
          }
        }),
      );
      const ready = Object.values(checks).every((v) => v === 'ok');
      // Retry-After as on every other 503: when to ask again.
      if (!ready)
        return reply
          .status(503)
          .header('retry-after', String(RETRY_AFTER_SECONDS))
          .send({ status: 'not_ready' as const, checks });
      return { status: 'ready' as const, checks };
    },
  );
};

export default healthRoutes;
