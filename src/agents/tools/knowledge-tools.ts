import { z } from 'zod';
import { expansionTerms } from '../../knowledge/query-expansion.js';
import { hybridSearch, type SearchHit } from '../../db/queries/knowledge.js';
import type { TurnContext } from '../context.js';
import { defineTool } from './tool.js';

/** Hybrid search over the knowledge base for one query (the thesaurus terms join the vector query too). */
export async function searchKnowledge(ctx: TurnContext, query: string, limit = 5): Promise<SearchHit[]> {
  const [embedding] = await ctx.deps.embedder.embed([[query, ...expansionTerms(query)].join(' ')]);
  return hybridSearch(ctx.deps.db, { text: query, embedding: embedding! }, { limit });
}

export const searchKnowledgeTool = defineTool({
  name: 'search_knowledge',
  description: "Searches the company's help-center articles; returns passages with their chunk ids to cite.",
  inputSchema: z.object({ query: z.string().trim().min(2).max(500), limit: z.number().int().min(1).max(10).default(5) }),
  async run(input, ctx) {
    const hits = await searchKnowledge(ctx, input.query, input.limit);
    return {
      passages: hits.map((h) => ({ chunk_id: h.chunkId, document_id: h.documentId, title: h.title, slug: h.slug, heading: h.heading, content: h.content, score: h.score })),
    };
  },
});
