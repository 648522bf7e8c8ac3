import { useEffect, useState } from 'react';
import type { ApiClient } from '../lib/api';
import { formatTime } from '../lib/format';
import type { Page } from '../lib/types';
import type { StaffConversation } from './desk-types';
import { UnreadBadge } from './Workspace';

/** What a held item is called: its customer (or the address a visitor left), else what it is about. */
function titleOf(c: StaffConversation): string {
  return c.customer_name ?? c.subject ?? c.first_message ?? (c.ticket ? `Ticket ${c.ticket.ticket_number}` : 'Anonymous visitor');
}

/** Conversations a person holds right now (they left the waiting queue when taken over). */
export function HeldList(props: { api: ApiClient; selected: string | null; onOpen: (id: string) => void; unread?: Record<string, number>; refreshKey: unknown }) {
  const [items, setItems] = useState<StaffConversation[] | null>(null);
  useEffect(() => {
    let live = true;
    props.api
      .request<Page<StaffConversation>>('/staff/conversations?status=human&limit=50')
      .then((p) => live && setItems(p.items))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [props.api, props.refreshKey]);
  if (!items) return <p className="muted pad">Loading…</p>;
  if (!items.length) {
    return (
      <div className="empty-state">
        <strong>Nothing held</strong>
        <span>Conversations you or a colleague take over stay here until released.</span>
      </div>
    );
  }
  return (
    <ul className="queue" aria-label="Conversations held by staff">
      {items.map((c) => {
        const title = titleOf(c);
        const about = c.first_message && c.first_message !== title ? c.first_message : null;
        return (
          <li key={c.id}>
            <button type="button" className={`queue-item${props.selected === c.id ? ' selected' : ''}`} data-conversation-id={c.id} onClick={() => props.onOpen(c.id)}>
              <span className="queue-top">
                <span className="queue-subject">{title}</span>
                <UnreadBadge count={props.unread?.[c.id]} />
                <span className="queue-age">{formatTime(c.updated_at)}</span>
              </span>
              {about && <span className="queue-preview">{about}</span>}
              <span className="queue-bottom">
                <span className="queue-reason">{c.assignee_name ? `Held by ${c.assignee_name}` : c.customer_id ? 'Signed-in customer' : 'Anonymous visitor'}</span>
                {c.ticket && <span className="ticket-ref">{c.ticket.ticket_number}</span>}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
