import { type FormEvent, useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import { formatTime } from '../lib/format';
import type { Page } from '../lib/types';
import type { Note } from './desk-types';

/** A conversation's private notes for colleagues: listed oldest first, added from a small form. Never shown to the customer. */
export function NotesPanel(props: { api: ApiClient; conversationId: string }) {
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setNotes(null);
    props.api
      .request<Page<Note>>(`/conversations/${props.conversationId}/notes?limit=100`)
      .then((p) => live && setNotes(p.items))
      .catch((err) => {
        if (!live) return;
        setNotes([]);
        setError(err instanceof ApiError ? err.message : 'Could not load the notes');
      });
    return () => {
      live = false;
    };
  }, [props.api, props.conversationId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    setBusy(true);
    setError(null);
    try {
      const note = await props.api.request<Note>(`/conversations/${props.conversationId}/notes`, { body: { body } });
      setNotes((cur) => [...(cur ?? []), note]);
      setText('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save the note');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="side-section notes" aria-labelledby="notes-title">
      <h3 id="notes-title">
        Private notes <span className="muted small">only staff see these</span>
      </h3>
      {notes === null ? (
        <p className="muted small">Loading…</p>
      ) : notes.length === 0 ? (
        <p className="muted small">No notes yet.</p>
      ) : (
        <ul className="note-list" aria-label="Private notes">
          {notes.map((n) => (
            <li key={n.id} className="note">
              <p className="note-body">{n.body}</p>
              <span className="note-meta">
                {n.author_name ?? 'Former staff member'} · {formatTime(n.created_at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form className="note-form" onSubmit={(e) => void submit(e)}>
        <label className="visually-hidden" htmlFor="note-input">
          Add a private note
        </label>
        <textarea id="note-input" rows={2} maxLength={8000} value={text} placeholder="Add a private note for colleagues…" onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="btn btn-secondary btn-sm" disabled={busy || !text.trim()}>
          Add note
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
