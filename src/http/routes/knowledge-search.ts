import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchLikeTheAgent } from '../../agents/tools/knowledge-tools.js';
import { requireStaff } from '../plugins/auth.js';
import { errorResponses } from '../schemas.js';

const hitSchema = z.object({
  document_id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  category: z.string(),
  chunk_id: z.uuid(),
  heading: z.string(),
  chunk: z.string().describe('The passage as the FAQ agent receives it'),
  score: z.number().describe('Reciprocal-rank-fusion score the results are ordered by'),
  similarity: z.number().nullable().describe('Cosine similarity, when the vector search found it'),
  text_rank: z.number().nullable().describe('Full-text rank, when the text search found it'),
});

/** "Test a question": the knowledge base's answer to a query, exactly as the FAQ agent's search_knowledge tool sees it. */
const knowledgeSearchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/knowledge/search',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'Hybrid search over the knowledge base, as the FAQ agent sees it (staff)',
        description:
          'The same search the FAQ agent runs (query expansion, embedding, pgvector + full-text fused by reciprocal rank); a query over the tool limit is searched by its salient part, given as `searched_for`.',
        querystring: z.object({
          q: z.string().trim().min(2).max(8000),
          limit: z.coerce.number().int().min(1).max(10).default(5),
        }),
        response: { 200: z.object({ query: z.string(), searched_for: z.string(), items: z.array(hitSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const { searchedFor, hits } = await searchLikeTheAgent(app.deps, request.query.q, request.query.limit);
      return {
        query: request.query.q,
        searched_for: searchedFor,
        items: hits.map((h) => ({
          document_id: h.documentId,
          slug: h.slug,
          title: h.title,
          category: h.category,
          chunk_id: h.chunkId,
          heading: h.heading,
          chunk: h.content,
          score: h.score,
          similarity: h.similarity,
          text_rank: h.textRank,
        })),
      };
    },
  );
};

export default knowledgeSearchRoutes;
