import { useEffect, useState } from 'react';
import type { ApiClient } from '../lib/api';
import { formatTime } from '../lib/format';
import type { Conversation, Page } from '../lib/types';

/** Conversations a person holds right now (they left the waiting queue when taken over). */
export function HeldList(props: { api: ApiClient; selected: string | null; onOpen: (id: string) => void; refreshKey: unknown }) {
  const [items, setItems] = useState<Conversation[] | null>(null);
  useEffect(() => {
    let live = true;
    props.api
      .request<Page<Conversation>>('/conversations?status=human&limit=50')
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
      {items.map((c) => (
        <li key={c.id}>
          <button type="button" className={`queue-item${props.selected === c.id ? ' selected' : ''}`} data-conversation-id={c.id} onClick={() => props.onOpen(c.id)}>
            <span className="queue-top">
              <span className="queue-subject">{c.subject ?? 'Conversation'}</span>
              <span className="queue-age">{formatTime(c.updated_at)}</span>
            </span>
            <span className="queue-bottom">
              <span className="queue-reason">{c.customer_id ? 'Signed-in customer' : 'Anonymous visitor'}</span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
