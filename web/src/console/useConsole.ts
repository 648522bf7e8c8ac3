// The staff console's state: the signed-in staff member, one socket for the waiting queue and the
// open conversation, and the actions on it (take over, reply, release).
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, newId } from '../lib/api';
import { conversationReducer, emptyConversation } from '../lib/conversation';
import { SessionStore } from '../lib/session';
import { useTypingSender } from '../lib/typing';
import { isNumbered, RealtimeClient, type SocketStatus } from '../lib/socket';
import type { Conversation, QueueSnapshot, Ticket, WireMessage } from '../lib/types';
import type { StaffConversation, StaffMember } from './desk-types';

/** The open conversation's record (status, who holds it). */
export type OpenConversation = Conversation & { messages?: WireMessage[] };

/** Everything the console shows and does. */
export function useConsole() {
  const session = useMemo(() => new SessionStore('switchboard.console.session'), []);
  const user = useSyncExternalStore(
    (l) => session.subscribe(l),
    () => session.user,
  );
  const staff = user && user.role !== 'customer' ? user : null;
  const api = session.api;
  const [queue, setQueue] = useState<QueueSnapshot | null>(null);
  const [socketStatus, setSocketStatus] = useState<SocketStatus>('offline');
  const [openId, setOpenId] = useState<string | null>(null);
  const [open, setOpen] = useState<OpenConversation | null>(null);
  const [view, dispatch] = useReducer(conversationReducer, emptyConversation);
  const [error, setError] = useState<string | null>(null);
  // Who holds the open conversation, its customer and ticket (GET /staff/conversations/:id); the team.
  const [detail, setDetail] = useState<StaffConversation | null>(null);
  const [members, setMembers] = useState<StaffMember[]>([]);
  const openRef = useRef(openId);
  openRef.current = openId;

  const socket = useMemo(
    () =>
      new RealtimeClient({
        token: () => session.freshToken(),
        onAuthRefused: () => void session.renew(),
      }),
    [session],
  );

  const loadConversation = useCallback(
    async (id: string) => {
      try {
        const c = await api.request<OpenConversation>(`/conversations/${id}`);
        if (openRef.current !== id) return;
        setOpen(c);
        dispatch({ type: 'history', messages: c.messages ?? [], status: c.status, handoff_reason: c.handoff_reason, ticket_number: c.ticket_number, assignee: c.assignee });
      } catch (err) {
        setError(err instanceof ApiError ? err.message : 'Could not load the conversation');
      }
    },
    [api],
  );

  const loadDetail = useCallback(
    async (id: string) => {
      try {
        const d = await api.request<StaffConversation>(`/staff/conversations/${id}`);
        if (openRef.current === id) setDetail(d);
      } catch {
        // The pane still works without it; the conversation's own load reports errors.
      }
    },
    [api],
  );

  useEffect(() => {
    if (!staff) return;
    void api
      .request<{ items: StaffMember[] }>('/staff/members')
      .then((r) => setMembers(r.items))
      .catch(() => undefined);
  }, [staff?.id, api]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!staff) return;
    const offStatus = socket.onStatus(setSocketStatus);
    const off = socket.on((e) => {
      if (e.type === 'queue') setQueue(e);
      else if (e.type === 'joined' && e.conversation_id === openRef.current) {
        dispatch({ type: 'status', status: e.status });
        setOpen((c) => (c && c.id === e.conversation_id ? { ...c, status: e.status } : c));
        if (e.gap) void loadConversation(e.conversation_id);
      } else if (e.type === 'error' && e.ref !== 'typing') setError(e.message);
      else if (isNumbered(e) && e.conversation_id === openRef.current) {
        dispatch({ type: 'event', event: e });
        if (e.type === 'handoff') {
          setOpen((c) => (c ? { ...c, status: e.status, assigned_to: e.status === 'human' ? (e.by?.id ?? null) : null } : c));
          void loadDetail(e.conversation_id);
        }
      }
    });
    socket.subscribeQueue();
    socket.start();
    void api
      .request<QueueSnapshot>('/staff/queue')
      .then((q) => setQueue((cur) => cur ?? q))
      .catch(() => undefined);
    return () => {
      off();
      offStatus();
      socket.stop();
    };
  }, [staff?.id, socket, api, loadConversation, loadDetail]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    dispatch({ type: 'reset' });
    setOpen(null);
    setDetail(null);
    if (!openId || !staff) return;
    socket.join(openId);
    void loadConversation(openId);
    void loadDetail(openId);
    return () => socket.leave(openId);
  }, [openId, staff?.id, socket, loadConversation, loadDetail]); // eslint-disable-line react-hooks/exhaustive-deps

  const act = useCallback(
    async (what: 'takeover' | 'release' | 'assign', assignee?: string) => {
      const id = openRef.current;
      if (!id) return;
      setError(null);
      try {
        const c = await api.request<OpenConversation>(`/conversations/${id}/${what}`, { method: 'POST', body: what === 'assign' ? { assigned_to: assignee } : undefined });
        setOpen((cur) => (cur && cur.id === id ? { ...cur, ...c } : cur));
        dispatch({ type: 'status', status: c.status });
        void loadDetail(id);
      } catch (err) {
        setError(err instanceof ApiError ? err.message : `Could not ${what === 'takeover' ? 'take over' : what} the conversation`);
      }
    },
    [api, loadDetail],
  );

  /** A ticket changed from the console: the open conversation's ticket summary follows. */
  const ticketChanged = useCallback((t: Ticket) => {
    setDetail((d) => (d?.ticket?.id === t.id ? { ...d, ticket: { id: t.id, ticket_number: t.ticket_number, status: t.status, priority: t.priority, assigned_to: t.assigned_to } } : d));
  }, []);

  const reply = useCallback(
    async (content: string) => {
      const id = openRef.current;
      if (!id) return;
      setError(null);
      const clientId = newId();
      dispatch({ type: 'pending', client_id: clientId, content, conversation_id: id });
      try {
        const { message } = await api.request<{ message: WireMessage }>(`/conversations/${id}/staff-messages`, { body: { content, client_id: clientId } });
        dispatch({ type: 'ack', client_id: clientId, message_id: message.id });
        dispatch({ type: 'stored', messages: [message] });
      } catch (err) {
        dispatch({ type: 'send_failed', client_id: clientId });
        setError(err instanceof ApiError ? err.message : 'Could not send the reply');
      }
    },
    [api],
  );

  const setTyping = useTypingSender(socket, openRef);

  return {
    session,
    socket,
    user,
    staff,
    api,
    queue,
    socketStatus,
    openId,
    setOpenId,
    open,
    view,
    error,
    clearError: () => setError(null),
    takeOver: () => act('takeover'),
    release: () => act('release'),
    assign: (userId: string) => act('assign', userId),
    detail,
    members,
    ticketChanged,
    reply,
    setTyping,
  };
}
