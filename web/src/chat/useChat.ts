// The customer side of a conversation: who the visitor is (signed in or anonymous with a
// conversation token), the conversation they are in, its live view, and sending over the
// WebSocket with REST as the fallback.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { DEFAULT_MAX_MESSAGE_CHARS } from '../components/Composer';
import { ApiClient, ApiError, newId } from '../lib/api';
import { conversationReducer, emptyConversation } from '../lib/conversation';
import { sendOverRest } from '../lib/rest-turn';
import { SessionStore } from '../lib/session';
import { useTypingSender } from '../lib/typing';
import { listenToHost, tellHostVisitor, type Visitor } from './host-storage';
import { RealtimeClient, type SocketStatus } from '../lib/socket';
import { readJson, writeJson } from '../lib/storage';
import type { Conversation, WireAction, WireMessage } from '../lib/types';

const VISITOR_KEY = 'switchboard.chat.visitor';
const convKey = (userId: string) => `switchboard.chat.conversation.${userId}`;
/** Set once the customer rated the conversation or said "not now": the chat asks only once. */
const csatKey = (conversationId: string) => `switchboard.chat.csat.${conversationId}`;

/** How long a message waits for the socket's ack before the REST fallback takes over. */
const ACK_TIMEOUT_MS = 8_000;
/** A typing indicator is repeated at most this often, and turned off after this much quiet. */
/** How often the conversation is reloaded while the socket is down. */
const POLL_MS = 10_000;

/** The chat's state and actions for the customer chat page and the widget. */
export function useChat(opts: { channel: 'widget' | 'websocket' }) {
  const session = useMemo(() => new SessionStore('switchboard.chat.session'), []);
  const user = useSyncExternalStore(
    (l) => session.subscribe(l),
    () => session.user,
  );
  const [conversationId, setConversationId] = useState<string | null>(() => initialConversation(session.user?.id ?? null));
  const [view, dispatch] = useReducer(conversationReducer, emptyConversation);
  const [socketStatus, setSocketStatus] = useState<SocketStatus>('offline');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [maxChars, setMaxChars] = useState(DEFAULT_MAX_MESSAGE_CHARS);
  /** Whether the server already has this conversation's rating (from its history). */
  const [rated, setRated] = useState(false);
  const [csatDone, setCsatDone] = useState<'thanks' | null>(null);
  /** The message whose sending failed with the error shown (cleared when it turns out delivered). */
  const [failedSend, setFailedSend] = useState<string | null>(null);
  /** Whether the socket was ever up on this page: a later outage reads "Reconnecting…", not "Connecting…". */
  const [everOnline, setEverOnline] = useState(false);
  const conversationRef = useRef(conversationId);
  conversationRef.current = conversationId;

  /** The bearer token for the conversation: the user's, or the visitor's conversation token. */
  const tokenFor = useCallback(async (): Promise<string | null> => {
    if (session.user) return session.freshToken();
    return readJson<Visitor>(VISITOR_KEY)?.token ?? null;
  }, [session]);
  const api = useMemo(() => new ApiClient({ token: () => session.accessToken() ?? readJson<Visitor>(VISITOR_KEY)?.token ?? null, renew: () => session.renew() }), [session]);

  const socket = useMemo(
    () =>
      new RealtimeClient({
        token: tokenFor,
        onAuthRefused: (code) => {
          if (code === 'token_expired' && session.user) void session.renew();
        },
      }),
    [session, tokenFor],
  );

  const loadHistory = useCallback(
    async (id: string, quiet = false) => {
      try {
        const c = await api.request<Conversation & { messages: WireMessage[] }>(`/conversations/${id}`);
        if (conversationRef.current !== id) return;
        dispatch({ type: 'history', messages: c.messages, status: c.status, handoff_reason: c.handoff_reason, ticket_number: c.ticket_number, assignee: c.assignee });
        setRated(!!c.feedback);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 401)) {
          // Gone, or no longer ours (signed out, token expired): start afresh on the next message.
          forgetConversation(session.user?.id ?? null);
          if (conversationRef.current === id) setConversationId(null);
          return;
        }
        if (!quiet) setError(messageOf(err));
      }
    },
    [api, session],
  );

  // The socket lives as long as the page.
  useEffect(() => {
    const offStatus = socket.onStatus((st) => {
      setSocketStatus(st);
      if (st === 'online') setEverOnline(true);
      // An answer that was streaming over the lost connection stops spinning (it comes again on reconnect, or by the history).
      if (st === 'offline') dispatch({ type: 'live', live: null });
    });
    const off = socket.on((e) => {
      if (e.type === 'ready') {
        setMaxChars(e.max_message_chars);
      } else if (e.type === 'joined' && e.conversation_id === conversationRef.current) {
        dispatch({ type: 'status', status: e.status });
        if (e.gap) void loadHistory(e.conversation_id);
      } else if (e.type === 'ack') {
        dispatch({ type: 'ack', client_id: e.client_id, message_id: e.message_id });
      } else if (e.type === 'error' && e.ref !== 'typing' && e.ref !== 'conversation.join') {
        // (a refused join is the history load's 404 too, which starts a new conversation)
        setError(e.message);
      } else if ('conversation_id' in e && 'id' in e && e.conversation_id === conversationRef.current) {
        dispatch({ type: 'event', event: e });
      }
    });
    socket.start();
    return () => {
      off();
      offStatus();
      socket.stop();
    };
  }, [socket, loadHistory]);

  // The widget in a browser that keeps no storage for it: the host page hands back the visitor's conversation.
  useEffect(
    () =>
      listenToHost((visitor) => {
        if (session.user || conversationRef.current || readJson<Visitor>(VISITOR_KEY)) return;
        writeJson(VISITOR_KEY, visitor);
        conversationRef.current = visitor.conversation_id;
        setConversationId(visitor.conversation_id);
        socket.restart(); // authenticate with the conversation's token
      }),
    [session, socket],
  );

  // Signing in or out switches identity: reconnect with the new token and pick that identity's conversation.
  // A visitor who signs in keeps the conversation they started: it is linked to their account first.
  const userId = user?.id ?? null;
  const firstUser = useRef(userId);
  useEffect(() => {
    if (firstUser.current === userId) return;
    firstUser.current = userId;
    let live = true;
    void (async () => {
      if (userId) await keepVisitorConversation(api, userId);
      if (!live) return;
      setConversationId(initialConversation(userId));
      socket.restart();
    })();
    return () => {
      live = false;
    };
  }, [userId, socket, api]);

  // Follow the current conversation: live events first, then the history (merged by id, so nothing is lost between).
  useEffect(() => {
    dispatch({ type: 'reset' });
    setRated(false);
    setCsatDone(null);
    if (!conversationId) return;
    socket.join(conversationId);
    void loadHistory(conversationId);
    return () => socket.leave(conversationId);
  }, [conversationId, socket, loadHistory]);

  // Without the socket, staff replies still arrive: poll the conversation until it is back.
  useEffect(() => {
    if (!conversationId || socketStatus === 'online') return;
    const timer = setInterval(() => void loadHistory(conversationId, true), POLL_MS);
    return () => clearInterval(timer);
  }, [conversationId, socketStatus, loadHistory]);

  const ensureConversation = useCallback(async (): Promise<string> => {
    if (conversationRef.current) return conversationRef.current;
    const c = await api.request<Conversation>('/conversations', { body: { channel: opts.channel }, headers: { 'idempotency-key': newId() } });
    if (session.user) {
      writeJson(convKey(session.user.id), c.id);
    } else if (c.conversation_token) {
      saveVisitor({ conversation_id: c.id, token: c.conversation_token });
      socket.restart(); // a conversation token opens this conversation only: authenticate with it
    }
    conversationRef.current = c.id;
    setConversationId(c.id);
    return c.id;
  }, [api, opts.channel, session, socket]);

  const setTyping = useTypingSender(socket, conversationRef);

  /** Sends a customer message (new, or a failed one again under its client id, so it is stored once). */
  const deliver = useCallback(
    async (text: string, retryOf?: string) => {
      setError(null);
      setBusy(true);
      const clientId = retryOf ?? newId();
      try {
        const id = await ensureConversation();
        setTyping(false);
        if (retryOf) dispatch({ type: 'retry', client_id: clientId });
        else dispatch({ type: 'pending', client_id: clientId, content: text, conversation_id: id });
        const sentAt = Date.now();
        if ((await socket.waitReady(3_000)) && socket.send({ type: 'message.send', conversation_id: id, content: text, client_id: clientId })) {
          socket.probe(); // a network that dropped under the open socket shows within seconds
          const answer = await waitForAck(socket, clientId, ACK_TIMEOUT_MS);
          if (answer === true) return;
          if (answer) throw answer; // refused (too long, closed, rate limited): REST would refuse it too
          // No ack: the socket may have stored it before it dropped. If the conversation's last
          // customer message is this one, keep it (the answer comes on reconnect or by polling).
          if (await storedMeanwhile(api, id, text, sentAt)) {
            void loadHistory(id, true);
            return;
          }
        }
        // The socket is down: the same turn over REST, streamed as SSE (the client id is the
        // Idempotency-Key, so a retried request is not stored twice).
        const turn = await sendOverRest(api, id, text, {
          idempotencyKey: clientId,
          onEvent: (e) => {
            if (e.event === 'route') dispatch({ type: 'live', live: { ref: null, agent: e.data.agent, route: e.data.route, tools: [], text: '' } });
            else if (e.event === 'tool')
              dispatch({
                type: 'event',
                event: { type: 'tool', id: 0, conversation_id: id, action: e.data.action as 'searched_help_center', label: e.data.label, status: e.data.status as 'ok', passages: e.data.passages },
              });
            else dispatch({ type: 'event', event: { type: 'token', id: 0, conversation_id: id, message_ref: e.data.message_ref, delta: e.data.delta } });
          },
        });
        dispatch({ type: 'stored', messages: [turn.user_message, ...(turn.assistant_message ? [turn.assistant_message] : [])] });
        if (turn.assistant_message?.agent === 'escalation' || !turn.assistant_message) void loadHistory(id);
      } catch (err) {
        dispatch({ type: 'send_failed', client_id: clientId });
        setError(messageOf(err));
        setFailedSend(clientId);
      } finally {
        setBusy(false);
      }
    },
    [api, ensureConversation, loadHistory, setTyping, socket],
  );

  const send = useCallback(
    async (content: string) => {
      const text = content.trim();
      if (text) await deliver(text);
    },
    [deliver],
  );

  /** Sends a message shown as not sent again. */
  const retry = useCallback(
    async (clientId: string) => {
      const m = view.messages.find((x) => x.client_id === clientId && x.failed);
      if (m) await deliver(m.content, clientId);
    },
    [deliver, view.messages],
  );

  // A failure said about a message that was delivered after all (its stored copy came on reconnect) is stale: clear it.
  useEffect(() => {
    if (!failedSend) return;
    if (!view.messages.some((m) => m.client_id === failedSend && m.pending)) {
      setFailedSend(null);
      setError(null);
    }
  }, [failedSend, view.messages]);

  const newConversation = useCallback(() => {
    forgetConversation(session.user?.id ?? null);
    setConversationId(null);
    if (!session.user) socket.restart();
  }, [session, socket]);

  /** The customer's Confirm / Cancel on a proposed action: the only way it runs (a typed "yes" is not one). */
  const decide = useCallback(
    async (actionId: string, decision: 'confirm' | 'decline') => {
      const id = conversationRef.current;
      if (!id) return;
      try {
        const r = await api.request<{ action: WireAction; message: WireMessage }>(`/conversations/${id}/actions/${actionId}`, { method: 'POST', body: { decision } });
        dispatch({ type: 'action', action: r.action });
        dispatch({ type: 'stored', messages: [r.message] });
      } catch (err) {
        // Already decided or expired: show why and the action's status as it is now.
        const details = err instanceof ApiError ? (err.details as { action?: WireAction } | undefined) : undefined;
        if (details?.action) dispatch({ type: 'action', action: details.action });
        setError(messageOf(err));
      }
    },
    [api],
  );

  // CSAT: asked once, when the conversation is resolved (by the assistant or a person), until rated or dismissed.
  const csat: 'ask' | 'thanks' | null = csatDone ?? (conversationId && view.status === 'resolved' && !rated && !readJson<boolean>(csatKey(conversationId)) ? 'ask' : null);
  const rate = useCallback(
    async (rating: number, comment: string) => {
      const id = conversationRef.current;
      if (!id) return;
      await api.request(`/conversations/${id}/feedback`, { body: { rating, ...(comment ? { comment } : {}) } });
      writeJson(csatKey(id), true);
      setRated(true);
      setCsatDone('thanks');
    },
    [api],
  );
  const dismissCsat = useCallback(() => {
    const id = conversationRef.current;
    if (id) writeJson(csatKey(id), true);
    setCsatDone(null);
    setRated(true);
  }, []);

  return {
    user,
    session,
    conversationId,
    view,
    socketStatus,
    everOnline,
    error,
    busy,
    maxChars,
    send,
    retry,
    setTyping,
    newConversation,
    decide,
    csat,
    rate,
    dismissCsat,
    clearError: () => {
      setError(null);
      setFailedSend(null);
    },
  };
}

function initialConversation(userId: string | null): string | null {
  if (userId) return readJson<string>(convKey(userId));
  return readJson<Visitor>(VISITOR_KEY)?.conversation_id ?? null;
}

/**
 * Links the visitor's conversation (if any) to the account just signed in, with its conversation
 * token as proof, and makes it that account's current conversation. The visitor's token is forgotten
 * either way: once linked it no longer opens the conversation, and one the server refuses is not theirs.
 */
async function keepVisitorConversation(api: ApiClient, userId: string): Promise<void> {
  const visitor = readJson<Visitor>(VISITOR_KEY);
  if (!visitor) return;
  try {
    await api.request(`/conversations/${visitor.conversation_id}/claim`, { body: { conversation_token: visitor.token } });
    writeJson(convKey(userId), visitor.conversation_id);
  } catch {
    // Gone or not theirs: the account's own conversation (or a new one) instead.
  }
  saveVisitor(null);
}

function forgetConversation(userId: string | null): void {
  if (userId) writeJson(convKey(userId), null);
  else saveVisitor(null);
}

/** Keeps the visitor conversation here and, in the widget, with the host page (where the frame's own storage may not last). */
function saveVisitor(visitor: Visitor | null): void {
  writeJson(VISITOR_KEY, visitor);
  tellHostVisitor(visitor);
}

/** True when the conversation's newest customer message is `text`, stored since about `sentAt`. */
async function storedMeanwhile(api: ApiClient, id: string, text: string, sentAt: number): Promise<boolean> {
  try {
    const c = await api.request<{ messages: WireMessage[] }>(`/conversations/${id}`);
    const last = c.messages.filter((m) => m.role === 'user').at(-1);
    // Five minutes of slack for a client clock that differs from the server's.
    return !!last && last.content === text && Date.parse(last.created_at) > sentAt - 300_000;
  } catch {
    return false;
  }
}

/** True on the ack, the refusal as an ApiError, false when neither came in time. */
function waitForAck(socket: RealtimeClient, clientId: string, timeoutMs: number): Promise<true | false | ApiError> {
  return new Promise((resolve) => {
    const done = (v: true | false | ApiError) => {
      clearTimeout(timer);
      off();
      offStatus();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    // The connection dropped (no answer to the probe, or closed): no ack will come over it.
    const offStatus = socket.onStatus((st) => {
      if (st !== 'online') done(false);
    });
    const off = socket.on((e) => {
      if (e.type === 'ack' && e.client_id === clientId) done(true);
      else if (e.type === 'error' && e.ref === 'message.send' && e.code !== 'internal_error') done(new ApiError(400, e.code, e.message));
    });
  });
}

/** A sentence for the visitor from any failure. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong; please try again';
}
