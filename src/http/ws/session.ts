import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { RawData, WebSocket } from 'ws';
import { isSessionRevoked } from '../../auth/sessions.js';
import type { AuthContext, TokenService } from '../../auth/tokens.js';
import { assertCanRead, audienceOf, isStaff } from '../../chat/access.js';
import { asStaff } from '../../chat/access.js';
import { postStaffMessage } from '../../chat/staff.js';
import { acceptCustomerMessage, type ChatDeps } from '../../chat/service.js';
import { getConversation } from '../../db/queries/conversations.js';
import { hasAnswerAfter, type Message } from '../../db/queries/messages.js';
import { AppError } from '../../errors.js';
import type { Cache } from '../../infra/cache.js';
import { dependencyUnavailable, failedDependency, RETRY_AFTER_SECONDS } from '../../util/deadline.js';
import type { EventBus, Unsubscribe } from '../../realtime/bus.js';
import { eventFor } from '../audience.js';
import { parseClientEvent } from './client-events.js';
import { ConversationFeed, type FeedHooks, type FeedStart } from './conversation-feed.js';
import { CLOSE_CODES, type ClientEvent, type ServerEvent } from '../../contract/events.js';
import type { Deadlines } from './deadlines.js';
import { TokenBucket, type ConnectionRegistry } from './limits.js';
import type { QueueFeed } from './queue-feed.js';
import type { TurnScheduler } from './turn-scheduler.js';

/** A stored customer message waiting for its answer. */
export interface TurnJob {
  auth: AuthContext;
  message: Message;
}

/** What every socket of one API process shares. */
export interface SessionContext {
  deps: ChatDeps & { bus: EventBus; tokens: TokenService; cache: Cache };
  scheduler: TurnScheduler<TurnJob>;
  queue: QueueFeed;
  registry: ConnectionRegistry;
  /** The open sessions of this process (a session adds itself, and leaves when its socket closes). */
  sessions: Set<SocketSession>;
  /** When each unauthenticated socket must have authenticated, and when each token expires: one timer for all sockets. */
  deadlines: Deadlines<SocketSession>;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** The most conversations one socket may follow at once (a staff console watches several). */
const MAX_FEEDS = 200;
/** A client this far behind on reading is dropped; it reconnects and resumes with last_event_id. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** A repeated "typing on" is passed on at most this often (clients may resend it as a keep-alive). */
const TYPING_REPEAT_MS = 3_000;
/** Where a socket keeps its session, so the socket's listeners can be functions every socket shares (a closure each costs heap). */
const SESSION = Symbol('session');
type SessionSocket = WebSocket & { [SESSION]?: SocketSession };
const sessionOf = (socket: WebSocket) => (socket as SessionSocket)[SESSION]!;

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  sessionOf(this).receive(isBinary ? null : data.toString());
}
function onPong(this: WebSocket): void {
  sessionOf(this).alive = true;
}
function onClose(this: WebSocket): void {
  void sessionOf(this).dispose();
}
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * One WebSocket connection: authenticates with its first event, follows the conversations its
 * token may see, sends messages and typing, and (staff) follows the waiting queue. Events are
 * handled one at a time in the order they arrive; a bad event gets an `error` event and the
 * connection stays open.
 */
export class SocketSession implements FeedHooks {
  readonly id = randomUUID();
  auth: AuthContext | null = null;
  userKey: string | null = null;
  /** Set by every pong; the heartbeat closes a connection that did not answer the previous ping. */
  alive = true;
  // Created on first use: most sockets follow one conversation or none, and never type.
  private feeds: Map<string, ConversationFeed> | null = null;
  private typing: Map<string, { on: boolean; at: number }> | null = null;
  private readonly bucket: TokenBucket;
  private stopQueue: Unsubscribe | null = null;
  /** The events being handled, one after another; null when none is. */
  private chain: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly socket: WebSocket,
    private readonly ctx: SessionContext,
  ) {
    const c = ctx.deps.config;
    this.bucket = new TokenBucket(c.WS_RATE_PER_MINUTE, c.WS_RATE_BURST);
    (socket as SessionSocket)[SESSION] = this;
    ctx.sessions.add(this);
    ctx.deadlines.set(this, Date.now() + c.WS_AUTH_TIMEOUT_MS);
    socket.on('message', onMessage);
    socket.on('pong', onPong);
    socket.on('close', onClose);
  }

  /** Its deadline came: the authentication timeout, or the token's expiry. */
  due(): void {
    if (!this.auth) this.socket.close(CLOSE_CODES.policyViolation, 'authentication required');
    else this.socket.close(CLOSE_CODES.policyViolation, 'token expired; reconnect with a fresh token');
  }

  /** Sends one event, unless the socket is gone; drops a client that does not read. */
  send(event: ServerEvent): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(CLOSE_CODES.tryAgainLater, 'too slow; reconnect with last_event_id');
      return;
    }
    this.socket.send(JSON.stringify(event));
  }

  /** The session (refresh family) of the user token this connection authenticated with, if any. */
  get sessionId(): string | null {
    return this.auth?.kind === 'user' ? (this.auth.sessionId ?? null) : null;
  }

  /**
   * The connection's session was ended (sign-out, refresh-token reuse): says so, closes with 4401
   * and sends nothing more (send() needs an open socket, and events that arrive meanwhile are dropped).
   */
  endRevokedSession(): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.send({ type: 'error', code: 'session_revoked', message: 'This session has ended; sign in again' });
    this.socket.close(CLOSE_CODES.sessionEnded, 'session ended; sign in again');
  }

  /** One frame from the client (null: a binary one). */
  receive(raw: string | null): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    const wait = this.bucket.take();
    if (wait > 0) {
      this.send({ type: 'error', code: 'rate_limited', message: `Too many events; retry in ${wait} ms` });
      return;
    }
    if (raw === null) {
      this.send({ type: 'error', code: 'invalid_event', message: 'Send events as JSON text frames' });
      return;
    }
    const parsed = parseClientEvent(raw);
    if (!parsed.ok) {
      this.send({ type: 'error', code: parsed.code, message: parsed.message, ...(parsed.ref ? { ref: parsed.ref } : {}) });
      return;
    }
    const event = parsed.event;
    const next = (this.chain ?? RESOLVED).then(() =>
      this.handle(event).catch((err: unknown) => {
        // A dependency that is down is what HTTP answers with a 503 and Retry-After, not an internal error.
        const dependency = err instanceof AppError ? null : failedDependency(err);
        const known = dependency ? dependencyUnavailable(dependency) : err;
        if (known instanceof AppError) {
          if (dependency) this.ctx.log.warn({ err, event: event.type, dependency }, 'dependency unavailable');
          const retry = known.status === 503 ? { retry_after_seconds: RETRY_AFTER_SECONDS } : {};
          this.send({ type: 'error', code: known.code, message: known.message, ref: event.type, ...retry });
        } else {
          this.ctx.log.error({ err, event: event.type }, 'websocket event failed');
          this.send({ type: 'error', code: 'internal_error', message: 'Something went wrong on our side', ref: event.type });
        }
      }),
    );
    this.chain = next;
    // An idle socket keeps no settled promise.
    void next.then(() => {
      if (this.chain === next) this.chain = null;
    });
  }

  private async handle(event: ClientEvent): Promise<void> {
    if (event.type === 'ping') return this.send({ type: 'pong' });
    if (event.type === 'auth') return this.authenticate(event.token);
    const auth = this.auth;
    if (!auth) throw new AppError('unauthenticated', 401, 'Send {"type":"auth","token":...} first');
    switch (event.type) {
      case 'conversation.join':
        return this.join(auth, event.conversation_id, event.last_event_id);
      case 'conversation.leave':
        this.feeds?.get(event.conversation_id)?.stop();
        this.feeds?.delete(event.conversation_id);
        this.typing?.delete(event.conversation_id);
        return this.send({ type: 'left', conversation_id: event.conversation_id });
      case 'message.send':
        return this.sendMessage(auth, event);
      case 'typing':
        return this.publishTyping(auth, event.conversation_id, event.on);
      case 'queue.subscribe':
        asStaff(auth);
        if (!this.stopQueue) this.stopQueue = await this.ctx.queue.add((snapshot) => this.send({ type: 'queue', ...snapshot }));
        if (this.closed) this.stopQueue();
        return;
      case 'queue.unsubscribe':
        this.stopQueue?.();
        this.stopQueue = null;
        return;
    }
  }

  private async authenticate(token: string): Promise<void> {
    if (this.auth) throw new AppError('already_authenticated', 409, 'This connection is already authenticated');
    const auth = await this.ctx.deps.tokens.verify(token);
    if (auth.kind === 'anonymous') throw new AppError('invalid_token', 401, 'This token cannot be used here');
    if (auth.kind === 'user' && auth.sessionId && (await isSessionRevoked(this.ctx.deps, auth.sessionId))) {
      throw new AppError('session_revoked', 401, 'This session has ended; sign in again');
    }
    const userKey = auth.kind === 'user' ? `user:${auth.userId}` : `conversation:${auth.conversationId}`;
    const max = this.ctx.deps.config.WS_MAX_CONNECTIONS_PER_USER;
    if (!(await this.ctx.registry.acquire(userKey, this.id, max))) {
      this.send({ type: 'error', code: 'too_many_connections', message: `At most ${max} connections at once; close another first` });
      this.socket.close(CLOSE_CODES.policyViolation, 'too many connections');
      return;
    }
    if (this.closed) {
      await this.ctx.registry.release(userKey, this.id);
      return;
    }
    this.auth = auth;
    this.userKey = userKey;
    // The connection lives no longer than its token: the client reconnects with a fresh one and resumes.
    const exp = decodeJwt(token).exp;
    if (exp !== undefined) this.ctx.deadlines.set(this, exp * 1000);
    else this.ctx.deadlines.delete(this);
    this.send({
      type: 'ready',
      user: auth.kind === 'user' ? { kind: 'user', id: auth.userId, role: auth.role } : { kind: 'conversation', id: auth.conversationId },
      max_message_chars: this.ctx.deps.config.MAX_MESSAGE_CHARS,
    });
  }

  private async join(auth: AuthContext, conversationId: string, lastEventId: number | undefined): Promise<void> {
    const conversation = await getConversation(this.ctx.deps.db, conversationId);
    assertCanRead(auth, conversation);
    this.feeds ??= new Map();
    const feeds = this.feeds;
    feeds.get(conversationId)?.stop();
    if (!feeds.has(conversationId) && feeds.size >= MAX_FEEDS) {
      throw new AppError('too_many_conversations', 409, `A connection may follow at most ${MAX_FEEDS} conversations`);
    }
    const feed = this.follow(conversationId, audienceOf(auth));
    feeds.set(conversationId, feed);
    try {
      await feed.start(lastEventId, ({ lastId, gap }) => this.send({ type: 'joined', conversation_id: conversationId, status: conversation.status, last_event_id: lastId, gap }));
    } catch (err) {
      if (feeds.get(conversationId) === feed) feeds.delete(conversationId);
      throw err;
    }
    if (this.closed) feed.stop();
  }

  /**
   * A feed of the conversation's events to this socket. Made here, away from join()'s locals, so
   * the one closure it keeps holds nothing but the audience (not the conversation row).
   */
  private follow(conversationId: string, audience: ReturnType<typeof audienceOf>): ConversationFeed {
    // Staff follow the full events; a customer's feed is cut down to what customers may see.
    return new ConversationFeed(
      this.ctx.deps.bus,
      conversationId,
      (e) => {
        const shown = eventFor(audience, e);
        if (shown) this.send(shown);
      },
      this,
    );
  }

  /** FeedHooks: a gap could not be filled from the retained events. */
  onFeedError(err: unknown, conversationId: string): void {
    this.ctx.log.warn({ err, conversationId }, 'could not fill a gap in the event feed');
  }

  /** FeedHooks: events this client missed are gone (Redis restarted): tell it as a join would, so it reloads. */
  onFeedGap({ lastId }: FeedStart, conversationId: string): void {
    void this.announceGap(conversationId, lastId);
  }

  /** A `joined` with `gap: true` for a feed that lost events while live, with the conversation's status now. */
  private async announceGap(conversationId: string, lastId: number): Promise<void> {
    try {
      const conversation = await getConversation(this.ctx.deps.db, conversationId);
      if (conversation && this.feeds?.has(conversationId)) this.send({ type: 'joined', conversation_id: conversationId, status: conversation.status, last_event_id: lastId, gap: true });
    } catch (err) {
      this.ctx.log.warn({ err, conversationId }, 'could not tell a client of a gap in the event feed');
    }
  }

  private async publishTyping(auth: AuthContext, conversationId: string, on: boolean): Promise<void> {
    if (!this.feeds?.has(conversationId)) throw new AppError('not_joined', 409, 'Join the conversation first');
    const now = Date.now();
    this.typing ??= new Map();
    const typing = this.typing;
    const last = typing.get(conversationId);
    if (last && last.on === on && (!on || now - last.at < TYPING_REPEAT_MS)) return;
    typing.set(conversationId, { on, at: now });
    await this.ctx.deps.bus.publish({ type: 'typing', conversation_id: conversationId, on, who: isStaff(auth) ? 'staff' : 'customer' });
  }

  private async sendMessage(auth: AuthContext, event: Extract<ClientEvent, { type: 'message.send' }>): Promise<void> {
    const max = this.ctx.deps.config.MAX_MESSAGE_CHARS;
    if (event.content.length > max) throw new AppError('message_too_long', 413, `A message may be at most ${max} characters (this one has ${event.content.length})`);
    const ack = (message: Message, created: boolean) => this.send({ type: 'ack', conversation_id: event.conversation_id, client_id: event.client_id, message_id: message.id, duplicate: !created });
    if (isStaff(auth)) {
      const { message, created } = await postStaffMessage(this.ctx.deps, asStaff(auth), event.conversation_id, event.content, event.client_id);
      return ack(message, created);
    }
    const { userMessage, created } = await acceptCustomerMessage(this.ctx.deps, auth, event.conversation_id, event.content, event.client_id);
    ack(userMessage, created);
    // A retry of a message that was stored but never answered (the process died) gets its answer now.
    const unanswered = !created && !this.ctx.scheduler.busy(event.conversation_id) && !(await hasAnswerAfter(this.ctx.deps.db, userMessage));
    if (created || unanswered) this.ctx.scheduler.submit(event.conversation_id, { auth, message: userMessage });
  }

  /** The socket closed: stops its feeds and deadlines and gives its connection slot back. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ctx.sessions.delete(this);
    this.ctx.deadlines.delete(this);
    if (this.feeds) for (const feed of this.feeds.values()) feed.stop();
    this.feeds = null;
    this.typing = null;
    this.stopQueue?.();
    this.stopQueue = null;
    if (this.userKey) {
      await this.ctx.registry.release(this.userKey, this.id).catch((err: unknown) => this.ctx.log.warn({ err }, 'could not release a connection slot'));
    }
  }
}
