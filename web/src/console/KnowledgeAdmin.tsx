import { type ChangeEvent, type FormEvent, useCallback, useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import { renderMarkdown } from '../lib/markdown';

/** A knowledge document as GET /knowledge gives it. */
interface KnowledgeDoc {
  id: string;
  slug: string;
  title: string;
  category: string;
  content: string;
  is_active: boolean;
  ingest_status: 'pending' | 'ready' | 'failed';
  ingest_error: string | null;
  ingested_at: string | null;
  chunks: number | null;
  last_embedded: number | null;
  source_type: 'manual' | 'file' | 'url';
  source_name: string | null;
  source_url: string | null;
  synced_at: string | null;
  updated_at: string;
}

interface Draft {
  id: string | null;
  title: string;
  category: string;
  slug: string;
  content: string;
  is_active: boolean;
}

const NEW: Draft = { id: null, title: '', category: '', slug: '', content: '', is_active: true };
const ACCEPT = '.md,.markdown,.html,.htm,.txt,.pdf';

const message = (err: unknown, fallback: string) => (err instanceof ApiError ? err.message : fallback);

/** Where a document's ingestion stands, in words. */
function ingestLabel(d: KnowledgeDoc): string {
  if (d.ingest_status === 'pending') return 'Ingesting…';
  if (d.ingest_status === 'failed') return `Failed: ${d.ingest_error ?? 'unknown error'}`;
  const passages = `${d.chunks ?? 0} ${d.chunks === 1 ? 'passage' : 'passages'}`;
  return d.last_embedded === null ? `Ready · ${passages}` : `Ready · ${passages}, ${d.last_embedded} embedded`;
}

function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** The knowledge base for administrators: list and search, write with a preview, import, re-sync. */
export function KnowledgeAdmin(props: { api: ApiClient }) {
  const { api } = props;
  const [items, setItems] = useState<KnowledgeDoc[] | null>(null);
  const [q, setQ] = useState('');
  const [inactive, setInactive] = useState(true);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [category, setCategory] = useState('imported');
  const [url, setUrl] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const query = new URLSearchParams({ limit: '100', include_inactive: String(inactive) });
    if (q.trim()) query.set('q', q.trim());
    try {
      setItems((await api.request<{ items: KnowledgeDoc[] }>(`/knowledge?${query}`)).items);
    } catch (err) {
      setError(message(err, 'Could not load the knowledge base'));
    }
  }, [api, q, inactive]);

  useEffect(() => {
    const t = setTimeout(() => void load(), 200);
    return () => clearTimeout(t);
  }, [load]);

  // While a document is being ingested, its status is polled.
  const pending = items?.some((d) => d.ingest_status === 'pending') ?? false;
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => void load(), 1000);
    return () => clearInterval(t);
  }, [pending, load]);

  const run = async (what: () => Promise<string | null>, fallback: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await what());
      await load();
    } catch (err) {
      setError(message(err, fallback));
    } finally {
      setBusy(false);
    }
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const body = { title: draft.title, category: draft.category, content: draft.content, is_active: draft.is_active, ...(draft.slug ? { slug: draft.slug } : {}) };
    void run(async () => {
      const doc = await api.request<KnowledgeDoc>(draft.id ? `/knowledge/${draft.id}` : '/knowledge', { method: draft.id ? 'PUT' : 'POST', body });
      setDraft(null);
      return `Saved “${doc.title}”`;
    }, 'Could not save the article');
  };

  const setActive = (d: KnowledgeDoc, active: boolean) =>
    void run(async () => {
      await api.request(`/knowledge/${d.id}`, { method: 'PUT', body: { title: d.title, category: d.category, content: d.content, slug: d.slug, is_active: active } });
      return `${active ? 'Activated' : 'Deactivated'} “${d.title}”`;
    }, 'Could not change the article');

  const remove = (d: KnowledgeDoc) => {
    if (!confirm(`Delete “${d.title}” and its passages?`)) return;
    void run(async () => {
      await api.request(`/knowledge/${d.id}`, { method: 'DELETE' });
      return `Deleted “${d.title}”`;
    }, 'Could not delete the article');
  };

  const resync = (d: KnowledgeDoc) =>
    void run(async () => {
      const r = await api.request<{ changed: boolean }>(`/knowledge/${d.id}/sync`, { method: 'POST' });
      return r.changed ? `“${d.title}” changed: re-ingesting the passages that changed` : `“${d.title}” is unchanged`;
    }, 'Could not re-sync the page');

  const importFiles = (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    if (files.length === 0) return;
    void run(async () => {
      const names: string[] = [];
      for (const file of files) {
        const r = await api.request<{ document: KnowledgeDoc }>('/knowledge/import', { method: 'POST', body: { filename: file.name, content_base64: await fileToBase64(file), category } });
        names.push(`“${r.document.title}”`);
      }
      return `Imported ${names.join(', ')}`;
    }, 'Could not import the file');
  };

  const importUrl = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.request<{ document: KnowledgeDoc }>('/knowledge/import-url', { method: 'POST', body: { url: url.trim(), category } });
      setUrl('');
      return `Imported “${r.document.title}” from the page`;
    }, 'Could not import the page');
  };

  const field = (k: 'title' | 'category' | 'slug' | 'content') => (e: { target: { value: string } }) => setDraft((d) => (d ? { ...d, [k]: e.target.value } : d));

  return (
    <section className="tickets knowledge-admin" aria-labelledby="kb-title">
      <header className="pane-header">
        <div>
          <h2 id="kb-title">Knowledge base</h2>
          <p className="pane-sub">What the FAQ agent answers from. Every change is chunked and embedded again; only changed passages are re-embedded.</p>
        </div>
        <div className="pane-actions">
          <button type="button" className="btn btn-primary" onClick={() => setDraft({ ...NEW })}>
            New article
          </button>
        </div>
      </header>
      <div className="kb-tools">
        <label className="inline-field">
          Category for imports
          <input value={category} onChange={(e) => setCategory(e.target.value)} maxLength={60} size={12} />
        </label>
        <label className="btn btn-secondary kb-file">
          Import files…
          <input type="file" accept={ACCEPT} multiple onChange={importFiles} aria-label="Import files (.md, .html, .txt, .pdf)" />
        </label>
        <form className="kb-url" onSubmit={importUrl} aria-label="Import from a web page">
          <label className="visually-hidden" htmlFor="kb-url">
            Page address
          </label>
          <input id="kb-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://help.example.com/article" required />
          <button type="submit" className="btn btn-secondary" disabled={busy || !url.trim()}>
            Import page
          </button>
        </form>
      </div>
      {(notice || error) && (
        <p className={error ? 'form-error pad' : 'kb-notice pad'} role={error ? 'alert' : 'status'}>
          {error ?? notice}
        </p>
      )}
      {draft && (
        <form className="kb-editor" onSubmit={save} aria-label={draft.id ? 'Edit article' : 'New article'}>
          <div className="kb-editor-fields">
            <label>
              Title
              <input value={draft.title} onChange={field('title')} required minLength={2} maxLength={200} />
            </label>
            <label>
              Category
              <input value={draft.category} onChange={field('category')} required minLength={2} maxLength={60} />
            </label>
            <label>
              Slug
              <input value={draft.slug} onChange={field('slug')} placeholder="from the title" maxLength={120} />
            </label>
            <label className="kb-check">
              <input type="checkbox" checked={draft.is_active} onChange={(e) => setDraft({ ...draft, is_active: e.target.checked })} /> Active
            </label>
          </div>
          <div className="kb-editor-panes">
            <label>
              Markdown
              <textarea value={draft.content} onChange={field('content')} required minLength={10} rows={16} spellCheck />
            </label>
            <div className="kb-preview-wrap">
              <span className="kb-preview-label">Preview</span>
              <section className="kb-preview markdown" aria-label="Preview" dangerouslySetInnerHTML={{ __html: renderMarkdown(draft.content) }} />
            </div>
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {draft.id ? 'Save' : 'Add article'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <div className="kb-filter">
        <label className="visually-hidden" htmlFor="kb-q">
          Search articles
        </label>
        <input id="kb-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Search titles, slugs and text" />
        <label className="kb-check">
          <input type="checkbox" checked={inactive} onChange={(e) => setInactive(e.target.checked)} /> Show inactive
        </label>
        <span className="muted small">{items ? `${items.length} ${items.length === 1 ? 'article' : 'articles'}` : 'Loading…'}</span>
      </div>
      <div className="table-wrap">
        <table aria-label="Articles">
          <thead>
            <tr>
              <th scope="col">Article</th>
              <th scope="col">Source</th>
              <th scope="col">Ingestion</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(items ?? []).map((d) => (
              <tr key={d.id} data-slug={d.slug} className={d.is_active ? undefined : 'kb-inactive'}>
                <td>
                  <span className="ticket-subject">{d.title}</span>
                  <span className="muted small">
                    /{d.slug} · {d.category}
                    {d.is_active ? '' : ' · inactive'}
                  </span>
                </td>
                <td className="kb-source">
                  {d.source_type === 'manual' ? (
                    <span className="muted">Written here</span>
                  ) : d.source_type === 'file' ? (
                    <span>File {d.source_name}</span>
                  ) : (
                    <span title={d.source_url ?? undefined}>Page {d.source_url}</span>
                  )}
                </td>
                <td>
                  <span className={`status-badge ingest-${d.ingest_status}`} data-testid="ingest-status">
                    {ingestLabel(d)}
                  </span>
                </td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    onClick={() => setDraft({ id: d.id, title: d.title, category: d.category, slug: d.slug, content: d.content, is_active: d.is_active })}
                  >
                    Edit
                  </button>
                  {d.source_url && (
                    <button type="button" className="btn btn-ghost btn-sm" disabled={busy} onClick={() => resync(d)}>
                      Re-sync
                    </button>
                  )}
                  <button type="button" className="btn btn-ghost btn-sm" disabled={busy} onClick={() => setActive(d, !d.is_active)}>
                    {d.is_active ? 'Deactivate' : 'Activate'}
                  </button>
                  <button type="button" className="btn btn-ghost btn-sm" disabled={busy} onClick={() => remove(d)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {items?.length === 0 && (
              <tr>
                <td colSpan={4} className="muted center">
                  No articles match
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
