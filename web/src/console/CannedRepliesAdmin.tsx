import { type FormEvent, useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import type { CannedReply } from './desk-types';

const EMPTY = { shortcut: '', title: '', body: '' };

/** Canned replies: everyone on the team sees them; admins add, change and delete them. */
export function CannedRepliesAdmin(props: { api: ApiClient; isAdmin: boolean }) {
  const [items, setItems] = useState<CannedReply[] | null>(null);
  const [placeholders, setPlaceholders] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    props.api
      .request<{ items: CannedReply[]; placeholders: string[] }>('/staff/canned-replies')
      .then((r) => {
        setItems(r.items);
        setPlaceholders(r.placeholders);
      })
      .catch((err) => {
        setItems([]);
        setError(err instanceof ApiError ? err.message : 'Could not load canned replies');
      });
  }, [props.api]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await props.api.request<CannedReply>(editing ? `/staff/canned-replies/${editing}` : '/staff/canned-replies', {
        method: editing ? 'PUT' : 'POST',
        body: form,
      });
      setItems((cur) => [...(cur ?? []).filter((r) => r.id !== saved.id), saved].sort((a, b) => a.shortcut.localeCompare(b.shortcut)));
      setEditing(null);
      setForm(EMPTY);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save the canned reply');
    } finally {
      setBusy(false);
    }
  };

  const remove = async (r: CannedReply) => {
    if (!confirm(`Delete the canned reply /${r.shortcut}?`)) return;
    setError(null);
    try {
      await props.api.request(`/staff/canned-replies/${r.id}`, { method: 'DELETE' });
      setItems((cur) => (cur ?? []).filter((x) => x.id !== r.id));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not delete the canned reply');
    }
  };

  const field = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  return (
    <section className="tickets canned-admin" aria-labelledby="canned-title">
      <header className="pane-header">
        <div>
          <h2 id="canned-title">Canned replies</h2>
          <p className="pane-sub">Type / in a reply box to insert one; placeholders are filled in for the conversation.</p>
        </div>
      </header>
      {error && (
        <p className="form-error pad" role="alert">
          {error}
        </p>
      )}
      <div className="canned-grid">
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Shortcut</th>
                <th scope="col">Reply</th>
                {props.isAdmin && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {(items ?? []).map((r) => (
                <tr key={r.id} data-shortcut={r.shortcut}>
                  <td className="mono">/{r.shortcut}</td>
                  <td>
                    <span className="ticket-subject">{r.title}</span>
                    <span className="canned-body">{r.body}</span>
                  </td>
                  {props.isAdmin && (
                    <td className="nowrap">
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        onClick={() => {
                          setEditing(r.id);
                          setForm({ shortcut: r.shortcut, title: r.title, body: r.body });
                        }}
                      >
                        Edit
                      </button>
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void remove(r)}>
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
              {items?.length === 0 && (
                <tr>
                  <td colSpan={3} className="muted center">
                    No canned replies yet
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {props.isAdmin ? (
          <form className="canned-form" onSubmit={(e) => void save(e)} aria-label={editing ? 'Edit canned reply' : 'New canned reply'}>
            <h3>{editing ? 'Edit canned reply' : 'New canned reply'}</h3>
            <label>
              Shortcut
              <input value={form.shortcut} onChange={field('shortcut')} placeholder="refund-started" required maxLength={40} pattern="[a-z0-9][a-z0-9\-]*" />
            </label>
            <label>
              Title
              <input value={form.title} onChange={field('title')} required maxLength={120} />
            </label>
            <label>
              Text
              <textarea value={form.body} onChange={field('body')} required rows={6} maxLength={8000} />
            </label>
            <p className="muted small">
              Placeholders:{' '}
              {placeholders.map((p) => (
                <code key={p}>{`{{${p}}}`} </code>
              ))}
            </p>
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy}>
                {editing ? 'Save' : 'Add'}
              </button>
              {editing && (
                <button
                  type="button"
                  className="btn btn-ghost"
                  onClick={() => {
                    setEditing(null);
                    setForm(EMPTY);
                  }}
                >
                  Cancel
                </button>
              )}
            </div>
          </form>
        ) : (
          <p className="muted pad">Only admins can add or change canned replies.</p>
        )}
      </div>
    </section>
  );
}
