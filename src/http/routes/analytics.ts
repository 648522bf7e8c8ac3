import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { analyticsReport } from '../../db/queries/analytics.js';
import { requireRole } from '../plugins/auth.js';
import { reportRange, reportRangeQuery } from '../report-range.js';
import { errorResponses } from '../schemas.js';

const analyticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  conversations: z.number(),
  outcomes: z.object({ resolved: z.number(), handed_off: z.number(), abandoned: z.number(), open: z.number() }),
  containment_rate: z.number().nullable(),
  handoff_rate: z.number().nullable(),
  handoff_reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  csat: z.object({
    responses: z.number(),
    average: z.number().nullable(),
    distribution: z.object({ '1': z.number(), '2': z.number(), '3': z.number(), '4': z.number(), '5': z.number() }),
  }),
  cost: z.object({ total_usd: z.number(), per_conversation_usd: z.number().nullable() }),
});

/** Support analytics for staff: containment, handoffs and their reasons, CSAT, cost per conversation. */
const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/analytics',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Containment rate, handoff rate and reasons, CSAT and cost per conversation (staff)',
        querystring: reportRangeQuery,
        response: { 200: analyticsSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'agent', 'admin');
      const range = reportRange(request.query);
      const a = await analyticsReport(app.deps.db, range);
      return {
        from: range.fromDay,
        to: range.toDay,
        conversations: a.conversations,
        outcomes: { resolved: a.outcomes.resolved, handed_off: a.outcomes.handedOff, abandoned: a.outcomes.abandoned, open: a.outcomes.open },
        containment_rate: a.containmentRate,
        handoff_rate: a.handoffRate,
        handoff_reasons: a.handoffReasons,
        csat: a.csat,
        cost: { total_usd: a.cost.totalUsd, per_conversation_usd: a.cost.perConversationUsd },
      };
    },
  );
};

export default analyticsRoutes;
