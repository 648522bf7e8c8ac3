import { useCallback, useRef, type MutableRefObject } from 'react';
import type { RealtimeClient } from './socket';

/** A repeated "typing on" is sent at most this often; the server relays it at most every 3 s. */
const TYPING_REPEAT_MS = 2_500;
/** Typing turns itself off after this long without a keystroke. */
const TYPING_IDLE_MS = 4_000;

/**
 * The typing indicator sender shared by the customer chat and the staff console: throttles
 * repeated "on", turns itself off when the keyboard goes quiet, and sends nothing without a
 * conversation.
 */
export function useTypingSender(socket: RealtimeClient, conversationRef: MutableRefObject<string | null>): (on: boolean) => void {
  const typing = useRef({ on: false, last: 0, timer: undefined as ReturnType<typeof setTimeout> | undefined });
  const setTyping = useCallback(
    (on: boolean) => {
      const id = conversationRef.current;
      const t = typing.current;
      clearTimeout(t.timer);
      if (!id) return;
      if (on) {
        t.timer = setTimeout(() => setTyping(false), TYPING_IDLE_MS);
        if (t.on && Date.now() - t.last < TYPING_REPEAT_MS) return;
        t.last = Date.now();
      } else if (!t.on) {
        return;
      }
      t.on = on;
      socket.send({ type: 'typing', conversation_id: id, on });
    },
    [socket, conversationRef],
  );
  return setTyping;
}
