import { Composer } from '../components/Composer';
import { MessageList } from '../components/MessageList';
import type { ConversationView } from '../lib/conversation';
import { reasonLabel } from '../lib/format';
import type { User } from '../lib/types';
import type { OpenConversation } from './useConsole';

const STATUS: Record<string, string> = {
  active: 'AI is answering',
  waiting_human: 'Waiting for a person',
  human: 'Held by staff',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** One conversation for staff: its history live, who holds it, and take over / reply / release. */
export function ConversationPane(props: {
  me: User;
  conversation: OpenConversation | null;
  view: ConversationView;
  onTakeOver: () => void;
  onRelease: () => void;
  onReply: (text: string) => Promise<void>;
  onTyping: (on: boolean) => void;
}) {
  const { conversation: c, view, me } = props;
  if (!c) return <div className="pane-empty muted">Loading…</div>;
  const status = view.status;
  const mine = status === 'human' && (c.assigned_to === me.id || view.handoff?.by?.id === me.id);
  const heldByOther = status === 'human' && !mine;
  const closed = status === 'closed' || status === 'resolved';
  const holder = view.handoff?.by?.name ?? (mine ? me.name : 'another agent');
  const opening = view.messages.find((m) => m.role === 'user')?.content;
  const title = c.subject ?? (opening ? `“${opening.length > 80 ? `${opening.slice(0, 79)}…` : opening}”` : 'Conversation');
  return (
    <section className="pane" aria-labelledby="pane-title" data-conversation-id={c.id} data-status={status}>
      <header className="pane-header">
        <div>
          <h2 id="pane-title">{title}</h2>
          <p className="pane-sub">
            <span className={`status-badge status-${status}`}>{STATUS[status] ?? status}</span>
            {c.handoff_reason && <span>{reasonLabel(c.handoff_reason)}</span>}
            <span>{c.customer_id ? 'Signed-in customer' : 'Anonymous visitor'}</span>
            <span>via {c.channel}</span>
            <span>started {new Date(c.created_at).toLocaleString()}</span>
          </p>
        </div>
        <div className="pane-actions">
          {status === 'human' ? (
            <button type="button" className="btn btn-secondary" onClick={props.onRelease} disabled={heldByOther}>
              Release to AI
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={props.onTakeOver} disabled={closed}>
              Take over
            </button>
          )}
        </div>
      </header>
      {status === 'human' && (
        <div className={`banner ${mine ? 'banner-human' : 'banner-waiting'}`} role="status">
          <div>
            <strong>{mine ? 'You hold this conversation' : `${holder} holds this conversation`}</strong>
            <span>{mine ? 'The AI stays silent until you release it.' : 'They release it before anyone else can reply.'}</span>
          </div>
        </div>
      )}
      <MessageList view={view} perspective="staff" staffName={view.handoff?.by?.name ?? null} />
      <Composer
        label="Reply to the customer"
        placeholder={closed ? 'This conversation is closed' : mine ? 'Reply to the customer…' : 'Reply (takes the conversation over)…'}
        onSend={props.onReply}
        onTyping={props.onTyping}
        disabled={closed || heldByOther}
      />
    </section>
  );
}
