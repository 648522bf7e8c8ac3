import { useEffect, useRef, type ReactNode } from 'react';
import type { ConversationView } from '../lib/conversation';
import { LiveBubble, MessageBubble, TypingDots, type DecideAction, type Perspective } from './MessageBubble';

/** A conversation's messages, the answer streaming in, and who is typing; keeps the newest in view. */
export function MessageList(props: { view: ConversationView; perspective: Perspective; staffName: string | null; empty?: ReactNode; onDecide?: DecideAction; onQuickReply?: (text: string) => void }) {
  const { view, perspective } = props;
  const end = useRef<HTMLDivElement>(null);
  const last = view.messages[view.messages.length - 1];
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [view.messages.length, last?.id, view.live?.text.length, view.typing.staff, view.typing.customer]);

  const otherTyping = perspective === 'customer' ? view.typing.staff : view.typing.customer;
  const showAssistantTyping = view.typing.assistant && !view.live;
  return (
    <div className="messages" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation">
      {view.messages.length === 0 && !view.live && props.empty}
      <ol>
        {view.messages.map((m) => (
          <MessageBubble
            key={m.client_id ?? m.id}
            message={m}
            perspective={perspective}
            staffName={props.staffName}
            onDecide={props.onDecide}
            // Only the newest message's quick replies are live: an older offer was already answered.
            onQuickReply={m === last && m.role === 'assistant' && !view.live ? props.onQuickReply : undefined}
          />
        ))}
        {view.live && <LiveBubble live={view.live} />}
      </ol>
      {(showAssistantTyping || otherTyping) && (
        <div className="typing-line">
          <TypingDots label="typing" />
          <span>{otherTyping ? (perspective === 'customer' ? `${props.staffName ?? 'Support'} is typing…` : 'Customer is typing…') : 'Assistant is typing…'}</span>
        </div>
      )}
      <div ref={end} />
    </div>
  );
}
