/**
 * Knowledge-aware routing: how strongly the company's knowledge base speaks to a message. The
 * router's classifier knows only the words it was trained on; the knowledge base knows what the
 * company actually answers ("Do you accept SEPA direct debit?", "How often are backups taken?"), so a
 * message whose words a passage covers, and whose meaning is close to it, is a help-center question
 * even when the classifier calls it out of scope. A message the knowledge base does not cover keeps
 * the classifier's route: the FAQ agent is not forced on questions it cannot answer.
 */
import { cosine } from '../llm/embeddings.js';
import { contentWords } from '../llm/offline/text.js';
import type { AgentDeps } from './context.js';
import { searchKnowledge } from './tools/knowledge-tools.js';

export interface KnowledgeEvidence {
  /** Share of the message's content words (stemmed, stop words left out) that the best passage holds. */
  coverage: number;
  /** How many of them it holds. */
  matched: number;
  /** Cosine similarity of the message and the best passage (the embedder's). */
  similarity: number;
  /** The article of the best passage. */
  slug: string | null;
  /** Coverage and similarity together clear the bar (see STRONG). */
  strong: boolean;
}

/**
 * The bar: half the message's words (at least two) in one passage with a meaning close to it, or
 * four of its words with a looser likeness (long messages, whose coverage is low). Chosen on the
 * own routing set with the public evaluation sets watched for harm (a public message moved to FAQ
 * wrongly costs as much as an own one moved rightly); the chat-API figures in docs/evaluation.md
 * include its effect.
 */
export const STRONG = { coverage: 0.5, matched: 2, similarity: 0.35, manyMatched: 4, manySimilarity: 0.2 } as const;

/** Below this classifier confidence, strong evidence also overrides an account or escalation guess. */
export const OVERRIDE_BELOW = 0.6;

/** Content words without numbers: an order number in the message is no evidence of a topic. */
const topicWords = (text: string): string[] => [...contentWords(text)].filter((w) => !/^\d+$/.test(w));

const NONE: KnowledgeEvidence = { coverage: 0, matched: 0, similarity: 0, slug: null, strong: false };

/** The knowledge base's evidence for a message: its best passage among the hybrid search's first few. */
export async function knowledgeEvidence(deps: Pick<AgentDeps, 'db' | 'embedder'>, text: string): Promise<KnowledgeEvidence> {
  const words = topicWords(text);
  if (words.length === 0) return NONE;
  const hits = await searchKnowledge(deps, text, 3);
  if (hits.length === 0) return NONE;
  const [query, ...passages] = await deps.embedder.embed([text, ...hits.map((h) => `${h.title}\n${h.heading}\n${h.content}`)]);
  let best = NONE;
  hits.forEach((hit, i) => {
    const held = contentWords(`${hit.title} ${hit.heading} ${hit.content}`);
    const matched = words.filter((w) => held.has(w)).length;
    const coverage = matched / words.length;
    const similarity = cosine(query!, passages[i]!);
    if (coverage + similarity > best.coverage + best.similarity) {
      best = {
        coverage,
        matched,
        similarity,
        slug: hit.slug,
        strong: (coverage >= STRONG.coverage && matched >= STRONG.matched && similarity >= STRONG.similarity) || (matched >= STRONG.manyMatched && similarity >= STRONG.manySimilarity),
      };
    }
  });
  return best;
}

/**
 * Whether the knowledge base may change a route: one the classifier called out of scope or small
 * talk, or gave another route than FAQ with little confidence (only then is its evidence looked up).
 */
export function mayFavourKnowledge(out: { route: string; confidence: number }): boolean {
  return out.route !== 'faq' && (out.route === 'out_of_scope' || out.route === 'smalltalk' || out.confidence < OVERRIDE_BELOW);
}

/** The route after the knowledge base's evidence: strong evidence makes such a message an FAQ question. */
export function favourKnowledge<T extends { route: string; confidence: number; reasoning: string }>(out: T, evidence: KnowledgeEvidence, threshold: number): T {
  if (!evidence.strong || !mayFavourKnowledge(out)) return out;
  return {
    ...out,
    route: 'faq',
    confidence: Math.max(threshold, Math.min(0.9, evidence.coverage)),
    reasoning: `${out.reasoning}; the knowledge base covers it (${evidence.slug}: ${evidence.matched} words, ${Math.round(evidence.coverage * 100)} %) → faq`,
  };
}
