// One WebSocket to /ws that stays up: authenticates, re-joins the conversations it follows after a
// reconnect with the last event id it saw (so nothing is missed or doubled), re-subscribes the staff
// queue, pings (browsers cannot send ping frames) and reconnects with backoff. A ping (or a probe on
// sending) that gets no answer within the heartbeat timeout drops the connection: a network that went
// away under an open socket shows as reconnecting within seconds instead of never.
import type { ClientEvent, NumberedEvent, ServerEvent } from '../../../src/contract/events';

export type SocketStatus = 'connecting' | 'online' | 'offline';

export interface RealtimeOptions {
  /** ws(s)://host/ws; defaults to this page's host. */
  url?: string;
  /** The token to authenticate with (a fresh access token or a conversation token); null: stay offline. */
  token: () => Promise<string | null>;
  /** Called when a reconnect is needed because the token was refused (renew it before the next try). */
  onAuthRefused?: (code: string) => void;
  /** Application ping interval. */
  pingMs?: number;
  /** A connection that sends nothing for this long after a ping (or a probe) is taken as dead. */
  heartbeatTimeoutMs?: number;
  /** A connection that is not ready this long after opening is given up and tried again. */
  connectTimeoutMs?: number;
}

/** Pings every 10 s; no answer within 5 s means the network dropped with the socket still open. */
const PING_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 8_000;

type Listener = (event: ServerEvent) => void;
type StatusListener = (status: SocketStatus) => void;

/** True for events numbered per conversation (they can be resumed). */
export function isNumbered(e: ServerEvent): e is NumberedEvent {
  return typeof (e as { id?: unknown }).id === 'number' && typeof (e as { conversation_id?: unknown }).conversation_id === 'string';
}

/** The WebSocket URL of this page's server. */
export function defaultSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

const AUTH_ERRORS = new Set(['invalid_token', 'token_expired', 'session_revoked']);

/** A reconnecting realtime connection. */
export class RealtimeClient {
  private ws: WebSocket | null = null;
  private ready = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  /** Armed by a ping or probe: fires when nothing came back in time. */
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Followed conversations and the last event id seen in each (undefined: live only). */
  private readonly joined = new Map<string, number | undefined>();
  private queueWanted = false;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<StatusListener>();
  private statusValue: SocketStatus = 'offline';

  constructor(private readonly opts: RealtimeOptions) {}

  get status(): SocketStatus {
    return this.statusValue;
  }

  /** Opens the connection (idempotent). */
  start(): void {
    this.stopped = false;
    if (!this.ws) void this.open();
  }

  /** Closes the connection for good. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.deadline);
    clearTimeout(this.connectTimer);
    this.ws?.close(1000, 'bye');
    this.ws = null;
    this.setStatus('offline');
  }

  /** Drops the connection and connects again now (e.g. after signing in with another token). */
  restart(): void {
    this.ws?.close(1000, 'restart');
    this.ws = null;
    this.ready = false;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.deadline);
    this.deadline = undefined;
    this.attempt = 0;
    if (!this.stopped) void this.open();
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Follows a conversation: live events from now (or after `lastEventId`), again after every reconnect. */
  join(conversationId: string, lastEventId?: number): void {
    const known = this.joined.get(conversationId);
    this.joined.set(conversationId, known ?? lastEventId);
    if (this.ready) this.send({ type: 'conversation.join', conversation_id: conversationId, ...(lastEventId !== undefined ? { last_event_id: lastEventId } : {}) });
  }

  /** Stops following a conversation. */
  leave(conversationId: string): void {
    if (!this.joined.delete(conversationId)) return;
    if (this.ready) this.send({ type: 'conversation.leave', conversation_id: conversationId });
  }

  /** The last event id seen in a conversation. */
  lastEventId(conversationId: string): number | undefined {
    return this.joined.get(conversationId);
  }

  /** Staff: follow the waiting queue. */
  subscribeQueue(): void {
    this.queueWanted = true;
    if (this.ready) this.send({ type: 'queue.subscribe' });
  }

  /** Sends an event; false when the connection is not ready (the caller falls back to REST). */
  send(event: ClientEvent): boolean {
    if (!this.ready || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(event));
    return true;
  }

  /** Resolves true once the connection is ready; false when it is down or not ready within `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (this.statusValue === 'offline') return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.onStatus((st) => {
        if (st === 'connecting') return;
        clearTimeout(timer);
        off();
        resolve(st === 'online');
      });
    });
  }

  /**
   * Checks that the connection still answers (a ping now): when nothing comes back within the
   * heartbeat timeout, it is dropped and a reconnect starts. Called on sending, so a network that
   * went away under an open socket is noticed in seconds, not at the next ping.
   */
  probe(): void {
    if (!this.ready || !this.ws) return;
    this.ws.send(JSON.stringify({ type: 'ping' }));
    this.armDeadline();
  }

  private armDeadline(): void {
    if (this.deadline !== undefined) return; // one deadline at a time: any frame clears it
    const ws = this.ws;
    this.deadline = setTimeout(() => {
      this.deadline = undefined;
      if (this.ws === ws && ws) this.dropped(ws);
    }, this.opts.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS);
  }

  /** The connection is dead (no answer, or never ready): forget it now and reconnect; its close may come much later. */
  private dropped(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.ready = false;
    clearInterval(this.pingTimer);
    clearTimeout(this.deadline);
    this.deadline = undefined;
    clearTimeout(this.connectTimer);
    try {
      ws.close(4001, 'heartbeat timeout');
    } catch {
      // already closing
    }
    if (this.stopped) return;
    this.setStatus('offline');
    this.scheduleReconnect();
  }

  /** True when events can be sent now. */
  get isReady(): boolean {
    return this.ready;
  }

  private setStatus(s: SocketStatus): void {
    if (s === this.statusValue) return;
    this.statusValue = s;
    for (const l of this.statusListeners) l(s);
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    this.setStatus('connecting');
    let token: string | null;
    try {
      token = await this.opts.token();
    } catch {
      token = null;
    }
    if (this.stopped) return;
    if (!token) {
      this.setStatus('offline');
      return;
    }
    const ws = new WebSocket(this.opts.url ?? defaultSocketUrl());
    this.ws = ws;
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.ws === ws && !this.ready) this.dropped(ws);
    }, this.opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (m) => {
      if (this.ws !== ws) return;
      // Anything from the server shows the connection is alive.
      clearTimeout(this.deadline);
      this.deadline = undefined;
      let event: ServerEvent;
      try {
        event = JSON.parse(String(m.data)) as ServerEvent;
      } catch {
        return;
      }
      this.handle(event);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      clearInterval(this.pingTimer);
      clearTimeout(this.deadline);
      this.deadline = undefined;
      clearTimeout(this.connectTimer);
      if (this.stopped) return;
      this.setStatus('offline');
      this.scheduleReconnect();
    };
  }

  private handle(event: ServerEvent): void {
    if (event.type === 'ready') {
      this.ready = true;
      this.attempt = 0;
      clearTimeout(this.connectTimer);
      this.setStatus('online');
      for (const [id, last] of this.joined) {
        this.send({ type: 'conversation.join', conversation_id: id, ...(last !== undefined ? { last_event_id: last } : {}) });
      }
      if (this.queueWanted) this.send({ type: 'queue.subscribe' });
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.probe(), this.opts.pingMs ?? PING_MS);
    } else if (event.type === 'joined') {
      if (this.joined.has(event.conversation_id)) {
        const known = this.joined.get(event.conversation_id);
        // Resume from the newest id when we had none (live only until now). After a gap, take the
        // server's position when it is behind ours: its ids started again (a server restart, a lost
        // counter), and keeping ours would drop every new event as already seen. (When it is ahead,
        // the events it still kept follow, numbered after ours.) The page reloads the history.
        if (known === undefined || (event.gap && event.last_event_id < known)) this.joined.set(event.conversation_id, event.last_event_id);
      }
    } else if (event.type === 'error' && AUTH_ERRORS.has(event.code)) {
      this.opts.onAuthRefused?.(event.code);
      this.ws?.close(4000, event.code);
      return;
    } else if (isNumbered(event)) {
      const last = this.joined.get(event.conversation_id);
      if (last !== undefined && event.id <= last) return; // already seen (defensive; the server sends each once)
      if (this.joined.has(event.conversation_id)) this.joined.set(event.conversation_id, event.id);
    }
    for (const l of this.listeners) l(event);
  }

  private scheduleReconnect(): void {
    const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }
}
