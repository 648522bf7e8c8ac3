import type { Citation } from '../db/schema.js';
import { expansionTerms } from '../knowledge/query-expansion.js';
import type { OfflineBehaviour, OfflineRequest } from '../llm/offline/offline-model.js';
import { STOPWORDS, stemmedTokens } from '../llm/offline/text.js';
import type { Agent, Checked } from './agent.js';
import type { OfflineServices, RetrievedPassage, TurnContext } from './context.js';
import { searchKnowledgeTool, type PassageView } from './tools/knowledge-tools.js';

export const name = 'faq';
export const description = "Answers general questions from the company's help-center articles (shipping, returns, billing policy, plans, security, API, troubleshooting) and cites them.";

/** Instructions for an LLM running this agent. */
export function instructions(): string {
  return [
    'You answer customer questions for Switchboard Demo Co using ONLY the passages returned by the search_knowledge tool.',
    'Always call search_knowledge first. After each sentence that uses a passage, cite it by its ref number in brackets, e.g. [2]. Do not add a list of sources; it is added for you.',
    'If the passages do not answer the question, say plainly that you could not find it in the help center and offer to connect the customer with a person.',
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
    out.push(...plain.split(/(?<!\b(?:[ap]\.m|e\.g|i\.e|etc|vs|approx|incl|U\.S)\.)(?<=[.!?])\s+(?=[A-Z"(])/));
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

/** The passages this turn's searches returned, in the order the model saw them (each once). */
function passagesOf(req: OfflineRequest): PassageView[] {
  const seen = new Map<number, PassageView>();
  for (const r of req.toolResults) {
    if (r.toolName !== searchKnowledgeTool.name || r.isError) continue;
    for (const p of (r.output as { passages?: PassageView[] }).passages ?? []) if (!seen.has(p.ref)) seen.set(p.ref, p);
  }
  return [...seen.values()];
}

/** What kind of answer a question wants: a number, a price, or steps. */
interface QuestionCues {
  numeric: boolean;
  money: boolean;
  procedure: boolean;
}

const NUMERIC_Q = /\b(how (long|many|much|soon|often|fast)|when|limits?|days?|hours?|weeks?|months?|percent|deadline|window)\b/i;
const MONEY_Q = /\b(price|prices|cost|costs|fee|fees|charge|how much|pay)\b/i;
const PROCEDURE_Q = /\b(how (do|can|should|would) (i|we|you)|how to|steps?|where (do|can) i|set ?up|enable|reset|change|start|turn on)\b/i;
const HAS_NUMBER = /\d/;
const HAS_MONEY = /[$€£]\s?\d/;
const IMPERATIVE = /^(click|go|open|select|choose|enter|sign|tap|type|press|visit|contact|send|use|turn|add|pick|follow)\b|→/i;

/** Reads the shape of answer a question asks for. */
export function questionCues(question: string): QuestionCues {
  return { numeric: NUMERIC_Q.test(question), money: MONEY_Q.test(question), procedure: PROCEDURE_Q.test(question) };
}

/** Prefers sentences shaped like the answer: figures for "how long/how many", prices for "how much", steps for "how do I". */
export function answerShapeBonus(cue: QuestionCues, sentence: string): number {
  let bonus = 0;
  if (cue.numeric && HAS_NUMBER.test(sentence)) bonus += 0.15;
  if (cue.money && HAS_MONEY.test(sentence)) bonus += 0.15;
  if (cue.procedure && IMPERATIVE.test(sentence)) bonus += 0.12;
  return bonus;
}

/**
 * The extractive answer: rerank the passages by how much of the question (and the terms the
 * thesaurus adds) they cover, then take the best passage's sentences closest to the question
 * (embedding similarity, word overlap, and a small preference for leading sentences), each followed
 * by the [ref] of its passage.
 */
export async function extractiveAnswer(services: OfflineServices, question: string, passages: PassageView[]): Promise<string> {
  if (passages.length === 0) return NO_ANSWER;
  const qWords = contentWords(`${question} ${expansionTerms(question).join(' ')}`);
  const texts = passages.map((p) => `${p.heading}\n${p.content}`);
  const [qVec, ...pVecs] = await services.embedder.embed([question, ...texts]);
  const ranked = passages
    .map((p, i) => {
      const sim = cosine(qVec!, pVecs[i]!);
      const cov = coverage(qWords, contentWords(texts[i]!));
      const headCov = coverage(qWords, contentWords(p.heading));
      // Fused rank order is a prior; coverage of the question decides between close candidates.
      return { p, i, sim, cov, score: sim + 0.6 * cov + 0.4 * headCov - 0.02 * i };
    })
    .sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  if (best.sim < MIN_SIMILARITY && best.cov < 0.5) return NO_ANSWER;
  // Sentences from the best passage, plus the runner-up when it is nearly as good.
  const sources = ranked.slice(0, 2).filter((r, i) => i === 0 || r.score >= best.score * 0.9).map((r) => r.p);
  const sentenceLists = sources.map((p) => sentencesOf(p.content));
  const flat = sentenceLists.flat();
  if (flat.length === 0) return NO_ANSWER;
  const vectors = await services.embedder.embed(flat);
  const cue = questionCues(question);
  const candidates: { sentence: string; score: number; passage: number; order: number }[] = [];
  let k = 0;
  sentenceLists.forEach((list, passage) => {
    list.forEach((sentence, order) => {
      const sim = cosine(qVec!, vectors[k++]!);
      const cov = coverage(qWords, contentWords(sentence));
      const score = sim + 0.5 * cov + answerShapeBonus(cue, sentence) - 0.03 * order - 0.05 * passage;
      candidates.push({ sentence, score, passage, order });
    });
  });
  const chosen = candidates.sort((a, b) => b.score - a.score).slice(0, MAX_SENTENCES);
  chosen.sort((a, b) => a.passage - b.passage || a.order - b.order);
  return chosen.map((c) => `${c.sentence} [${sources[c.passage]!.ref}]`).join(' ');
}

/** Offline: search for the question first; with the passages in hand, answer extractively. */
export function offline(services: OfflineServices): OfflineBehaviour {
  return async (req) => {
    const searched = req.toolResults.some((r) => r.toolName === searchKnowledgeTool.name);
    if (!searched) return { toolCalls: [{ toolName: searchKnowledgeTool.name, input: { query: req.userText, limit: 8 } }] };
    return { text: await extractiveAnswer(services, req.userText, passagesOf(req)) };
  };
}

// [2], [2, 5], [chunk uuid]: what a citation looks like in an answer.
const MARKER = /\[((?:\d{1,3}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\s*,\s*(?:\d{1,3}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))*)\]/gi;
// A "Sources" list the model wrote itself (the check writes the real one).
const SOURCES_LIST = /\n+\s*(?:\*\*|#+\s*)?sources?:?(?:\*\*)?\s*\n[\s\S]*$/i;
// An answer that says the help center has nothing on the question (it needs no citation).
const SAYS_NO_ANSWER =
  /\b(couldn'?t|could not|can'?t|cannot|unable to|did not|didn'?t|don'?t|do not)\b[^.]{0,40}\b(find|locate|cover|have (any )?information)|\bnot (covered|mentioned|in (our|the) help ?cent(er|re))|\bno information\b/i;

/**
 * Checks an answer's citations against the passages this turn's searches returned: every [n] (or
 * [chunk id]) must be one of them, and an answer that cites nothing must be a plain "not found".
 * A good answer is renumbered [1], [2], ... in order of use, with its sources listed.
 */
export function check(ctx: TurnContext, text: string): Checked {
  const body = text.replace(SOURCES_LIST, '').trim();
  const used: RetrievedPassage[] = [];
  const unknown: string[] = [];
  const renumbered = body.replace(MARKER, (_m, ids: string) => {
    const nums = ids.split(/\s*,\s*/).map((id) => {
      const p = /^\d+$/.test(id) ? ctx.retrieved.byRef(Number(id)) : ctx.retrieved.byChunkId(id);
      if (!p) {
        unknown.push(id);
        return id;
      }
      if (!used.includes(p)) used.push(p);
      return String(used.indexOf(p) + 1);
    });
    return `[${nums.join('][')}]`;
  });
  const valid = ctx.retrieved.size ? `the passages you retrieved have refs ${Array.from({ length: ctx.retrieved.size }, (_, i) => i + 1).join(', ')}` : 'you have not retrieved any passage';
  if (unknown.length > 0) {
    return { ok: false, feedback: `Check failed: your answer cites [${unknown.join('], [')}], which search_knowledge did not return; ${valid}. Answer again, citing only those passages.` };
  }
  if (used.length === 0) {
    if (SAYS_NO_ANSWER.test(body)) return { ok: true, content: body, citations: [] };
    return { ok: false, feedback: `Check failed: your answer cites no passage. Answer only from passages search_knowledge returned and cite each one you use as [ref] (${valid}); if they do not answer the question, say you could not find it and offer a person.` };
  }
  const citations: Citation[] = used.map((p) => ({ document_id: p.documentId, chunk_id: p.chunkId, title: p.title, slug: p.slug, snippet: p.content.slice(0, 240), score: p.score }));
  const sources = used.map((p, i) => `[${i + 1}] ${p.title}`).join('\n');
  return { ok: true, content: `${renumbered}\n\nSources:\n${sources}`, citations };
}

/** The FAQ agent. */
export const faq: Agent = { name, description, instructions, tools: [searchKnowledgeTool], maxSteps: 4, check, offline };
