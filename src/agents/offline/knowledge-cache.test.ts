import { describe, expect, it } from 'vitest';
import { KNOWLEDGE_ARTICLES } from '../../demo/knowledge-articles.js';
import { chunkArticle } from '../../knowledge/chunk.js';
import { type Embedder, localEmbedder } from '../../llm/embeddings.js';
import type { OfflineServices } from '../context.js';
import type { PassageView } from '../tools/knowledge-tools.js';
import { extractiveAnswer } from './faq-answer.js';
import { knowledgeVectors, precomputeKnowledge } from './knowledge-cache.js';

/** The local embedder under another model id (a memo of its own), counting the texts it embeds. */
function countingEmbedder(id: string): Embedder & { texts: string[] } {
  const local = localEmbedder(384);
  const texts: string[] = [];
  return {
    modelId: id,
    dimensions: 384,
    texts,
    embed: async (batch) => {
      texts.push(...batch);
      return local.embed(batch);
    },
  };
}

const passages = KNOWLEDGE_ARTICLES.flatMap((a) => chunkArticle(a.title, a.content).map((c) => ({ title: a.title, heading: c.heading, content: c.content })));
const views: PassageView[] = passages
  .filter((p) => /shipping/i.test(p.title))
  .slice(0, 5)
  .map((p, i) => ({ ref: i + 1, chunk_id: `c${i}`, ...p }));
const QUESTION = 'How long does shipping take to Canada?';

describe('the offline engine precomputed at start', () => {
  it('embeds only the question in an offline FAQ answer once the knowledge base is precomputed', async () => {
    const embedder = countingEmbedder('counting-precomputed');
    const embedded = await precomputeKnowledge(embedder, passages);
    expect(embedded).toBeGreaterThan(passages.length);
    embedder.texts.length = 0;
    const answer = await extractiveAnswer({ embedder } as unknown as OfflineServices, QUESTION, views);
    expect(embedder.texts).toEqual([QUESTION]);
    // The same answer as without any precomputed vectors.
    const cold = countingEmbedder('counting-cold');
    expect(await extractiveAnswer({ embedder: cold } as unknown as OfflineServices, QUESTION, views)).toBe(answer);
    expect(cold.texts.length).toBeGreaterThan(views.length);
  });

  it('embeds a knowledge text the first time it is seen and never again', async () => {
    const embedder = countingEmbedder('counting-lazy');
    const first = await knowledgeVectors(embedder, ['a passage about returns', 'a passage about shipping', 'a passage about returns']);
    expect(embedder.texts).toEqual(['a passage about returns', 'a passage about shipping']);
    const again = await knowledgeVectors(embedder, ['a passage about shipping', 'a passage about returns']);
    expect(embedder.texts).toHaveLength(2);
    expect(again).toEqual([first[1], first[0]]);
  });
});
