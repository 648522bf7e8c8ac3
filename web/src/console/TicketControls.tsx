import { useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import type { Ticket } from '../lib/types';
import { PRIORITIES, type StaffMember, TICKET_STATUSES } from './desk-types';

type Editable = Pick<Ticket, 'id' | 'ticket_number' | 'status' | 'priority' | 'assigned_to'>;

/** Status, priority and assignee of a ticket as three selects; each change is a PATCH /tickets/:id. */
export function TicketControls(props: { api: ApiClient; ticket: Editable; members: StaffMember[]; onChanged: (t: Ticket) => void; compact?: boolean }) {
  const { ticket } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async (patch: Partial<Pick<Ticket, 'status' | 'priority' | 'assigned_to'>>) => {
    setBusy(true);
    setError(null);
    try {
      props.onChanged(await props.api.request<Ticket>(`/tickets/${ticket.id}`, { method: 'PATCH', body: patch }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not change the ticket');
    } finally {
      setBusy(false);
    }
  };
  const label = (what: string) => `${what} of ${ticket.ticket_number}`;
  return (
    <div className={`ticket-controls${props.compact ? ' compact' : ''}`} data-ticket-id={ticket.id}>
      <label className="control">
        <span>Status</span>
        <select aria-label={label('Status')} value={ticket.status} disabled={busy} onChange={(e) => void change({ status: e.target.value as Ticket['status'] })}>
          {TICKET_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="control">
        <span>Priority</span>
        <select
          aria-label={label('Priority')}
          className={`prio-select prio-${ticket.priority}`}
          value={ticket.priority}
          disabled={busy}
          onChange={(e) => void change({ priority: e.target.value as Ticket['priority'] })}
        >
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label className="control">
        <span>Assignee</span>
        <select aria-label={label('Assignee')} value={ticket.assigned_to ?? ''} disabled={busy} onChange={(e) => void change({ assigned_to: e.target.value || null })}>
          <option value="">Unassigned</option>
          {props.members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
