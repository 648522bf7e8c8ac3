import { z } from 'zod';
import { expansionTerms } from '../../knowledge/query-expansion.js';
import { hybridSearch, type SearchHit } from '../../db/queries/knowledge.js';
import { observeVectorSearch } from '../../observability/telemetry.js';
import type { TurnContext } from '../context.js';
import { defineTool } from './tool.js';

/** Hybrid search over the knowledge base for one query (the thesaurus terms join the full-text and the vector query). */
export async function searchKnowledge(ctx: TurnContext, query: string, limit = 5): Promise<SearchHit[]> {
  const expansion = expansionTerms(query);
  const [embedding] = await ctx.deps.embedder.embed([[query, ...expansion].join(' ')]);
  return observeVectorSearch(() => hybridSearch(ctx.deps.db, { text: query, embedding: embedding!, expansion }, { limit }));
}

/** A passage as the model sees it: `ref` is the number it cites the passage by. */
export interface PassageView {
  ref: number;
  chunk_id: string;
  title: string;
  heading: string;
  content: string;
}

export const searchKnowledgeTool = defineTool({
  name: 'search_knowledge',
  description: "Searches the company's help-center articles. Returns passages, each with a ref number: cite a passage you use as [ref].",
  inputSchema: z.object({ query: z.string().trim().min(2).max(500), limit: z.number().int().min(1).max(10).default(5) }),
  async run(input, ctx) {
    const hits = await searchKnowledge(ctx, input.query, input.limit);
    // Every passage is registered for the turn: an answer may cite these and nothing else.
    const passages: PassageView[] = hits.map((h) => {
      const p = ctx.retrieved.add(h);
      return { ref: p.ref, chunk_id: p.chunkId, title: p.title, heading: p.heading, content: p.content };
    });
    return { passages };
  },
});
