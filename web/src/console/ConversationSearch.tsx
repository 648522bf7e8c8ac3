import { useCallback, useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import { formatTime } from '../lib/format';
import type { Page, User } from '../lib/types';
import type { StaffConversation, StaffMember } from './desk-types';
import { type FilterValues, listQuery } from './filters';

// The router's routes (src/llm/offline/routes.ts; web imports only the wire contract from src/).
const ROUTES = ['faq', 'account', 'escalation', 'smalltalk', 'out_of_scope'] as const;
const STATUSES = [
  ['', 'any status'],
  ['active', 'AI answering'],
  ['waiting_human', 'waiting'],
  ['human', 'held'],
  ['resolved', 'resolved'],
  ['closed', 'closed'],
] as const;

/** Every conversation, searchable and filtered (status, route, assignee, customer words, days), paged by cursor. */
export function ConversationSearch(props: { api: ApiClient; me: User; members: StaffMember[]; selected: string | null; onOpen: (id: string) => void }) {
  const [filters, setFilters] = useState<FilterValues>({ q: '', status: '', route: '', assigned_to: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [items, setItems] = useState<StaffConversation[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (after: string | null) => {
      setError(null);
      try {
        const page = await props.api.request<Page<StaffConversation>>(`/staff/conversations?${listQuery(applied, 30, after)}`);
        setItems((cur) => (after ? [...(cur ?? []), ...page.items] : page.items));
        setCursor(page.next_cursor);
      } catch (err) {
        setItems((cur) => cur ?? []);
        setError(err instanceof ApiError ? err.message : 'Could not load conversations');
      }
    },
    [props.api, applied],
  );
  useEffect(() => void load(null), [load]);
  // Selects apply at once; the words apply after a short pause in typing.
  useEffect(() => {
    const t = setTimeout(() => setApplied(filters), 300);
    return () => clearTimeout(t);
  }, [filters]);
  const set = (k: string) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="search-panel">
      <form
        className="filters"
        aria-label="Search conversations"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <input type="search" aria-label="Search by subject, customer name or email" placeholder="Search customer or subject…" value={filters.q} onChange={set('q')} />
        <div className="filter-row">
          <select aria-label="Conversation status" value={filters.status} onChange={set('status')}>
            {STATUSES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
          <select aria-label="Route" value={filters.route} onChange={set('route')}>
            <option value="">any route</option>
            {ROUTES.map((r) => (
              <option key={r} value={r}>
                {r.replace('_', ' ')}
              </option>
            ))}
          </select>
          <select aria-label="Assignee" value={filters.assigned_to} onChange={set('assigned_to')}>
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
        </div>
        <div className="filter-row">
          <label className="date-field">
            From <input type="date" value={filters.from} onChange={set('from')} />
          </label>
          <label className="date-field">
            To <input type="date" value={filters.to} onChange={set('to')} />
          </label>
        </div>
      </form>
      {error && (
        <p className="form-error pad" role="alert">
          {error}
        </p>
      )}
      {items === null ? (
        <p className="muted pad">Loading…</p>
      ) : items.length === 0 ? (
        <div className="empty-state">
          <strong>No conversations match</strong>
          <span>Change the filters or the words.</span>
        </div>
      ) : (
        <ul className="queue" aria-label="Conversations found">
          {items.map((c) => (
            <li key={c.id}>
              <button type="button" className={`queue-item${props.selected === c.id ? ' selected' : ''}`} data-conversation-id={c.id} onClick={() => props.onOpen(c.id)}>
                <span className="queue-top">
                  <span className="queue-subject">{c.subject ?? c.customer_name ?? 'Conversation'}</span>
                  <span className="queue-age">{formatTime(c.created_at)}</span>
                </span>
                <span className="queue-bottom">
                  <span className={`status-badge status-${c.status}`}>{c.status.replace('_', ' ')}</span>
                  <span className="queue-reason">{c.customer_name ?? 'Visitor'}</span>
                  {c.assignee_name && <span className="queue-reason">· {c.assignee_name}</span>}
                  {c.ticket && <span className={`prio prio-${c.ticket.priority}`}>{c.ticket.ticket_number}</span>}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" className="btn btn-ghost load-more" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </div>
  );
}
