/**
 * Knowledge-aware routing: how strongly the company's knowledge base speaks to a message. The
 * router's classifier knows only the words it was trained on; the knowledge base knows what the
 * company actually answers ("Do you accept SEPA direct debit?", "How often are backups taken?"), so a
 * message whose words a passage covers, and whose meaning is close to it, is a help-center question
 * even when the classifier calls it out of scope. A message the knowledge base does not cover keeps
 * the classifier's route: the FAQ agent is not forced on questions it cannot answer.
 */
import { cosine } from '../llm/embeddings.js';
import { extractSlots } from '../llm/offline/slots.js';
import { contentWords } from '../llm/offline/text.js';
import type { AgentDeps } from './context.js';
import { cachedUnits, cachedWords, knowledgeVectors } from './offline/knowledge-cache.js';
import { searchKnowledge } from './tools/knowledge-tools.js';

export interface KnowledgeEvidence {
  /** Share of the message's content words (stemmed, stop words left out) that the best passage holds. */
  coverage: number;
  /** How many of them it holds. */
  matched: number;
  /** Cosine similarity of the message and the best passage (the embedder's). */
  similarity: number;
  /** The highest cosine similarity of the message and one sentence of that passage. */
  sentenceSimilarity: number;
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
export const STRONG = {
  coverage: 0.5,
  matched: 2,
  similarity: 0.35,
  manyMatched: 4,
  manySimilarity: 0.2,
  // A short question close to one sentence ("Do you take cheques?"): a higher bar, because a
  // sentence is easier to be close to than a passage (chosen with the public sets' false moves counted).
  sentenceCoverage: 0.6,
  sentenceSimilarity: 0.5,
  manySentenceSimilarity: 0.4,
} as const;

/** Below this classifier confidence, strong evidence also overrides an account or escalation guess. */
export const OVERRIDE_BELOW = 0.6;

/** Content words without numbers: an order number in the message is no evidence of a topic. */
const topicWords = (text: string): string[] => [...contentWords(text)].filter((w) => !/^\d+$/.test(w));

const NONE: KnowledgeEvidence = { coverage: 0, matched: 0, similarity: 0, sentenceSimilarity: 0, slug: null, strong: false };

/** The knowledge base's evidence for a message: its best passage among the hybrid search's first few. */
export async function knowledgeEvidence(deps: Pick<AgentDeps, 'db' | 'embedder'>, text: string): Promise<KnowledgeEvidence> {
  const words = topicWords(text);
  if (words.length === 0) return NONE;
  const hits = await searchKnowledge(deps, text, 3);
  if (hits.length === 0) return NONE;
  // A short question is compared with each sentence of a passage as well as with the whole of
  // it: "Do you take cheques?" is close to the sentence about cheques, not to a passage on ten methods.
  const sentences = hits.map((h) => cachedUnits(h.content).map((u) => u.text));
  // The passages' vectors were computed at start (or on first use): only the message is embedded here.
  const [[query], vectors] = await Promise.all([deps.embedder.embed([text]), knowledgeVectors(deps.embedder, [...hits.map((h) => `${h.title}\n${h.heading}\n${h.content}`), ...sentences.flat()])]);
  const passages = vectors.slice(0, hits.length);
  let next = hits.length;
  let best = NONE;
  hits.forEach((hit, i) => {
    const held = cachedWords(`${hit.title} ${hit.heading} ${hit.content}`);
    const matched = words.filter((w) => held.has(w)).length;
    const coverage = matched / words.length;
    const similarity = cosine(query!, passages[i]!);
    let sentenceSimilarity = 0;
    for (let j = 0; j < sentences[i]!.length; j++) sentenceSimilarity = Math.max(sentenceSimilarity, cosine(query!, vectors[next++]!));
    if (coverage + similarity > best.coverage + best.similarity) {
      best = {
        coverage,
        matched,
        similarity,
        sentenceSimilarity,
        slug: hit.slug,
        strong:
          (coverage >= STRONG.coverage && matched >= STRONG.matched && similarity >= STRONG.similarity) ||
          (matched >= STRONG.manyMatched && similarity >= STRONG.manySimilarity) ||
          (coverage >= STRONG.sentenceCoverage && matched >= STRONG.matched && sentenceSimilarity >= STRONG.sentenceSimilarity) ||
          (matched >= STRONG.manyMatched && sentenceSimilarity >= STRONG.manySentenceSimilarity),
      };
    }
  });
  return best;
}

/**
 * Whether the knowledge base may change a route: one the classifier called out of scope or small
 * talk, or gave another route than FAQ with little confidence, or an FAQ guess below the clarifying
 * threshold, which strong evidence confirms instead of asking (only then is its evidence looked up).
 */
export function mayFavourKnowledge(out: { route: string; confidence: number }, text?: string, threshold?: number): boolean {
  if (out.route === 'faq') return threshold !== undefined && out.confidence < threshold;
  if (out.route === 'out_of_scope' || out.route === 'smalltalk' || out.confidence < OVERRIDE_BELOW) return true;
  // An account guess about no record of the customer's own ("Where do I find the tracking number
  // for a hardware order?") is a policy question when the knowledge base covers nearly all of it.
  return out.route === 'account' && text !== undefined && !namesOwnRecord(text);
}

/** At least this share of the message's words in one passage moves a confident account guess naming no own record. */
export const POLICY_COVERAGE = 0.75;

const OWN_RECORD =
  /\b(?:my|our)\s+(?:(?:last|latest|recent|current|new|first|second|previous|next|monthly|annual|other)\s+)?(?:orders?|invoices?|bills?|subscriptions?|plans?|refunds?|payments?|charges?|accounts?|packages?|parcels?|deliver(?:y|ies)|purchases?|receipts?|statements?|seats?|card|credit|balance|returns?|shipments?|tickets?)\b|\b(?:that|this|the same)\s+(?:orders?|invoices?|bills?|refunds?|payments?|charges?|packages?|parcels?|deliver(?:y|ies)|purchases?|shipments?)\b|\bmy\s+(?:profile|email|e-mail|address|details|name|phone number)\b|\b(?:i|we)\s+(?:was|were|got|have been)\s+(?:charged|billed)\b/i;

/** Whether a message points at one of the customer's own records: a reference number, or "my order", "my invoice" ... */
export function namesOwnRecord(text: string): boolean {
  const slots = extractSlots(text);
  return OWN_RECORD.test(text) || slots.orderNumbers.length + slots.invoiceNumbers.length + slots.ticketNumbers.length + slots.references.length > 0;
}

/** The route after the knowledge base's evidence: strong evidence makes such a message an FAQ question. */
export function favourKnowledge<T extends { route: string; confidence: number; reasoning: string }>(out: T, evidence: KnowledgeEvidence, threshold: number, text?: string): T {
  if (!evidence.strong || !mayFavourKnowledge(out, text, threshold)) return out;
  if (out.route === 'account' && out.confidence >= OVERRIDE_BELOW && evidence.coverage < POLICY_COVERAGE) return out;
  return {
    ...out,
    route: 'faq',
    confidence: Math.max(threshold, Math.min(0.9, evidence.coverage)),
    reasoning: `${out.reasoning}; the knowledge base covers it (${evidence.slug}: ${evidence.matched} words, ${Math.round(evidence.coverage * 100)} %) → faq`,
  };
}
