import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { analyticsReport } from '../../db/queries/analytics.js';
import { analyticsSeries } from '../../db/queries/analytics-series.js';
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
  automated_resolutions: z
    .object({
      actions: z.number().describe('Account actions completed without a person: auto and confirm tiers, no staff approval'),
      conversations: z.number().describe('Conversations with such an action that never reached a human'),
      rate: z.number().nullable().describe('Those conversations as a share of all conversations'),
      by_type: z.array(z.object({ type: z.string(), count: z.number() })),
      staff_approved_actions: z.number().describe('Completed actions a staff member approved (approve tier), for contrast'),
    })
    .describe('Requests the assistant resolved by acting, with no person involved'),
  answer_time: z.object({ answers: z.number(), p50_ms: z.number().nullable(), p95_ms: z.number().nullable() }).describe("Time from a customer's message to the assistant's answer to it"),
  daily: z
    .array(
      z.object({
        day: z.string(),
        conversations: z.number(),
        handed_off: z.number(),
        resolved: z.number(),
        containment_rate: z.number().nullable(),
        csat_responses: z.number(),
        csat_average: z.number().nullable(),
        cost_usd: z.number(),
        answer_p50_ms: z.number().nullable(),
        answer_p95_ms: z.number().nullable(),
      }),
    )
    .describe('Every day of the range (UTC), for charts'),
  routes_by_day: z.array(z.object({ day: z.string(), route: z.string(), count: z.number() })).describe("Conversations per day by the route of their first answer ('none': no answer)"),
  cost_by_day_model: z.array(z.object({ day: z.string(), model: z.string(), cost_usd: z.number() })),
});

/** Support analytics for staff: containment, handoffs and their reasons, CSAT, cost per conversation. */
const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/analytics',
    {
      schema: {
        tags: ['analytics'],
        summary: 'Containment rate, handoff rate and reasons, CSAT, cost per conversation, answer time and automated resolutions, in total and day by day (staff)',
        querystring: reportRangeQuery,
        response: { 200: analyticsSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'agent', 'admin');
      const range = reportRange(request.query);
      const [a, series] = await Promise.all([analyticsReport(app.deps.db, range), analyticsSeries(app.deps.db, range)]);
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
        automated_resolutions: {
          actions: a.automatedResolutions.actions,
          conversations: a.automatedResolutions.conversations,
          rate: a.automatedResolutions.rate,
          by_type: a.automatedResolutions.byType,
          staff_approved_actions: a.automatedResolutions.staffApprovedActions,
        },
        answer_time: { answers: series.answerTime.answers, p50_ms: series.answerTime.p50Ms, p95_ms: series.answerTime.p95Ms },
        daily: series.days.map((d) => ({
          day: d.day,
          conversations: d.conversations,
          handed_off: d.handedOff,
          resolved: d.resolved,
          containment_rate: d.conversations ? (d.conversations - d.handedOff) / d.conversations : null,
          csat_responses: d.csatResponses,
          csat_average: d.csatAverage,
          cost_usd: d.costUsd,
          answer_p50_ms: d.answerP50Ms,
          answer_p95_ms: d.answerP95Ms,
        })),
        routes_by_day: series.routes,
        cost_by_day_model: series.costByModel.map((m) => ({ day: m.day, model: m.model, cost_usd: m.costUsd })),
      };
    },
  );
};

export default analyticsRoutes;
