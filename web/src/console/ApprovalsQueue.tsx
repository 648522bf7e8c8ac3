import { useState } from 'react';
import { formatAge } from '../lib/format';
import type { PendingApproval } from './desk-types';
import { useNow } from './QueueList';
import type { Approvals } from './useApprovals';

const TYPE_LABELS: Record<string, string> = {
  request_refund: 'Refund',
  change_plan: 'Plan change with credit',
  cancel_order: 'Order cancellation',
  change_shipping_address: 'Address change',
};

/** An amount in cents as money, e.g. $365.05. */
function money(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

/** "Approvals": the approve-tier actions customers confirmed, oldest wait first, with who and what, approved or rejected with a note. */
export function ApprovalsQueue(props: { approvals: Approvals; onOpenConversation: (id: string) => void }) {
  const { items, error, notice } = props.approvals;
  const now = useNow(5000);
  return (
    <section className="tickets approvals" aria-labelledby="approvals-title">
      <header className="pane-header">
        <div>
          <h2 id="approvals-title">Approvals</h2>
          <p className="pane-sub">Changes the customer confirmed that need a person: refunds over the automatic limit and downgrades that credit the account.</p>
        </div>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => void props.approvals.reload()}>
          Refresh
        </button>
      </header>
      {notice && (
        <div className={`approval-notice approval-${notice.status}`} role="status" data-action-id={notice.id}>
          <span>
            {notice.decision === 'approve' ? (notice.status === 'completed' ? 'Approved and done' : 'Approved, but it could not be carried out') : 'Rejected'}: {notice.summary} for {notice.customer}.
            The customer has been told in their conversation.
          </span>
          <button type="button" className="icon-btn" onClick={props.approvals.clearNotice} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {error && (
        <p className="form-error pad" role="alert">
          {error}
        </p>
      )}
      {!items ? (
        <p className="muted pad">Loading the approvals…</p>
      ) : items.length === 0 ? (
        <div className="empty-state big">
          <strong>Nothing to approve</strong>
          <span>Refunds and credits that need a person appear here once the customer confirms them.</span>
        </div>
      ) : (
        <ul className="approval-list" aria-label="Waiting for approval">
          {items.map((a) => (
            <ApprovalCard key={a.id} item={a} now={now} busy={props.approvals.busy === a.id} onDecide={props.approvals.decide} onOpenConversation={props.onOpenConversation} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ApprovalCard(props: {
  item: PendingApproval;
  now: number;
  busy: boolean;
  onDecide: (item: PendingApproval, decision: 'approve' | 'reject', note: string) => Promise<void>;
  onOpenConversation: (id: string) => void;
}) {
  const a = props.item;
  const [note, setNote] = useState('');
  const since = a.confirmed_at ?? a.created_at;
  const waited = (props.now - Date.parse(since)) / 1000;
  const noteId = `note-${a.id}`;
  return (
    <li className="approval-card" data-action-id={a.id} data-action-type={a.type}>
      <div className="approval-head">
        <span className="approval-type">{TYPE_LABELS[a.type] ?? a.type}</span>
        {a.amount_cents !== null && <strong className="approval-amount">{money(a.amount_cents, a.currency ?? 'USD')}</strong>}
        <span className="queue-age" title={`confirmed ${new Date(since).toLocaleString()}`}>
          waiting {formatAge(waited)}
        </span>
      </div>
      <p className="approval-summary">{a.summary}</p>
      <dl className="approval-facts">
        <dt>Customer</dt>
        <dd>
          <strong>{a.customer.name}</strong> · <a href={`mailto:${a.customer.email}`}>{a.customer.email}</a>
          {a.customer.company && <span className="muted"> · {a.customer.company}</span>}
        </dd>
        {a.order && (
          <>
            <dt>Order</dt>
            <dd>
              <span className="mono">{a.order.order_number}</span> · {a.order.status}
              {a.order.delivered_at && <span className="muted"> (delivered {new Date(a.order.delivered_at).toLocaleDateString()})</span>} ·{' '}
              {a.order.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')} · {money(a.order.total_cents, a.order.currency)}
            </dd>
          </>
        )}
        <dt>Conversation</dt>
        <dd>
          <a
            href={`/console?c=${a.conversation_id}`}
            onClick={(e) => {
              e.preventDefault();
              props.onOpenConversation(a.conversation_id);
            }}
          >
            {a.conversation_subject ?? 'Open the conversation'}
          </a>
        </dd>
      </dl>
      <form
        className="approval-form"
        aria-label={`Decide: ${a.summary}`}
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <label htmlFor={noteId}>Note to the customer (optional)</label>
        <textarea id={noteId} rows={2} maxLength={1000} value={note} placeholder="e.g. Approved as a goodwill exception" onChange={(e) => setNote(e.target.value)} />
        <div className="form-actions">
          <button type="button" className="btn btn-primary" disabled={props.busy} onClick={() => void props.onDecide(a, 'approve', note)}>
            Approve
          </button>
          <button type="button" className="btn btn-ghost" disabled={props.busy} onClick={() => void props.onDecide(a, 'reject', note)}>
            Reject
          </button>
        </div>
      </form>
    </li>
  );
}
