import { z } from 'zod';
import { expansionTerms } from '../../knowledge/query-expansion.js';
import { hybridSearch, type SearchHit } from '../../db/queries/knowledge.js';
import { condenseForSearch, SEARCH_QUERY_CHARS } from '../../knowledge/salient.js';
import { observeVectorSearch } from '../../observability/telemetry.js';
import type { AgentDeps } from '../context.js';
import { defineTool } from './tool.js';

/** Hybrid search over the knowledge base for one query (the thesaurus terms join the full-text and the vector query). */
export async function searchKnowledge(deps: Pick<AgentDeps, 'db' | 'embedder' | 'metrics'>, query: string, limit = 5): Promise<SearchHit[]> {
  const expansion = expansionTerms(query);
  const [embedding] = await deps.embedder.embed([[query, ...expansion].join(' ')]);
  return observeVectorSearch(deps.metrics, () => hybridSearch(deps.db, { text: query, embedding: embedding!, expansion }, { limit }));
}

/**
 * What the FAQ agent's search_knowledge does with a query: a query over SEARCH_QUERY_CHARS is
 * searched by its salient part (`searchedFor`), then the hybrid search. The staff search endpoint
 * calls this too, so staff see exactly the passages and scores the agent gets.
 */
export async function searchLikeTheAgent(deps: Pick<AgentDeps, 'db' | 'embedder' | 'metrics'>, query: string, limit: number): Promise<{ searchedFor: string; hits: SearchHit[] }> {
  const searchedFor = query.length > SEARCH_QUERY_CHARS ? await condenseForSearch(deps.db, query) : query;
  return { searchedFor, hits: await searchKnowledge(deps, searchedFor, limit) };
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
  inputSchema: z.object({
    // No length limit to fail on: a query over the limit (a whole long message) is searched by its salient part.
    query: z.string().trim().min(2).describe(`What to search for: the customer's question in a few words (up to ${SEARCH_QUERY_CHARS} characters; longer text is condensed to its question).`),
    limit: z.number().int().min(1).max(10).default(5),
  }),
  async run(input, ctx) {
    const { searchedFor: query, hits } = await searchLikeTheAgent(ctx.deps, input.query, input.limit);
    // Every passage is registered for the turn: an answer may cite these and nothing else.
    const passages: PassageView[] = hits.map((h) => {
      const p = ctx.retrieved.add(h);
      return { ref: p.ref, chunk_id: p.chunkId, title: p.title, heading: p.heading, content: p.content };
    });
    // What was searched, when it was not the query as given.
    return query === input.query ? { passages } : { searched_for: query, passages };
  },
});
