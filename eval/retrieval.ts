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
  /** The answer's first sentence. */
  lead: string;
  /** Whether the first sentence states the fact the question asks for (null: the item names no fact). */
  leadsWithFact: boolean | null;
}

/**
 * The first sentence of an answer as a customer reads it: up to its first citation marker or the
 * end of its first sentence or line, whichever comes first (a numbered step counts as a sentence).
 */
export function firstSentence(content: string): string {
  const body = content.replace(/\n+\s*Sources:[\s\S]*$/, '').trim();
  const firstLine = (body.split('\n')[0] ?? '').replace(/^\s*(?:\d+\.|[-*])\s+/, '');
  const cut = firstLine.search(/\s\[\d+\]|(?<!\b(?:[ap]\.m|e\.g|i\.e|etc|vs|U\.S)\.)(?<=[.!?])\s+(?=[A-Z"(])/);
  return (cut === -1 ? firstLine : firstLine.slice(0, cut)).trim();
}

/** Whether an answer's first sentence matches the item's fact (a case-insensitive regular expression). */
export function leadsWithFact(content: string, fact: string | undefined): boolean | null {
  if (!fact) return null;
  return new RegExp(fact, 'i').test(firstSentence(content).replace(/\*\*/g, ''));
}

/** Asks each question through the real chat endpoint (a fresh anonymous conversation) and records what was cited and what the answer led with. */
export async function checkAnswers(app: FastifyInstance, items: readonly RetrievalItem[]): Promise<AnswerCheck[]> {
  const out: AnswerCheck[] = [];
  for (const item of items) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: item.question } });
    if (res.statusCode !== 200) throw new Error(`chat failed for "${item.question}": ${res.statusCode} ${res.body}`);
    const a = res.json().assistant_message as { agent: string | null; content: string; citations: { slug: string }[] } | null;
    const content = a?.content ?? '';
    out.push({
      question: item.question,
      relevant: item.relevant,
      agent: a?.agent ?? null,
      cited: (a?.citations ?? []).map((c) => c.slug),
      lead: firstSentence(content),
      leadsWithFact: leadsWithFact(content, item.answer_fact),
    });
  }
  return out;
}

/** Summary rates of the answer checks; leadsWithFact over the items that name a fact, also over those the FAQ agent answered. */
export function answerRates(checks: readonly AnswerCheck[]): {
  n: number;
  routedToFaq: number;
  cited: number;
  firstRelevant: number;
  allRelevant: number;
  leadsWithFact: number;
  leadsWithFactWhenFaq: number;
} {
  const n = checks.length;
  const share = (f: (c: AnswerCheck) => boolean, of: readonly AnswerCheck[] = checks) => (of.length ? of.filter(f).length / of.length : 0);
  const withFact = checks.filter((c) => c.leadsWithFact !== null);
  return {
    n,
    routedToFaq: share((c) => c.agent === 'faq'),
    cited: share((c) => c.cited.length > 0),
    firstRelevant: share((c) => c.cited.length > 0 && c.relevant.includes(c.cited[0]!)),
    allRelevant: share((c) => c.cited.length > 0 && c.cited.every((s) => c.relevant.includes(s))),
    leadsWithFact: share((c) => c.leadsWithFact === true, withFact),
    leadsWithFactWhenFaq: share(
      (c) => c.leadsWithFact === true,
      withFact.filter((c) => c.agent === 'faq'),
    ),
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
      `FAQ answers (${r.n} questions through POST /api/v1/chat): routed to faq ${pct(r.routedToFaq)}, cited ${pct(r.cited)}, first citation relevant ${pct(r.firstRelevant)}, all citations relevant ${pct(r.allRelevant)}; first sentence states the fact ${pct(r.leadsWithFact)} (of those the FAQ agent answered: ${pct(r.leadsWithFactWhenFaq)})`,
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
      `Answer-level check (${r.n} questions marked \`answer_check\`, asked through \`POST /api/v1/chat\` as new anonymous conversations): routed to the FAQ agent **${pct(r.routedToFaq)}**, answered with a citation **${pct(r.cited)}**, first cited article relevant **${pct(r.firstRelevant)}**, every cited article relevant **${pct(r.allRelevant)}**; the first sentence states the fact asked for (\`answer_fact\`) in **${pct(r.leadsWithFact)}** of the answers (**${pct(r.leadsWithFactWhenFaq)}** of those the FAQ agent gave).`,
    );
    const noFact = checks.filter((c) => c.leadsWithFact === false);
    if (noFact.length > 0) {
      parts.push(
        `<details><summary>${noFact.length} answers whose first sentence does not state the fact</summary>\n\n${markdownTable(
          ['question', 'agent', 'first sentence'],
          noFact.map((c) => [c.question, c.agent ?? '–', c.lead.slice(0, 160)]),
        )}\n\n</details>`,
      );
    }
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
