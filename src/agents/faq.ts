import type { Citation, ToolCallRecord } from '../db/schema.js';
import { tokenize } from '../llm/offline/text.js';
import type { AgentReply, TurnContext } from './context.js';
import { searchKnowledgeTool } from './tools/knowledge-tools.js';
import { callTool } from './tools/tool.js';

export const name = 'faq';
export const description = "Answers general questions from the company's help-center articles (shipping, returns, billing policy, plans, security, API, troubleshooting) and cites them.";

/** Instructions for an LLM running this agent. */
export function instructions(): string {
  return [
    'You answer customer questions for Switchboard Demo Co using ONLY the passages returned by the search_knowledge tool.',
    'Always call search_knowledge first. Cite every passage you use as [n] and list its chunk_id in citations.',
    'If the passages do not answer the question, say plainly that the help center does not cover it and offer to connect the customer with a person.',
    'Be concise and friendly. Never invent policies, prices or numbers.',
  ].join('\n');
}

// Below this cosine similarity (and with no full-text match) a passage is not about the question.
const MIN_SIMILARITY = 0.2;
const MAX_SENTENCES = 3;

/** Answer when the knowledge base has nothing on the question. */
export const NO_ANSWER =
  "I couldn't find an answer to that in our help center. Would you like me to connect you with someone from our support team?";

function sentencesOf(text: string): string[] {
  return text
    .replace(/^\s*[-*]\s+/gm, '')
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 20 && s.length < 400);
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/**
 * The offline answer: retrieve, then extract the sentences of the best passages closest to the
 * question (embedding similarity plus word overlap), and cite the passages they came from.
 */
export async function answerOffline(ctx: TurnContext): Promise<AgentReply> {
  const toolCalls: ToolCallRecord[] = [];
  const question = ctx.userMessage.content;
  const { passages } = await callTool(searchKnowledgeTool, { query: question, limit: 5 }, ctx, toolCalls);
  const [qVec] = await ctx.deps.embedder.embed([question]);
  const qWords = new Set(tokenize(question));
  const candidates: { sentence: string; score: number; passage: number; order: number }[] = [];
  const top = passages.slice(0, 3);
  const sentenceLists = top.map((p) => sentencesOf(p.content));
  const flat = sentenceLists.flat();
  const vectors = flat.length ? await ctx.deps.embedder.embed(flat) : [];
  let k = 0;
  let best = 0;
  sentenceLists.forEach((list, passage) => {
    list.forEach((sentence, order) => {
      const words = tokenize(sentence);
      const overlap = words.filter((w) => qWords.has(w)).length / Math.max(1, qWords.size);
      const sim = cosine(qVec!, vectors[k++]!);
      best = Math.max(best, sim);
      // Earlier passages rank higher in the fused retrieval; keep a small preference for them.
      candidates.push({ sentence, score: sim + 0.35 * overlap - 0.03 * passage, passage, order });
    });
  });
  if (top.length === 0 || best < MIN_SIMILARITY) {
    return { agent: name, content: NO_ANSWER, citations: [], toolCalls, engine: 'offline' };
  }
  const chosen = candidates.sort((a, b) => b.score - a.score).slice(0, MAX_SENTENCES);
  chosen.sort((a, b) => a.passage - b.passage || a.order - b.order);
  const usedPassages = [...new Set(chosen.map((c) => c.passage))];
  const citations: Citation[] = usedPassages.map((i) => {
    const p = top[i]!;
    return { document_id: p.document_id, chunk_id: p.chunk_id, title: p.title, slug: p.slug, snippet: p.content.slice(0, 240), score: p.score };
  });
  const body = chosen.map((c) => `${c.sentence} [${usedPassages.indexOf(c.passage) + 1}]`).join(' ');
  const sources = citations.map((c, i) => `[${i + 1}] ${c.title}`).join('\n');
  return { agent: name, content: `${body}\n\nSources:\n${sources}`, citations, toolCalls, engine: 'offline' };
}
