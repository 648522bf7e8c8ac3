import { useState } from 'react';
import { MessageList } from '../components/MessageList';
import type { ApiClient } from '../lib/api';
import type { ConversationView } from '../lib/conversation';
import { reasonLabel } from '../lib/format';
import type { Ticket, User } from '../lib/types';
import type { StaffConversation, StaffMember } from './desk-types';
import { CustomerContext } from './CustomerContext';
import { NotesPanel } from './NotesPanel';
import { ReplyBox } from './ReplyBox';
import { SuggestReply } from './SuggestReply';
import { TicketControls } from './TicketControls';
import type { OpenConversation } from './useConsole';

const STATUS: Record<string, string> = {
  active: 'AI is answering',
  waiting_human: 'Waiting for a person',
  human: 'Held by staff',
  resolved: 'Resolved',
  closed: 'Closed',
};

/**
 * One conversation for staff: its history live, who holds it, take over / reply / release, and
 * beside it the work on it: assignee, its ticket, the customer and private notes.
 */
export function ConversationPane(props: {
  api: ApiClient;
  me: User;
  conversation: OpenConversation | null;
  detail: StaffConversation | null;
  members: StaffMember[];
  view: ConversationView;
  onTakeOver: () => void;
  onRelease: () => void;
  onAssign: (userId: string) => void;
  onReply: (text: string) => Promise<void>;
  onTyping: (on: boolean) => void;
  onTicketChanged: (t: Ticket) => void;
}) {
  const { conversation: c, view, me, detail } = props;
  const [fill, setFill] = useState<{ text: string; seq: number } | undefined>(undefined);
  if (!c) return <div className="pane-empty muted">Loading…</div>;
  const status = view.status;
  const holderId = status === 'human' ? (view.handoff?.by?.id ?? detail?.assigned_to ?? c.assigned_to ?? null) : null;
  const mine = status === 'human' && holderId === me.id;
  const heldByOther = status === 'human' && !mine;
  const isAdmin = me.role === 'admin';
  const closed = status === 'closed' || status === 'resolved';
  const holder = view.handoff?.by?.name ?? detail?.assignee_name ?? (mine ? me.name : 'another agent');
  const opening = view.messages.find((m) => m.role === 'user')?.content;
  const title = c.subject ?? (opening ? `“${opening.length > 80 ? `${opening.slice(0, 79)}…` : opening}”` : 'Conversation');
  // An agent cannot take a colleague's conversation (the server says 403 too); an admin can.
  const mayReassign = !closed && (!heldByOther || isAdmin);
  return (
    <section className="pane" aria-labelledby="pane-title" data-conversation-id={c.id} data-status={status}>
      <header className="pane-header">
        <div>
          <h2 id="pane-title">{title}</h2>
          <p className="pane-sub">
            <span className={`status-badge status-${status}`}>{STATUS[status] ?? status}</span>
            {c.handoff_reason && <span>{reasonLabel(c.handoff_reason)}</span>}
            <span>{detail?.customer_name ?? (c.customer_id ? 'Signed-in customer' : 'Anonymous visitor')}</span>
            <span>via {c.channel}</span>
            <span>started {new Date(c.created_at).toLocaleString()}</span>
          </p>
        </div>
        <div className="pane-actions">
          {status === 'human' ? (
            <button type="button" className="btn btn-secondary" onClick={props.onRelease} disabled={heldByOther && !isAdmin}>
              Release to AI
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={props.onTakeOver} disabled={closed}>
              Take over
            </button>
          )}
        </div>
      </header>
      <div className="pane-body">
        <div className="pane-chat">
          {status === 'human' && (
            <div className={`banner ${mine ? 'banner-human' : 'banner-waiting'}`} role="status">
              <div>
                <strong>{mine ? 'You hold this conversation' : `${holder} holds this conversation`}</strong>
                <span>
                  {mine
                    ? 'The AI stays silent until you release it.'
                    : isAdmin
                      ? 'As an admin you can release it or assign it to someone else.'
                      : 'They (or an admin) release it before anyone else can reply.'}
                </span>
              </div>
            </div>
          )}
          <MessageList view={view} perspective="staff" staffName={view.handoff?.by?.name ?? null} />
          <ReplyBox
            api={props.api}
            conversationId={c.id}
            placeholder={closed ? 'This conversation is closed' : mine ? 'Reply to the customer… (type / for canned replies)' : 'Reply (takes the conversation over)…'}
            onSend={props.onReply}
            onTyping={props.onTyping}
            disabled={closed || heldByOther}
            fill={fill}
            toolbar={mine ? <SuggestReply api={props.api} conversationId={c.id} onDraft={(text) => setFill((f) => ({ text, seq: (f?.seq ?? 0) + 1 }))} /> : undefined}
          />
        </div>
        <aside className="pane-side" aria-label="Conversation details">
          <section className="side-section" aria-labelledby="holder-title">
            <h3 id="holder-title">Assigned to</h3>
            <label className="control">
              <span className="visually-hidden">Assign the conversation to</span>
              <select
                aria-label="Assign the conversation to"
                value={status === 'human' ? (holderId ?? '') : ''}
                disabled={!mayReassign || !props.members.length}
                onChange={(e) => e.target.value && props.onAssign(e.target.value)}
              >
                <option value="">{status === 'human' ? 'Someone' : 'Nobody (AI or queue)'}</option>
                {props.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id === me.id ? `${m.name} (me)` : m.name}
                  </option>
                ))}
              </select>
            </label>
          </section>
          <section className="side-section" aria-labelledby="ticket-title">
            <h3 id="ticket-title">Ticket {detail?.ticket && <span className="mono">{detail.ticket.ticket_number}</span>}</h3>
            {detail?.ticket ? (
              <TicketControls api={props.api} ticket={detail.ticket} members={props.members} onChanged={props.onTicketChanged} />
            ) : (
              <p className="muted small">No ticket for this conversation.</p>
            )}
          </section>
          <CustomerContext api={props.api} conversationId={c.id} refreshKey={`${status}:${detail?.ticket?.status ?? ''}`} />
          <NotesPanel api={props.api} conversationId={c.id} />
        </aside>
      </div>
    </section>
  );
}
