import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { usageReport, type UsageTotals } from '../../db/queries/usage.js';
import { requireRole } from '../plugins/auth.js';
import { reportRange, reportRangeQuery } from '../report-range.js';
import { errorResponses } from '../schemas.js';

const totals = z.object({
  requests: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_tokens: z.number(),
  cost_usd: z.number(),
});

const usageSchema = z.object({
  from: z.string(),
  to: z.string(),
  totals: totals.extend({ conversations: z.number(), cost_per_conversation_usd: z.number().nullable() }),
  by_day: z.array(totals.extend({ day: z.string() })),
  by_model: z.array(totals.extend({ model: z.string() })),
  by_agent: z.array(totals.extend({ agent: z.string() })),
  by_conversation: z.array(totals.extend({ conversation_id: z.uuid() })),
});

const wire = (t: UsageTotals): z.output<typeof totals> => ({
  requests: t.requests,
  input_tokens: t.inputTokens,
  output_tokens: t.outputTokens,
  cached_tokens: t.cachedTokens,
  cost_usd: t.costUsd,
});

/** LLM cost and tokens for administrators: by day, model, agent and conversation. */
const usageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/usage',
    {
      schema: {
        tags: ['analytics'],
        summary: 'LLM tokens and cost by day, model, agent and conversation (admin)',
        querystring: reportRangeQuery.extend({ conversations: z.coerce.number().int().min(0).max(500).default(50) }),
        response: { 200: usageSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const range = reportRange(request.query);
      const r = await usageReport(app.deps.db, { from: range.from, to: range.to, conversationLimit: request.query.conversations });
      return {
        from: range.fromDay,
        to: range.toDay,
        totals: { ...wire(r.totals), conversations: r.totals.conversations, cost_per_conversation_usd: r.totals.costPerConversation },
        by_day: r.byDay.map((d) => ({ day: d.day, ...wire(d) })),
        by_model: r.byModel.map((d) => ({ model: d.model, ...wire(d) })),
        by_agent: r.byAgent.map((d) => ({ agent: d.agent, ...wire(d) })),
        by_conversation: r.byConversation.map((d) => ({ conversation_id: d.conversationId, ...wire(d) })),
      };
    },
  );
};

export default usageRoutes;
