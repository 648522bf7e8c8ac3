import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { draftReply } from '../../agents/draft.js';
import { getConversation } from '../../db/queries/conversations.js';
import { AppError } from '../../errors.js';
import { requireStaff } from '../plugins/auth.js';
import { citationSchema } from '../../contract/messages.js';
import { errorResponses, uuidParam } from '../schemas.js';

const draftSchema = z.object({
  content: z.string(),
  citations: z.array(citationSchema),
  agent: z.enum(['faq', 'account']).describe('faq: drafted from the knowledge base; account: from the customer’s own records'),
  engine: z.enum(['llm', 'offline']),
  reply_to: z.uuid().describe('The customer message the draft answers'),
});

/** "Suggest reply" for staff: a draft to edit in the reply box, never stored or sent by itself. */
const draftRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/conversations/:id/draft',
    {
      schema: {
        tags: ['handoff'],
        summary: "Staff: a suggested reply to the customer's latest message, from the knowledge base and the customer's records (not stored, not sent)",
        description:
          'The conversation must be held by a person (status `human`, else 409 `conversation_not_held`). The draft is written by the LLM when one is configured, by the offline engine otherwise; it is returned only: no message is stored and no event is published until the agent sends it as a staff message.',
        params: uuidParam,
        response: { 200: z.object({ draft: draftSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const conversation = await getConversation(app.deps.db, request.params.id);
      if (!conversation) throw new AppError('conversation_not_found', 404, 'Conversation not found');
      const d = await draftReply(app.deps, staff, conversation);
      return { draft: { content: d.content, citations: d.citations, agent: d.agent, engine: d.engine, reply_to: d.replyTo } };
    },
  );
};

export default draftRoutes;
