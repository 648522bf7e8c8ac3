import { useCallback, useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import { formatTime, reasonLabel } from '../lib/format';
import type { Page, Ticket, User } from '../lib/types';
import { PRIORITIES, type StaffMember, TICKET_STATUSES } from './desk-types';
import { type FilterValues, listQuery } from './filters';
import { TicketControls } from './TicketControls';

/** Support tickets, newest first, searched and filtered (status, priority, assignee, days), paged by cursor; status, priority and assignee change in the row. */
export function TicketsTable(props: { api: ApiClient; me: User; members: StaffMember[]; onOpenConversation: (id: string) => void }) {
  const [filters, setFilters] = useState<FilterValues>({ q: '', status: 'open', priority: '', assigned_to: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [items, setItems] = useState<Ticket[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await props.api.request<Page<Ticket>>(`/tickets?${listQuery(applied, 25, after)}`);
        setItems((cur) => (after ? [...cur, ...page.items] : page.items));
        setCursor(page.next_cursor);
      } catch (err) {
        setError(err instanceof ApiError ? err.message : 'Could not load tickets');
      } finally {
        setLoading(false);
      }
    },
    [props.api, applied],
  );
  useEffect(() => void load(null), [load]);
  useEffect(() => {
    const t = setTimeout(() => setApplied(filters), 300);
    return () => clearTimeout(t);
  }, [filters]);
  const set = (k: string) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));
  const replace = (t: Ticket) => setItems((cur) => cur.map((x) => (x.id === t.id ? t : x)));

  return (
    <section className="tickets" aria-labelledby="tickets-title">
      <header className="pane-header">
        <h2 id="tickets-title">Tickets</h2>
        <form
          className="filters inline"
          aria-label="Search tickets"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(filters);
          }}
        >
          <input type="search" aria-label="Search tickets by number, subject or customer" placeholder="Number, subject, customer…" value={filters.q} onChange={set('q')} />
          <label className="inline-field">
            Status
            <select value={filters.status} onChange={set('status')}>
              <option value="">all</option>
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            Priority
            <select value={filters.priority} onChange={set('priority')}>
              <option value="">all</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            Assignee
            <select value={filters.assigned_to} onChange={set('assigned_to')}>
              <option value="">anyone</option>
              <option value={props.me.id}>me</option>
              <option value="none">nobody</option>
              {props.members
                .filter((m) => m.id !== props.me.id)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
            </select>
          </label>
          <label className="inline-field">
            From <input type="date" value={filters.from} onChange={set('from')} />
          </label>
          <label className="inline-field">
            To <input type="date" value={filters.to} onChange={set('to')} />
          </label>
        </form>
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
              <th scope="col">Status, priority, assignee</th>
              <th scope="col">Opened</th>
              <th scope="col">
                <span className="visually-hidden">Conversation</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} data-ticket-number={t.ticket_number}>
                <td className="mono">{t.ticket_number}</td>
                <td>
                  <span className="ticket-subject">{t.subject}</span>
                  <span className="ticket-summary">{t.summary}</span>
                </td>
                <td>{reasonLabel(t.reason)}</td>
                <td>
                  <TicketControls api={props.api} ticket={t} members={props.members} onChanged={replace} compact />
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
                <td colSpan={6} className="muted center">
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
