import { useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';

/** GET /staff/conversations/:id/context. */
interface Context {
  conversation: { id: string; channel: string; status: string; created_at: string; messages: number; contact_email: string | null; handoff_reason: string | null };
  customer: {
    id: string;
    name: string;
    email: string;
    company: string | null;
    phone: string | null;
    customer_since: string;
    plan: { plan: string; status: string; seats: number; amount_cents: number; currency: string; billing_cycle: string; renews_on: string | null } | null;
  } | null;
  invoices: { id: string; invoice_number: string; amount_cents: number; currency: string; status: string; issued_on: string; due_date: string }[];
  orders: { id: string; order_number: string; status: string; amount_cents: number; currency: string; created_at: string }[];
  conversations: { id: string; subject: string | null; status: string; outcome: string | null; created_at: string; first_message: string | null }[];
  tickets: { id: string; ticket_number: string; subject: string; status: string; priority: string; conversation_id: string | null; created_at: string }[];
}

const money = (cents: number, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
const day = (iso: string) => new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
const human = (s: string) => s.replace(/_/g, ' ');

/** Who the conversation is with, beside it: the customer's record and history, or what is known of a visitor. */
export function CustomerContext(props: { api: ApiClient; conversationId: string; refreshKey?: string }) {
  const [ctx, setCtx] = useState<Context | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    props.api
      .request<Context>(`/staff/conversations/${props.conversationId}/context`)
      .then((c) => {
        if (live) {
          setCtx(c);
          setError(null);
        }
      })
      .catch((err) => live && setError(err instanceof ApiError ? err.message : 'Could not load the customer'));
    return () => {
      live = false;
    };
  }, [props.api, props.conversationId, props.refreshKey]);

  const c = ctx?.customer;
  return (
    <section className="side-section customer-context" aria-labelledby="customer-title" data-testid="customer-context">
      <h3 id="customer-title">{c ? 'Customer' : 'Visitor'}</h3>
      {error && <p className="form-error small">{error}</p>}
      {!ctx ? (
        !error && <p className="muted small">Loading…</p>
      ) : c ? (
        <>
          <p className="small cc-who">
            <strong>{c.name}</strong>
            <br />
            <a href={`mailto:${c.email}`}>{c.email}</a>
            {c.company && (
              <>
                <br />
                <span className="muted">{c.company}</span>
              </>
            )}
            <br />
            <span className="muted">Customer since {day(c.customer_since)}</span>
          </p>
          {c.plan ? (
            <p className="small" data-testid="customer-plan">
              Plan <strong>{c.plan.plan}</strong> · {human(c.plan.status)} · {c.plan.seats} {c.plan.seats === 1 ? 'seat' : 'seats'} · {money(c.plan.amount_cents, c.plan.currency)}/
              {c.plan.billing_cycle === 'yearly' ? 'year' : 'month'}
              {c.plan.renews_on && <span className="muted"> · renews {day(c.plan.renews_on)}</span>}
            </p>
          ) : (
            <p className="muted small">No subscription</p>
          )}
          <h4>Latest invoices</h4>
          {ctx.invoices.length ? (
            <ul className="cc-list" aria-label="Latest invoices">
              {ctx.invoices.map((i) => (
                <li key={i.id}>
                  <span className="mono">{i.invoice_number}</span> {money(i.amount_cents, i.currency)} <span className={`cc-tag cc-${i.status}`}>{human(i.status)}</span>
                  <span className="muted"> · {day(i.issued_on)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">None</p>
          )}
          <h4>Latest orders</h4>
          {ctx.orders.length ? (
            <ul className="cc-list" aria-label="Latest orders">
              {ctx.orders.map((o) => (
                <li key={o.id}>
                  <span className="mono">{o.order_number}</span> {money(o.amount_cents, o.currency)} <span className="cc-tag">{human(o.status)}</span>
                  <span className="muted"> · {day(o.created_at)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">None</p>
          )}
        </>
      ) : (
        <p className="small" data-testid="visitor-facts">
          Not signed in · {human(ctx.conversation.channel)}
          <br />
          {ctx.conversation.contact_email ? (
            <>
              Left the email <a href={`mailto:${ctx.conversation.contact_email}`}>{ctx.conversation.contact_email}</a>
            </>
          ) : (
            <span className="muted">No email left</span>
          )}
          <br />
          <span className="muted">
            Started {new Date(ctx.conversation.created_at).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })} · {ctx.conversation.messages} messages
          </span>
        </p>
      )}
      {ctx && (ctx.conversations.length > 0 || ctx.tickets.length > 0) && (
        <>
          <h4>Past conversations</h4>
          {ctx.conversations.length ? (
            <ul className="cc-list" aria-label="Past conversations">
              {ctx.conversations.map((p) => (
                <li key={p.id}>
                  <a href={`/console?c=${p.id}`} data-conversation-id={p.id}>
                    {p.subject ?? p.first_message ?? 'Conversation'}
                  </a>
                  <span className="muted">
                    {' '}
                    · {day(p.created_at)} · {human(p.outcome ?? p.status)}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">None</p>
          )}
          <h4>Tickets</h4>
          <ul className="cc-list" aria-label="Tickets">
            {ctx.tickets.map((t) => (
              <li key={t.id}>
                <a href={t.conversation_id ? `/console?c=${t.conversation_id}` : '/console?view=tickets'} className="mono">
                  {t.ticket_number}
                </a>{' '}
                {t.subject} <span className={`cc-tag cc-${t.status}`}>{human(t.status)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
