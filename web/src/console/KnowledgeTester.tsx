import { type FormEvent, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';

/** One passage of GET /knowledge/search. */
interface SearchHit {
  document_id: string;
  slug: string;
  title: string;
  category: string;
  chunk_id: string;
  heading: string;
  chunk: string;
  score: number;
  similarity: number | null;
  text_rank: number | null;
}

interface SearchResult {
  query: string;
  searched_for: string;
  items: SearchHit[];
}

/** "Test a question": the passages the FAQ agent's search returns for a question, with their scores. */
export function KnowledgeTester(props: { api: ApiClient }) {
  const [q, setQ] = useState('');
  const [limit, setLimit] = useState('5');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (q.trim().length < 2) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await props.api.request<SearchResult>(`/knowledge/search?${new URLSearchParams({ q: q.trim(), limit })}`));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not search the knowledge base');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="tickets knowledge-tester" aria-labelledby="tester-title">
      <header className="pane-header">
        <div>
          <h2 id="tester-title">Test a question</h2>
          <p className="pane-sub">The passages the FAQ agent gets for a question, in its order, with their scores.</p>
        </div>
      </header>
      <form className="tester-form" aria-label="Test a question" onSubmit={(e) => void submit(e)}>
        <label className="visually-hidden" htmlFor="tester-q">
          Question
        </label>
        <input id="tester-q" type="search" value={q} placeholder="How long does shipping to Canada take?" maxLength={8000} onChange={(e) => setQ(e.target.value)} />
        <label className="inline-field">
          Passages
          <select value={limit} onChange={(e) => setLimit(e.target.value)}>
            {['3', '5', '8', '10'].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || q.trim().length < 2}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      {error && (
        <p className="form-error pad" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="tester-results">
          {result.searched_for !== result.query && (
            <p className="muted small">
              Long question: searched for <q>{result.searched_for}</q>
            </p>
          )}
          {result.items.length === 0 ? (
            <p className="muted">The knowledge base has nothing for this question.</p>
          ) : (
            <ol className="passages" aria-label="Passages found">
              {result.items.map((h) => (
                <li key={h.chunk_id} className="passage" data-slug={h.slug}>
                  <div className="passage-head">
                    <strong>{h.title}</strong>
                    {h.heading && h.heading !== h.title && <span className="muted"> › {h.heading}</span>}
                    <span className="passage-score" title="reciprocal-rank-fusion score">
                      score {h.score.toFixed(4)}
                    </span>
                  </div>
                  <p className="passage-text">{h.chunk}</p>
                  <span className="muted small">
                    /{h.slug} · {h.category} · cosine {h.similarity === null ? '—' : h.similarity.toFixed(3)} · text rank {h.text_rank === null ? '—' : h.text_rank.toFixed(3)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
