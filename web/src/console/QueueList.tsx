import { useEffect, useState } from 'react';
import { formatAge, reasonLabel } from '../lib/format';
import type { QueueSnapshot } from '../lib/types';
import { UnreadBadge } from './Workspace';

/** Re-renders every `ms` so ages stay current. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** The conversations waiting for a person, longest waiting first, with why and for how long. */
export function QueueList(props: { queue: QueueSnapshot | null; selected: string | null; onOpen: (id: string) => void; unread?: Record<string, number> }) {
  const now = useNow();
  if (!props.queue) return <p className="muted pad">Loading the queue…</p>;
  if (!props.queue.items.length) {
    return (
      <div className="empty-state">
        <strong>No one is waiting</strong>
        <span>Conversations the assistant hands over appear here the moment they do.</span>
      </div>
    );
  }
  return (
    <ul className="queue" aria-label="Waiting conversations">
      {props.queue.items.map((item) => {
        const age = (now - Date.parse(item.waiting_since)) / 1000;
        const title = item.subject ?? (item.ticket_number ? `Ticket ${item.ticket_number}` : 'Conversation');
        return (
          <li key={item.conversation_id}>
            <button
              type="button"
              className={`queue-item${props.selected === item.conversation_id ? ' selected' : ''}${age > 600 ? ' overdue' : ''}`}
              data-conversation-id={item.conversation_id}
              aria-current={props.selected === item.conversation_id ? 'true' : undefined}
              onClick={() => props.onOpen(item.conversation_id)}
            >
              <span className="queue-top">
                <span className="queue-subject">{title}</span>
                <UnreadBadge count={props.unread?.[item.conversation_id]} />
                <span className="queue-age" title={`waiting since ${new Date(item.waiting_since).toLocaleString()}`}>
                  {formatAge(age)}
                </span>
              </span>
              <span className="queue-bottom">
                <span className="queue-reason">{reasonLabel(item.reason)}</span>
                {item.priority && <span className={`prio prio-${item.priority}`}>{item.priority}</span>}
                {item.ticket_number && item.subject && <span className="ticket-ref">{item.ticket_number}</span>}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
