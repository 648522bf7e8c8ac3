import { useCallback, useEffect, useState } from 'react';
import { ApiClient, ApiError } from '../lib/api';
import { formatTime, reasonLabel } from '../lib/format';
import type { Page, Ticket } from '../lib/types';

const STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;

/** Support tickets, newest first, filtered by status, paged by cursor. */
export function TicketsTable(props: { api: ApiClient; onOpenConversation: (id: string) => void }) {
  const [status, setStatus] = useState<(typeof STATUSES)[number] | ''>('open');
  const [items, setItems] = useState<Ticket[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const q = new URLSearchParams({ limit: '25', ...(status ? { status } : {}), ...(after ? { cursor: after } : {}) });
        const page = await props.api.request<Page<Ticket>>(`/tickets?${q}`);
        setItems((cur) => (after ? [...cur, ...page.items] : page.items));
        setCursor(page.next_cursor);
      } catch (err) {
        setError(err instanceof ApiError ? err.message : 'Could not load tickets');
      } finally {
        setLoading(false);
      }
    },
    [props.api, status],
  );
  useEffect(() => void load(null), [load]);

  return (
    <section className="tickets" aria-labelledby="tickets-title">
      <header className="pane-header">
        <h2 id="tickets-title">Tickets</h2>
        <label className="inline-field">
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </header>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Subject</th>
              <th scope="col">Reason</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
              <th scope="col">Opened</th>
              <th scope="col">
                <span className="visually-hidden">Conversation</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id}>
                <td className="mono">{t.ticket_number}</td>
                <td>
                  <span className="ticket-subject">{t.subject}</span>
                  <span className="ticket-summary">{t.summary}</span>
                </td>
                <td>{reasonLabel(t.reason)}</td>
                <td>
                  <span className={`prio prio-${t.priority}`}>{t.priority}</span>
                </td>
                <td>
                  <span className={`status-badge ticket-${t.status}`}>{t.status}</span>
                </td>
                <td className="nowrap">{formatTime(t.created_at)}</td>
                <td>
                  {t.conversation_id && (
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => props.onOpenConversation(t.conversation_id!)}>
                      Open chat
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {!items.length && !loading && (
              <tr>
                <td colSpan={7} className="muted center">
                  No tickets
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {cursor && (
        <button type="button" className="btn btn-ghost load-more" onClick={() => void load(cursor)} disabled={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
