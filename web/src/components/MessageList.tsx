import { useEffect, useRef, type ReactNode } from 'react';
import type { ConversationView } from '../lib/conversation';
import { useI18n } from '../lib/i18n';
import { LiveBubble, MessageBubble, TypingDots, type DecideAction, type Perspective } from './MessageBubble';

/** A conversation's messages, the answer streaming in, and who is typing; keeps the newest in view. */
export function MessageList(props: {
  view: ConversationView;
  perspective: Perspective;
  staffName: string | null;
  empty?: ReactNode;
  onDecide?: DecideAction;
  onQuickReply?: (text: string) => void;
  /** Sends a message shown as not sent again (by its client id). */
  onRetry?: (clientId: string) => void;
  scrollKey?: number;
}) {
  const { view, perspective } = props;
  const { t } = useI18n();
  const list = useRef<HTMLDivElement>(null);
  const last = view.messages[view.messages.length - 1];
  // The list itself scrolls (not scrollIntoView, which would also scroll a page that frames the chat);
  // `scrollKey` changes when the list is shown again (a reopened widget), where a hidden list could not scroll.
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [view.messages.length, last?.id, view.live?.text.length, view.typing.staff, view.typing.customer, props.scrollKey]);

  const otherTyping = perspective === 'customer' ? view.typing.staff : view.typing.customer;
  const showAssistantTyping = view.typing.assistant && !view.live;
  return (
    // Focusable so the keyboard can scroll it (arrows, Page Up/Down).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <div ref={list} className="messages" role="log" aria-live="polite" aria-relevant="additions" aria-label={t('log.label')} tabIndex={0}>
      {view.messages.length === 0 && !view.live && props.empty}
      <ol>
        {view.messages.map((m) => (
          <MessageBubble
            key={m.client_id ?? m.id}
            message={m}
            perspective={perspective}
            staffName={props.staffName}
            onDecide={props.onDecide}
            onRetry={props.onRetry}
            // Only the newest message's quick replies are live: an older offer was already answered.
            onQuickReply={m === last && m.role === 'assistant' && !view.live ? props.onQuickReply : undefined}
          />
        ))}
        {view.live && <LiveBubble live={view.live} />}
      </ol>
      {(showAssistantTyping || otherTyping) && (
        <div className="typing-line">
          <TypingDots label="typing" />
          <span>{otherTyping ? (perspective === 'customer' ? t('typing.staff', { name: props.staffName ?? t('typing.support') }) : t('typing.customer')) : t('typing.assistant')}</span>
        </div>
      )}
    </div>
  );
}
