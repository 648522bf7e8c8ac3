import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertOwner } from '../../chat/access.js';
import { getConversation } from '../../db/queries/conversations.js';
import { upsertFeedback } from '../../db/queries/feedback.js';
import { errorResponses, uuidParam } from '../schemas.js';

const feedbackSchema = z.object({
  conversation_id: z.uuid(),
  rating: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** CSAT: the customer who owns a conversation rates it 1..5, with an optional comment. */
const feedbackRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/conversations/:id/feedback',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Rate a conversation (CSAT 1-5); rating again replaces the earlier rating',
        params: uuidParam,
        body: z.object({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).optional() }),
        response: { 201: feedbackSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const conversation = await getConversation(app.deps.db, request.params.id);
      assertOwner(request.auth, conversation);
      const row = await upsertFeedback(app.deps.db, {
        conversationId: conversation.id,
        userId: request.auth.kind === 'user' ? request.auth.userId : null,
        rating: request.body.rating,
        comment: request.body.comment || null,
      });
      app.deps.metrics.csat.observe(row.rating);
      return reply.status(201).send({
        conversation_id: row.conversationId,
        rating: row.rating,
        comment: row.comment,
        created_at: row.createdAt.toISOString(),
        updated_at: row.updatedAt.toISOString(),
      });
    },
  );
};

export default feedbackRoutes;
