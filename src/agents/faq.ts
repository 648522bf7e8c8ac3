import type { Citation, ToolCallRecord } from '../db/schema.js';
import { expansionTerms } from '../knowledge/query-expansion.js';
import { STOPWORDS, stemmedTokens } from '../llm/offline/text.js';
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

/** Reads a markdown table row as a sentence: "Canada: Standard 7–14 business days; Express 3–5 business days." */
function tableRowSentence(header: string[], row: string[]): string {
  const [first, ...rest] = row;
  const cells = rest.map((c, i) => (header[i + 1] ? `${header[i + 1]} ${c}` : c));
  return `${first}: ${cells.join('; ')}.`;
}

function cellsOf(line: string): string[] {
  return line.replace(/^\s*\||\|\s*$/g, '').split('|').map((c) => c.trim());
}

/** Splits a passage into answer-sized sentences; tables become one sentence per row. */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  let header: string[] | null = null;
  for (const block of text.split(/\n/)) {
    const line = block.trim();
    if (line.startsWith('|')) {
      if (/^\|[\s|:-]+\|?$/.test(line)) continue; // the header separator
      const cells = cellsOf(line);
      if (!header) header = cells;
      else out.push(tableRowSentence(header, cells));
      continue;
    }
    header = null;
    const plain = line.replace(/^[-*]\s+|^\d+\.\s+/, '').replace(/\*\*/g, '');
    // Split after sentence ends, but not after abbreviations such as "2 p.m." or "e.g.".
    out.push(...plain.split(/(?<!\b(?:[ap]\.m|e\.g|i\.e|etc|vs|approx|incl|U\.S))(?<=[.!?])\s+(?=[A-Z"(])/));
  }
  return out.map((s) => s.trim()).filter((s) => s.length > 20 && s.length < 400);
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function contentWords(text: string): Set<string> {
  return new Set(stemmedTokens(text).filter((w) => !STOPWORDS.has(w)));
}

function coverage(query: Set<string>, text: Set<string>): number {
  if (query.size === 0) return 0;
  let n = 0;
  for (const w of query) if (text.has(w)) n++;
  return n / query.size;
}

/**
 * The offline answer: retrieve, rerank the passages by how much of the question (and the terms the
 * thesaurus adds) they cover, then extract the best passage's sentences closest to the question
 * (embedding similarity, word overlap, and a small preference for leading sentences) and cite them.
 */
export async function answerOffline(ctx: TurnContext): Promise<AgentReply> {
  const toolCalls: ToolCallRecord[] = [];
  const question = ctx.userMessage.content;
  const { passages } = await callTool(searchKnowledgeTool, { query: question, limit: 8 }, ctx, toolCalls);
  if (passages.length === 0) return { agent: name, content: NO_ANSWER, citations: [], toolCalls, engine: 'offline' };
  const qWords = contentWords(`${question} ${expansionTerms(question).join(' ')}`);
  const texts = passages.map((p) => `${p.heading}\n${p.content}`);
  const [qVec, ...pVecs] = await ctx.deps.embedder.embed([question, ...texts]);
  const ranked = passages
    .map((p, i) => {
      const sim = cosine(qVec!, pVecs[i]!);
      const cov = coverage(qWords, contentWords(texts[i]!));
      const headCov = coverage(qWords, contentWords(p.heading));
      // Fused rank order is a prior; coverage of the question decides between close candidates.
      return { p, sim, score: sim + 0.6 * cov + 0.4 * headCov - 0.02 * i };
    })
    .sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  if (best.sim < MIN_SIMILARITY && coverage(qWords, contentWords(texts[passages.indexOf(best.p)]!)) < 0.5) {
    return { agent: name, content: NO_ANSWER, citations: [], toolCalls, engine: 'offline' };
  }
  // Sentences from the best passage, plus the runner-up when it is nearly as good.
  const sources = ranked.slice(0, 2).filter((r, i) => i === 0 || r.score >= best.score * 0.9).map((r) => r.p);
  const sentenceLists = sources.map((p) => sentencesOf(p.content));
  const flat = sentenceLists.flat();
  if (flat.length === 0) return { agent: name, content: NO_ANSWER, citations: [], toolCalls, engine: 'offline' };
  const vectors = await ctx.deps.embedder.embed(flat);
  const candidates: { sentence: string; score: number; passage: number; order: number }[] = [];
  let k = 0;
  sentenceLists.forEach((list, passage) => {
    list.forEach((sentence, order) => {
      const sim = cosine(qVec!, vectors[k++]!);
      const cov = coverage(qWords, contentWords(sentence));
      candidates.push({ sentence, score: sim + 0.5 * cov - 0.03 * order - 0.05 * passage, passage, order });
    });
  });
  const chosen = candidates.sort((a, b) => b.score - a.score).slice(0, MAX_SENTENCES);
  chosen.sort((a, b) => a.passage - b.passage || a.order - b.order);
  const usedPassages = [...new Set(chosen.map((c) => c.passage))];
  const citations: Citation[] = usedPassages.map((i) => {
    const p = sources[i]!;
    return { document_id: p.document_id, chunk_id: p.chunk_id, title: p.title, slug: p.slug, snippet: p.content.slice(0, 240), score: p.score };
  });
  const body = chosen.map((c) => `${c.sentence} [${usedPassages.indexOf(c.passage) + 1}]`).join(' ');
  const list = citations.map((c, i) => `[${i + 1}] ${c.title}`).join('\n');
  return { agent: name, content: `${body}\n\nSources:\n${list}`, citations, toolCalls, engine: 'offline' };
}
