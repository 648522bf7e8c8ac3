/**
 * StackFAQ (Karan & Šnajder 2018): 125 threads of webapps.stackexchange.com (Gmail, Google Docs,
 * Facebook, Dropbox, GitHub …), each with its question, its top answers and about ten paraphrases
 * of the question written by the data set's authors. Here each thread is a foreign help-center
 * article (title: the question; content: the answers) and its paraphrases are the questions
 * customers ask about it. Evaluation only: nothing trains on it.
 */
import { normalise } from './load.js';
import { readSnapshotText } from './snapshots.js';

const REPO = 'ML-Recipes/BERT-FAQ';
const FILE = 'data/StackFAQ/stackExchange-FAQ.json';

/** One foreign article, in the shape POST /api/v1/knowledge takes. */
export interface ForeignArticle {
  slug: string;
  title: string;
  category: string;
  content: string;
}

/** A paraphrased question with the slug of the article that answers it. */
export interface ForeignQuestion {
  question: string;
  slug: string;
}

interface Thread {
  rephr: (string | null)[] | string | null;
  question: string;
  answer: string[] | string;
}

const list = <T>(x: T[] | T | null | undefined): T[] => (x === null || x === undefined ? [] : Array.isArray(x) ? x : [x]);

/**
 * Articles and questions from the thread data. A paraphrase is left out when it is a placeholder
 * (`*`), repeats the article's title, or is copied from the article's text: those would test string
 * matching, not retrieval.
 */
export function stackFaqFromThreads(threads: readonly Thread[]): { articles: ForeignArticle[]; questions: ForeignQuestion[] } {
  const articles: ForeignArticle[] = [];
  const questions: ForeignQuestion[] = [];
  threads.forEach((t, i) => {
    const slug = `stackfaq-${String(i + 1).padStart(3, '0')}`;
    const title = t.question.replace(/\s*\[(closed|duplicate)\]\s*$/i, '').trim();
    const content = list(t.answer)
      .map((a) => a.trim())
      .filter(Boolean)
      .join('\n\n');
    articles.push({ slug, title, category: 'web-apps', content });
    const body = normalise(`${title} ${content}`);
    const seen = new Set<string>();
    for (const r of list(t.rephr)) {
      const q = (r ?? '').trim();
      const key = normalise(q);
      if (q.length < 4 || q === '*' || key === normalise(title) || body.includes(key) || seen.has(key)) continue;
      seen.add(key);
      questions.push({ question: q, slug });
    }
  });
  return { articles, questions };
}

/** StackFAQ from its repository's snapshot (throws MissingData when absent). */
export function loadStackFaq(): { articles: ForeignArticle[]; questions: ForeignQuestion[] } {
  const data = JSON.parse(readSnapshotText(REPO, FILE)) as { root: { qapair: Thread[] } };
  return stackFaqFromThreads(data.root.qapair);
}
