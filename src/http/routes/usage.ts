import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { budgetSpend } from '../../db/queries/budget-state.js';
import { usageReport, type UsageTotals } from '../../db/queries/usage.js';
import { budgetLimits, budgetState } from '../../llm/cost-budget.js';
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

const budgetStateSchema = z
  .enum(['off', 'ok', 'warning', 'degraded', 'exhausted'])
  .describe('off: no limit; warning: past LLM_BUDGET_WARN_RATIO; degraded: spent, calls use the cheaper router model; exhausted: the offline engine answers');
const spendRow = { spent_usd: z.number(), ratio: z.number().nullable(), state: budgetStateSchema };

const budgetsSchema = z.object({
  day: z.string().describe('The UTC day the daily budgets count'),
  resets_at: z.string(),
  warn_ratio: z.number(),
  hard_ratio: z.number(),
  router_model: z.string().nullable(),
  global_day: z.object({ limit_usd: z.number(), ...spendRow }),
  customer_day: z.object({
    limit_usd: z.number(),
    top: z.array(z.object({ customer_id: z.uuid(), name: z.string().nullable(), email: z.string().nullable(), ...spendRow })).describe("Today's biggest spenders"),
  }),
  conversation: z.object({
    limit_usd: z.number(),
    top: z.array(z.object({ conversation_id: z.uuid(), subject: z.string().nullable(), ...spendRow })).describe('Conversations that spent today, by their spend over all time'),
  }),
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

  app.get(
    '/usage/budgets',
    {
      schema: {
        tags: ['analytics'],
        summary: "Each cost budget's state now: everyone's UTC day, the customers and conversations closest to theirs (admin)",
        response: { 200: budgetsSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      const now = app.deps.now?.() ?? new Date();
      const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const limits = budgetLimits(app.deps.config);
      const spend = await budgetSpend(app.deps.db, since);
      const row = (spent: number, limit: number) => ({ spent_usd: spent, ratio: limit > 0 ? spent / limit : null, state: budgetState(spent, limit, limits) });
      return {
        day: since.toISOString().slice(0, 10),
        resets_at: new Date(since.getTime() + 86_400_000).toISOString(),
        warn_ratio: limits.warnRatio,
        hard_ratio: limits.hardRatio,
        router_model: limits.routerModel ?? null,
        global_day: { limit_usd: limits.globalDayUsd, ...row(spend.globalDayUsd, limits.globalDayUsd) },
        customer_day: {
          limit_usd: limits.customerDayUsd,
          top: spend.customers.map((c) => ({ customer_id: c.customerId, name: c.name, email: c.email, ...row(c.spentUsd, limits.customerDayUsd) })),
        },
        conversation: {
          limit_usd: limits.conversationUsd,
          top: spend.conversations.map((c) => ({ conversation_id: c.conversationId, subject: c.subject, ...row(c.spentUsd, limits.conversationUsd) })),
        },
      };
    },
  );
};

export default usageRoutes;
