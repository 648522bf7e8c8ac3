/**
 * Retrieval quality: for every question of the retrieval set, the knowledge search ranks passages
 * three ways (hybrid as the FAQ agent runs it, vector only, full text only); a question is served
 * when a passage of one of its relevant articles ranks high. Plus an answer-level check: the FAQ
 * agent's answer, through the real chat endpoint, must cite a relevant article.
 */
import type { FastifyInstance } from 'fastify';
import { hybridSearch } from '../src/db/queries/knowledge.js';
import type { Db } from '../src/db/client.js';
import { expansionTerms } from '../src/knowledge/query-expansion.js';
import type { Embedder } from '../src/llm/embeddings.js';
import { markdownTable, plainTable } from '../bench/lib/report.js';
import type { RetrievalItem } from './lib/data.js';
import { mean, recallAtK, reciprocalRank } from './lib/metrics.js';

export const MODES = ['hybrid', 'vector', 'text'] as const;
export type SearchMode = (typeof MODES)[number];

/** Passages ranked per question: 5 is what the FAQ agent reads by default; MRR looks at the first 20. */
const K = 5;
const DEPTH = 20;

/**
 * The articles of the passages the search returns for a question, best first (one entry per
 * passage). The query is built as the FAQ agent's search_knowledge tool builds it: the question's
 * thesaurus terms join the text that is embedded.
 */
export async function rankedArticles(deps: { db: Db; embedder: Embedder }, question: string, mode: SearchMode): Promise<string[]> {
  const expansion = expansionTerms(question);
  const [embedding] = await deps.embedder.embed([[question, ...expansion].join(' ')]);
  const hits = await hybridSearch(deps.db, { text: question, embedding: embedding!, expansion }, { limit: DEPTH, mode });
  return hits.map((h) => h.slug);
}

/** How one search mode did over (a subset of) the set. */
export interface ModeScore {
  mode: SearchMode;
  n: number;
  recallAt5: number;
  mrr: number;
  /** Share of questions whose first passage is from a relevant article. */
  hitAt1: number;
  misses: { question: string; relevant: string[]; got: string[] }[];
}

/** Scores per mode over the whole set, and over the `fresh` batch alone. */
export interface RetrievalResult {
  all: ModeScore[];
  fresh: ModeScore[];
}

/** Scores every mode over the set on one database. */
export async function evaluateRetrieval(deps: { db: Db; embedder: Embedder }, items: readonly RetrievalItem[]): Promise<RetrievalResult> {
  const all: ModeScore[] = [];
  const fresh: ModeScore[] = [];
  for (const mode of MODES) {
    const rows: { item: RetrievalItem; recall: number; rr: number; hit1: number; top: string[] }[] = [];
    for (const item of items) {
      const ranking = await rankedArticles(deps, item.question, mode);
      const relevant = new Set(item.relevant);
      rows.push({
        item,
        recall: recallAtK(ranking, relevant, K),
        rr: reciprocalRank(ranking, relevant),
        hit1: relevant.has(ranking[0] ?? '') ? 1 : 0,
        top: [...new Set(ranking.slice(0, K))],
      });
    }
    const score = (subset: typeof rows): ModeScore => ({
      mode,
      n: subset.length,
      recallAt5: mean(subset.map((r) => r.recall)),
      mrr: mean(subset.map((r) => r.rr)),
      hitAt1: mean(subset.map((r) => r.hit1)),
      misses: subset.filter((r) => r.recall === 0).map((r) => ({ question: r.item.question, relevant: r.item.relevant, got: r.top })),
    });
    all.push(score(rows));
    fresh.push(score(rows.filter((r) => r.item.batch === 'fresh')));
  }
  return { all, fresh };
}

/** The answer-level check of one question. */
export interface AnswerCheck {
  question: string;
  relevant: string[];
  agent: string | null;
  cited: string[];
}

/** Asks each question through the real chat endpoint (a fresh anonymous conversation) and records what was cited. */
export async function checkAnswers(app: FastifyInstance, items: readonly RetrievalItem[]): Promise<AnswerCheck[]> {
  const out: AnswerCheck[] = [];
  for (const item of items) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: item.question } });
    if (res.statusCode !== 200) throw new Error(`chat failed for "${item.question}": ${res.statusCode} ${res.body}`);
    const a = res.json().assistant_message as { agent: string | null; citations: { slug: string }[] } | null;
    out.push({ question: item.question, relevant: item.relevant, agent: a?.agent ?? null, cited: (a?.citations ?? []).map((c) => c.slug) });
  }
  return out;
}

/** Summary rates of the answer checks. */
export function answerRates(checks: readonly AnswerCheck[]): { n: number; routedToFaq: number; cited: number; firstRelevant: number; allRelevant: number } {
  const n = checks.length;
  const share = (f: (c: AnswerCheck) => boolean) => checks.filter(f).length / n;
  return {
    n,
    routedToFaq: share((c) => c.agent === 'faq'),
    cited: share((c) => c.cited.length > 0),
    firstRelevant: share((c) => c.cited.length > 0 && c.relevant.includes(c.cited[0]!)),
    allRelevant: share((c) => c.cited.length > 0 && c.cited.every((s) => c.relevant.includes(s))),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function scoreRows(result: RetrievalResult): string[][] {
  return result.all.map((s, i) => {
    const f = result.fresh[i]!;
    return [s.mode, pct(s.recallAt5), s.mrr.toFixed(3), pct(s.hitAt1), `${pct(f.recallAt5)} / ${f.mrr.toFixed(3)}`];
  });
}

const scoreHeader = (result: RetrievalResult) => ['search', 'recall@5', `MRR@${DEPTH}`, 'first passage relevant', `fresh batch only (n=${result.fresh[0]?.n ?? 0}): recall@5 / MRR`];

/** Terminal tables for one database. */
export function retrievalText(driver: string, result: RetrievalResult, checks?: readonly AnswerCheck[]): string {
  const parts = [plainTable(`retrieval on ${driver}, ${result.all[0]?.n ?? 0} questions (passages: top ${K})`, scoreHeader(result), scoreRows(result))];
  if (checks) {
    const r = answerRates(checks);
    parts.push(
      `FAQ answers (${r.n} questions through POST /api/v1/chat): routed to faq ${pct(r.routedToFaq)}, cited ${pct(r.cited)}, first citation relevant ${pct(r.firstRelevant)}, all citations relevant ${pct(r.allRelevant)}`,
    );
  }
  return parts.join('\n\n');
}

/** Markdown for docs/evaluation.md. */
export function retrievalMarkdown(results: readonly { driver: string; result: RetrievalResult }[], checks: readonly AnswerCheck[] | undefined, maxMisses = 20): string {
  const parts = results.map((r) => `On ${r.driver} (${r.result.all[0]?.n ?? 0} questions):\n\n${markdownTable(scoreHeader(r.result), scoreRows(r.result))}`);
  const hybrid = results[0]?.result.all.find((s) => s.mode === 'hybrid');
  if (hybrid && hybrid.misses.length > 0) {
    parts.push(
      `<details><summary>${hybrid.misses.length} questions where hybrid search found no relevant article in the top ${K}${hybrid.misses.length > maxMisses ? ` (first ${maxMisses})` : ''}</summary>\n\n${markdownTable(
        ['question', 'relevant', 'top 5 articles'],
        hybrid.misses.slice(0, maxMisses).map((m) => [m.question, m.relevant.join(', '), m.got.join(', ')]),
      )}\n\n</details>`,
    );
  }
  if (checks) {
    const r = answerRates(checks);
    const wrong = checks.filter((c) => !(c.cited.length > 0 && c.relevant.includes(c.cited[0]!)));
    parts.push(
      `Answer-level check (${r.n} questions marked \`answer_check\`, asked through \`POST /api/v1/chat\` as new anonymous conversations): routed to the FAQ agent **${pct(r.routedToFaq)}**, answered with a citation **${pct(r.cited)}**, first cited article relevant **${pct(r.firstRelevant)}**, every cited article relevant **${pct(r.allRelevant)}**.`,
    );
    if (wrong.length > 0) {
      parts.push(
        `<details><summary>${wrong.length} answers whose first citation is not relevant</summary>\n\n${markdownTable(
          ['question', 'agent', 'relevant', 'cited'],
          wrong.map((c) => [c.question, c.agent ?? '–', c.relevant.join(', '), c.cited.join(', ') || '(none)']),
        )}\n\n</details>`,
      );
    }
  }
  return parts.join('\n\n');
}
