import { useState } from 'react';
import type { ChatMessage, LiveTurn } from '../lib/conversation';
import { agentLabel, bodyText, doneLines, liveAnswer, sourcesOf, type DoneLine, type Sources as SourceIndex } from '../lib/format';
import { type MessageKey, type Translate, useI18n } from '../lib/i18n';
import { renderMarkdown, snippetText } from '../lib/markdown';
import type { Citation, WireAction } from '../lib/types';

/** Whose point of view: the customer's chat, or a staff member reading a conversation. */
export type Perspective = 'customer' | 'staff';

function Body({ text, index, idPrefix }: { text: string; index: SourceIndex; idPrefix: string }) {
  const html = renderMarkdown(text, (marker) => {
    const n = index.numberOf(marker);
    const c = n ? index.sources[n - 1] : undefined;
    return n && c ? { href: `#${idPrefix}-src-${n}`, label: `Source ${n}: ${c.title}`, text: String(n) } : null;
  });
  // Sanitised by renderMarkdown (DOMPurify, raw HTML escaped): see web/src/lib/markdown.ts.
  return <div className="bubble-text markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

function Sources({ citations, idPrefix }: { citations: Citation[]; idPrefix: string }) {
  const { t } = useI18n();
  if (!citations.length) return null;
  return (
    <div className="sources">
      <span className="sources-label">{t('msg.sources')}</span>
      <ol>
        {citations.map((c, i) => (
          <li key={c.title} id={`${idPrefix}-src-${i + 1}`}>
            <details>
              <summary>
                <span className="source-index">{i + 1}</span>
                <span className="source-title">{c.title}</span>
              </summary>
              {c.snippet && <p className="source-snippet">{snippetText(c.snippet)}</p>}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}

function Tools({ tools }: { tools: DoneLine[] }) {
  const { t } = useI18n();
  if (!tools.length) return null;
  return (
    <ul className="tools" aria-label={t('msg.did')}>
      {tools.map((t) => (
        <li key={t.key} className={`tool tool-${t.status}`}>
          {t.label}
        </li>
      ))}
    </ul>
  );
}

/** What the customer reads about an action's status. */
const ACTION_STATUS: Record<WireAction['status'], MessageKey> = {
  pending: 'action.pending',
  confirmed: 'action.confirmed',
  approved: 'action.approved',
  rejected: 'action.rejected',
  declined: 'action.declined',
  expired: 'action.expired',
  completed: 'action.completed',
  failed: 'action.failed',
};

/** The label of an answering agent in the viewer's language (agent names the catalogue has not are shown as they are). */
function agentName(t: Translate, agent: string | null | undefined): string {
  const en = agentLabel(agent);
  const key: MessageKey | null = agent === 'faq' ? 'agent.faq' : agent === 'account' ? 'agent.account' : agent === 'escalation' ? 'agent.escalation' : en === 'Assistant' ? 'agent.assistant' : null;
  return key ? t(key) : en;
}

/** Decides on a proposed action (the customer chat passes it; staff only read). */
export type DecideAction = (actionId: string, decision: 'confirm' | 'decline') => Promise<void>;

/** A proposed account action with its status, and Confirm / Cancel while it waits for the customer. */
function ActionCard({ action, onDecide }: { action: WireAction; onDecide?: DecideAction }) {
  const { t, money } = useI18n();
  const [busy, setBusy] = useState(false);
  const decide = (decision: 'confirm' | 'decline') => {
    if (!onDecide) return;
    setBusy(true);
    void onDecide(action.id, decision).finally(() => setBusy(false));
  };
  return (
    <div className={`action-card action-${action.status}`} data-action-id={action.id} data-action-status={action.status}>
      <div className="action-summary">{action.summary}</div>
      {action.amount && (
        <div className="action-amount" data-testid="action-amount">
          {t('action.amount', { amount: money(action.amount.cents / 100, action.amount.currency) })}
        </div>
      )}
      <div className="action-status">
        {t(ACTION_STATUS[action.status])}
        {action.risk === 'approve' && action.status === 'pending' ? t('action.approveNote') : ''}
      </div>
      {onDecide && action.status === 'pending' && (
        <div className="action-buttons">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => decide('confirm')}>
            {t('action.confirm')}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => decide('decline')}>
            {t('action.cancel')}
          </button>
        </div>
      )}
    </div>
  );
}

function who(t: Translate, m: ChatMessage, perspective: Perspective, staffName: string | null): string {
  if (m.role === 'user') return perspective === 'customer' ? t('msg.you') : t('msg.customer');
  if (m.role === 'staff') return m.author_name ?? staffName ?? t('msg.supportTeam');
  if (m.role === 'system') return 'Switchboard';
  return agentName(t, m.agent);
}

/** The answers a message offers as buttons; each sends its text as the customer's next message. */
function QuickReplies({ replies, onPick }: { replies: string[]; onPick: (text: string) => void }) {
  const { t } = useI18n();
  return (
    <ul className="quick-replies" aria-label={t('msg.quickReplies')}>
      {replies.map((r) => (
        <li key={r}>
          <button type="button" className="chip-button" onClick={() => onPick(r)}>
            {r}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** One message of a conversation: its author, text, sources, what the assistant did, and its quick replies when `onQuickReply` is given. */
export function MessageBubble({
  message: m,
  perspective,
  staffName,
  onDecide,
  onQuickReply,
  onRetry,
}: {
  message: ChatMessage;
  perspective: Perspective;
  staffName: string | null;
  onDecide?: DecideAction;
  onQuickReply?: (text: string) => void;
  onRetry?: (clientId: string) => void;
}) {
  const { t, time } = useI18n();
  const quick = Array.isArray(m.quick_replies) ? m.quick_replies.filter((r): r is string => typeof r === 'string' && r.length > 0) : [];
  const index = sourcesOf(m);
  const citations = index.sources;
  const mine = perspective === 'customer' ? m.role === 'user' : m.role === 'staff';
  const prefix = `m-${m.id.replace(/[^a-zA-Z0-9-]/g, '')}`;
  const tools = doneLines(m, perspective);
  return (
    <li className={`msg msg-${m.role} ${mine ? 'mine' : 'theirs'}${m.pending ? ' pending' : ''}${m.failed ? ' failed' : ''}`} data-role={m.role} data-agent={m.agent ?? undefined}>
      <div className="msg-meta">
        <span className="msg-author">{who(t, m, perspective, staffName)}</span>
        {m.role === 'assistant' && m.engine === 'offline' && perspective === 'staff' && <span className="chip chip-muted">offline engine</span>}
        <time dateTime={m.created_at}>{m.failed ? t('msg.notSent') : m.pending ? t('msg.sending') : time(m.created_at)}</time>
        {m.failed && m.client_id && onRetry && (
          <button type="button" className="btn btn-ghost btn-sm retry" onClick={() => onRetry(m.client_id!)}>
            {t('msg.retry')}
          </button>
        )}
      </div>
      <div className="bubble">
        <Body text={bodyText(m.content, citations.length > 0)} index={index} idPrefix={prefix} />
        <Sources citations={citations} idPrefix={prefix} />
        {m.pending_action && <ActionCard action={m.pending_action} onDecide={perspective === 'customer' ? onDecide : undefined} />}
      </div>
      {m.role === 'assistant' && <Tools tools={tools} />}
      {onQuickReply && quick.length > 0 && <QuickReplies replies={quick} onPick={onQuickReply} />}
    </li>
  );
}

/** The assistant's answer while it streams in: markdown, with its markers numbered as the stored answer will number them. */
export function LiveBubble({ live }: { live: LiveTurn }) {
  const { t } = useI18n();
  const answer = liveAnswer(bodyText(live.text, true), live.passages);
  const prefix = `m-${(live.ref ?? 'live').replace(/[^a-zA-Z0-9-]/g, '')}`;
  return (
    <li className="msg msg-assistant theirs streaming" aria-busy="true" data-role="assistant" data-agent={live.agent ?? undefined}>
      <div className="msg-meta">
        <span className="msg-author">{agentName(t, live.agent)}</span>
      </div>
      <div className="bubble">
        {live.text ? (
          <>
            <Body text={answer.text} index={answer.sources} idPrefix={prefix} />
            <span className="caret" aria-hidden="true" />
            <Sources citations={answer.sources.sources} idPrefix={prefix} />
          </>
        ) : (
          <TypingDots label={t('msg.thinking', { agent: agentName(t, live.agent) })} />
        )}
      </div>
      <Tools tools={live.tools} />
    </li>
  );
}

/** Three bouncing dots with a label for screen readers. */
export function TypingDots({ label }: { label: string }) {
  return (
    <span className="dots" role="status" aria-label={label}>
      <span />
      <span />
      <span />
    </span>
  );
}
