/**
 * Retrieval and answers on foreign articles: a public FAQ set's articles are added through
 * `POST /api/v1/knowledge` as an admin would (beside the demo knowledge base), then its paraphrased
 * questions are searched (the FAQ agent's hybrid search, every question) and asked through
 * `POST /api/v1/chat` (a subsample): is the right article in the top 5, is it cited, and how many
 * questions does the router send away from the FAQ agent?
 */
import { eq } from 'drizzle-orm';
import { markdownTable, plainTable } from '../bench/lib/report.js';
import { supportTickets } from '../src/db/schema.js';
import type { TestApp } from '../test/app.js';
import { mean, recallAtK, reciprocalRank } from './lib/metrics.js';
import { normalise } from './public/load.js';
import type { ForeignArticle, ForeignQuestion } from './public/stackfaq.js';
import { rankedArticles } from './retrieval.js';
import { offlineRouter } from './routing.js';

/** Adds the articles through the knowledge API as the demo admin and waits until every one is searchable. */
export async function ingestThroughApi(t: TestApp, articles: readonly ForeignArticle[]): Promise<void> {
  const token = await t.login('admin@example.com');
  const headers = { authorization: `Bearer ${token}` };
  const ids: string[] = [];
  for (const a of articles) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers, payload: a });
    if (res.statusCode !== 201) throw new Error(`adding ${a.slug} failed: ${res.statusCode} ${res.body}`);
    ids.push(res.json().id as string);
  }
  await t.deps.jobs.idle();
  for (const id of ids) {
    const doc = (await t.app.inject({ method: 'GET', url: `/api/v1/knowledge/${id}`, headers })).json() as { slug: string; ingest_status: string; ingest_error: string | null };
    if (doc.ingest_status !== 'ready') throw new Error(`${doc.slug} is ${doc.ingest_status} after ingestion: ${doc.ingest_error ?? ''}`);
  }
}

/** What happened to one question asked through the chat API. */
export interface ForeignAnswer {
  question: string;
  slug: string;
  agent: string | null;
  route: string | null;
  cited: string[];
  tickets: number;
}

/** The figures of the foreign-article run. */
export interface ForeignRetrievalResult {
  articles: number;
  /** Search over every question. */
  search: { n: number; recallAt5: number; mrr: number; hitAt1: number };
  /** The offline router in-process over every question: share per route. */
  routed: Record<string, number>;
  /** The subsample asked through the chat API. */
  answers: ForeignAnswer[];
  /** Per question of the subsample: whether the right article was in the search's top 5. */
  top5: Map<string, boolean>;
}

/** Picks k questions per article by a stable hash of their text, so the same call always asks the same ones. */
export function questionsPerArticle(questions: readonly ForeignQuestion[], k: number): ForeignQuestion[] {
  const hash = (s: string) => [...normalise(s)].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
  const bySlug = new Map<string, ForeignQuestion[]>();
  for (const q of questions) bySlug.set(q.slug, [...(bySlug.get(q.slug) ?? []), q]);
  return [...bySlug.values()].flatMap((qs) => [...qs].sort((a, b) => hash(a.question) - hash(b.question)).slice(0, k));
}

/** Runs search on every question, the router on every question, and the chat API on `perArticle` questions per article. */
export async function evaluateForeignArticles(t: TestApp, data: { articles: ForeignArticle[]; questions: ForeignQuestion[] }, perArticle: number): Promise<ForeignRetrievalResult> {
  await ingestThroughApi(t, data.articles);
  const rows: { q: ForeignQuestion; recall: number; rr: number; hit1: number }[] = [];
  const top5 = new Map<string, boolean>();
  for (const q of data.questions) {
    const ranking = await rankedArticles(t.deps, q.question, 'hybrid');
    const relevant = new Set([q.slug]);
    const recall = recallAtK(ranking, relevant, 5);
    rows.push({ q, recall, rr: reciprocalRank(ranking, relevant), hit1: ranking[0] === q.slug ? 1 : 0 });
    top5.set(q.question, recall > 0);
  }
  const router = offlineRouter(t.deps);
  const routed: Record<string, number> = {};
  for (const q of data.questions) {
    const d = await router(q.question);
    const key = d.clarify ? 'clarify' : d.route;
    routed[key] = (routed[key] ?? 0) + 1 / data.questions.length;
  }
  const answers: ForeignAnswer[] = [];
  for (const q of questionsPerArticle(data.questions, perArticle)) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: q.question } });
    if (res.statusCode !== 200) throw new Error(`chat failed for ${JSON.stringify(q.question)}: ${res.statusCode} ${res.body}`);
    const body = res.json() as { conversation_id: string; assistant_message: { agent: string | null; route: string | null; citations: { slug: string }[] } | null };
    const tickets = await t.deps.db.select({ id: supportTickets.id }).from(supportTickets).where(eq(supportTickets.conversationId, body.conversation_id));
    const a = body.assistant_message;
    answers.push({ question: q.question, slug: q.slug, agent: a?.agent ?? null, route: a?.route ?? null, cited: (a?.citations ?? []).map((c) => c.slug), tickets: tickets.length });
  }
  return {
    articles: data.articles.length,
    search: { n: rows.length, recallAt5: mean(rows.map((r) => r.recall)), mrr: mean(rows.map((r) => r.rr)), hitAt1: mean(rows.map((r) => r.hit1)) },
    routed,
    answers,
    top5,
  };
}

/** Rates of the chat answers: cited right, routed away from FAQ (and where to), tickets. */
export function foreignAnswerRates(r: Pick<ForeignRetrievalResult, 'answers' | 'top5'>) {
  const a = r.answers;
  const n = a.length;
  const share = (xs: readonly ForeignAnswer[], f: (x: ForeignAnswer) => boolean) => (xs.length === 0 ? Number.NaN : xs.filter(f).length / xs.length);
  const toFaq = a.filter((x) => x.agent === 'faq');
  const away: Record<string, number> = {};
  for (const x of a.filter((y) => y.agent !== 'faq')) away[x.route ?? 'none'] = (away[x.route ?? 'none'] ?? 0) + 1 / n;
  return {
    n,
    citedRight: share(a, (x) => x.cited.includes(x.slug)),
    firstCitedRight: share(a, (x) => x.cited[0] === x.slug),
    routedAway: share(a, (x) => x.agent !== 'faq'),
    away,
    ticketRate: share(a, (x) => x.tickets > 0),
    /** Among the questions the router gave the FAQ agent: the right article in the search's top 5, and cited. */
    faqTop5: share(toFaq, (x) => r.top5.get(x.question) === true),
    faqCitedRight: share(toFaq, (x) => x.cited.includes(x.slug)),
    toFaq: toFaq.length,
  };
}

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)}%`);
const routeShares = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ') || '–';

function figureRows(r: ForeignRetrievalResult): string[][] {
  const f = foreignAnswerRates(r);
  return [
    ['search: right article in the top 5 (recall@5), every question', `${pct(r.search.recallAt5)} of ${r.search.n}`],
    ['search: MRR@20 / right article first', `${r.search.mrr.toFixed(3)} / ${pct(r.search.hitAt1)}`],
    ['router in-process, every question: routes', routeShares(r.routed)],
    [`chat (${f.n} questions): right article cited`, pct(f.citedRight)],
    ['chat: right article cited first', pct(f.firstCitedRight)],
    ['chat: routed away from the FAQ agent', `${pct(f.routedAway)} (${routeShares(f.away)})`],
    ['chat: opened a ticket', pct(f.ticketRate)],
    [`chat, the ${f.toFaq} routed to the FAQ agent: right article in the search's top 5 / cited`, `${pct(f.faqTop5)} / ${pct(f.faqCitedRight)}`],
  ];
}

/** Terminal table of the run. */
export function foreignText(r: ForeignRetrievalResult): string {
  return plainTable(`foreign articles: ${r.articles} StackFAQ articles added through POST /api/v1/knowledge beside the demo knowledge base`, ['figure', 'value'], figureRows(r));
}

/** Markdown for docs/evaluation.md. */
export function foreignMarkdown(r: ForeignRetrievalResult, machine: string, perArticle: number, maxRows = 20): string {
  const missed = r.answers.filter((a) => !a.cited.includes(a.slug));
  return [
    '## Retrieval on foreign articles',
    `The ${r.articles} articles of StackFAQ (threads of webapps.stackexchange.com: Gmail, Google Docs, Facebook, Dropbox …; title = the thread's question, content = its top answers) are added through \`POST /api/v1/knowledge\` as the demo admin, beside the demo knowledge base, and ingested by the app's own job. Their ${r.search.n} paraphrased questions (written by the data set's authors; those copied from an article are left out) are searched with the FAQ agent's hybrid search, routed by the offline router in-process, and ${perArticle} per article are asked through \`POST /api/v1/chat\` as new anonymous conversations. ${machine}.`,
    markdownTable(['figure', 'value'], figureRows(r)),
    missed.length
      ? `<details><summary>${missed.length} chat answers that do not cite the right article (first ${Math.min(maxRows, missed.length)})</summary>\n\n${markdownTable(
          ['question', 'article', 'agent', 'route', 'cited'],
          missed.slice(0, maxRows).map((a) => [a.question, a.slug, a.agent ?? '–', a.route ?? '–', a.cited.join(', ') || '(none)']),
        )}\n\n</details>`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
