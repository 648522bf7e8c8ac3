// The framed chat's side of the widget (/embed inside the loader's iframe): the host page tells it
// when the panel is shown or hidden; it tells the launcher how many replies came while it was hidden.
// Messages: parent → frame `switchboard:visibility {open}`; frame → parent `switchboard:ready` (on
// load, answered with the visibility), `switchboard:unread {count}` and `switchboard:close`.
import { useEffect, useRef, useState } from 'react';
import type { ChatMessage } from '../lib/conversation';

/** Tells the page that frames the chat (the loader checks that it comes from this origin and this frame). */
export function tellHost(message: { type: string; count?: number }): void {
  window.parent.postMessage(message, '*');
}

/**
 * For the widget's frame: `shown` counts how often the panel was shown (1 on load), to focus the
 * composer and scroll to the newest message each time; replies (assistant or staff) that arrive while
 * the panel is hidden are reported to the launcher as unread.
 */
export function useWidgetFrame(embed: boolean, messages: ChatMessage[]): { shown: number } {
  const [visible, setVisible] = useState(true);
  const [shown, setShown] = useState(embed ? 1 : 0);
  const shownNow = useRef(true);
  const seen = useRef({ ids: new Set<string>(), latest: '', reported: 0 });

  useEffect(() => {
    if (!embed) return;
    const onMessage = (e: MessageEvent) => {
      // Only the page that frames us; what it may say is harmless (show or hide).
      if (e.source !== window.parent || e.source === window) return;
      const msg = e.data as { type?: unknown; open?: unknown } | null;
      if (msg?.type !== 'switchboard:visibility' || typeof msg.open !== 'boolean') return;
      if (msg.open && !shownNow.current) setShown((n) => n + 1);
      shownNow.current = msg.open;
      setVisible(msg.open);
    };
    window.addEventListener('message', onMessage);
    tellHost({ type: 'switchboard:ready' });
    return () => window.removeEventListener('message', onMessage);
  }, [embed]);

  useEffect(() => {
    if (!embed) return;
    const s = seen.current;
    let unread = 0;
    if (visible) {
      for (const m of messages) {
        if (m.pending) continue;
        s.ids.add(m.id);
        if (m.created_at > s.latest) s.latest = m.created_at;
      }
    } else {
      // New replies only: older messages a history reload brings in are not news.
      unread = messages.filter((m) => !m.pending && (m.role === 'assistant' || m.role === 'staff') && !s.ids.has(m.id) && m.created_at > s.latest).length;
    }
    if (unread !== s.reported) {
      s.reported = unread;
      tellHost({ type: 'switchboard:unread', count: unread });
    }
  }, [embed, visible, messages]);

  return { shown };
}
