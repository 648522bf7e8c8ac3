import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

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
      await Promise.all(
        Object.entries(app.deps.readiness).map(async ([name, probe]) => {
          try {
            await probe();
            checks[name] = 'ok';
          } catch (err) {
            checks[name] = `unavailable: ${(err as Error).message.slice(0, 120)}`;
          }
        }),
      );
      const ready = Object.values(checks).every((v) => v === 'ok');
      if (!ready) return reply.status(503).send({ status: 'not_ready' as const, checks });
      return { status: 'ready' as const, checks };
    },
  );
};

export default healthRoutes;
