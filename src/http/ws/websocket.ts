import websocket from '@fastify/websocket';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import fp from 'fastify-plugin';
import { waitingQueue } from '../../chat/staff.js';
import { answerMessage } from '../../chat/service.js';
import { getConversation } from '../../db/queries/conversations.js';
import { revokedRefreshFamilies } from '../../db/queries/refresh-tokens.js';
import { AppError } from '../../errors.js';
import { invalidateMemory } from '../../memory/memory.js';
import { CLOSE_CODES } from '../../contract/events.js';
import { Deadlines } from './deadlines.js';
import { MemoryConnectionRegistry, RedisConnectionRegistry, type ConnectionRegistry } from './limits.js';
import { QueueFeed } from './queue-feed.js';
import { SocketSession, type SessionContext, type TurnJob } from './session.js';
import { TurnScheduler } from './turn-scheduler.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The realtime layer of this process. */
    realtime: {
      /** Open WebSocket connections. */
      connections(): number;
      /** Resolves once no debounced turn waits or runs. */
      idle(): Promise<void>;
    };
  }
}

/** How long shutdown waits for clients to acknowledge the close before cutting them off. */
const CLOSE_GRACE_MS = 2_000;
/** Session ids per query when the heartbeat checks open sockets against PostgreSQL. */
const SWEEP_BATCH = 1_000;

/**
 * The realtime endpoint `GET /ws`: WebSocket sessions, the debounced turn runner they share, the
 * staff queue feed, heartbeat, and a graceful shutdown that tells clients to reconnect. On close
 * it answers what is still queued, then stops the event bus's subscribers.
 */
export default fp(
  async function realtime(app: FastifyInstance) {
    const deps = app.deps;
    const config = deps.config;
    const sessions = new Set<SocketSession>();

    const scheduler = new TurnScheduler<TurnJob>(
      config.CHAT_DEBOUNCE_MS,
      async (conversationId, batch) => {
        const conversation = await getConversation(deps.db, conversationId);
        // A human took over (or the conversation closed) while the messages waited: the AI stays silent.
        if (!conversation || conversation.status === 'human' || conversation.status === 'closed') return;
        const last = batch[batch.length - 1]!;
        let userMessage = last.message;
        if (batch.length > 1) {
          // A burst is answered once: the turn reads the messages together, and its memory is read
          // afresh so it holds each of them as stored (the cached memory adds only the one it answers).
          userMessage = { ...last.message, content: batch.map((j) => j.message.content).join('\n') };
          await invalidateMemory(deps, conversationId);
        }
        try {
          await answerMessage(deps, last.auth, conversation, userMessage);
        } catch (err) {
          const known = err instanceof AppError;
          if (!known || err.status >= 500) app.log.error({ err, conversationId }, 'turn failed');
          await deps.bus.publish({
            type: 'turn.failed',
            conversation_id: conversationId,
            code: known ? err.code : 'turn_failed',
            message: known ? err.message : 'The assistant could not answer; please send your message again',
          });
        }
      },
      (err, conversationId) => app.log.error({ err, conversationId }, 'turn scheduler failed'),
    );
    const queue = new QueueFeed(
      deps.bus,
      () => waitingQueue(deps.db),
      (err) => app.log.error({ err }, 'could not load the waiting queue'),
    );
    const registry: ConnectionRegistry = deps.redis
      ? new RedisConnectionRegistry(deps.redis, config.REDIS_KEY_PREFIX, config.WS_SLOT_TTL_SECONDS * 1000, (err) => app.log.warn({ err }, 'could not refresh websocket connection slots'))
      : new MemoryConnectionRegistry();
    const deadlines = new Deadlines<SocketSession>((s) => s.due());
    const ctx: SessionContext = { deps, scheduler, queue, registry, sessions, deadlines, log: app.log };

    // One listener for every socket's errors (it gets the socket as `this`).
    function onSocketError(this: WebSocket, err: Error): void {
      app.log.debug({ err }, 'websocket error');
      if (this.readyState === this.OPEN) this.close(1011, 'internal error');
    }

    await app.register(websocket, {
      // No compression: a deflate context per socket costs far more memory than these small JSON
      // events save. No client tracking: `sessions` is the list of open sockets.
      options: { maxPayload: config.WS_MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false },
      // ws has already sent the close frame (1009 for an oversized frame, 1002 for a protocol error).
      errorHandler: (err, socket) => {
        app.log.debug({ err }, 'websocket error');
        if (socket.readyState === socket.OPEN) socket.close(1011, 'internal error');
      },
      preClose: async () => {
        const open = [...sessions].filter((s) => s.socket.readyState === s.socket.OPEN || s.socket.readyState === s.socket.CONNECTING);
        const closedAll = Promise.all(open.map((s) => new Promise<void>((resolve) => s.socket.once('close', () => resolve()))));
        for (const s of open) s.socket.close(CLOSE_CODES.goingAway, 'server shutting down; reconnect with last_event_id');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closedAll, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
        clearTimeout(timer);
        for (const s of sessions) s.socket.terminate();
        app.websocketServer.close();
      },
    });

    app.decorate('realtime', { connections: () => sessions.size, idle: () => scheduler.idle() });

    app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, request) => {
      releaseUpgrade(socket, request, onSocketError);
      new SocketSession(socket, ctx);
    });

    // A session ended in any process (sign-out, refresh-token reuse) closes its sockets here at once.
    const stopSessionSignal = deps.bus.onSignal('session.ended', (sessionId) => {
      for (const s of sessions) if (s.sessionId === sessionId) s.endRevokedSession();
    });
    // The signal rides on Redis pub/sub, which may lose it (Redis down or restarting at the sign-out);
    // PostgreSQL holds the revocation, so every heartbeat also asks it about the open sockets' sessions.
    let sweeping = false;
    const sweepEndedSessions = async () => {
      if (sweeping) return;
      sweeping = true;
      try {
        const ids = [...new Set([...sessions].map((s) => s.sessionId).filter((id): id is string => id !== null))];
        for (let i = 0; i < ids.length; i += SWEEP_BATCH) {
          const ended = new Set(await revokedRefreshFamilies(deps.db, ids.slice(i, i + SWEEP_BATCH)));
          if (ended.size === 0) continue;
          for (const s of sessions) if (s.sessionId !== null && ended.has(s.sessionId)) s.endRevokedSession();
        }
      } catch (err) {
        app.log.warn({ err }, 'could not check open WebSockets for ended sessions');
      } finally {
        sweeping = false;
      }
    };

    // Heartbeat: a connection that missed the previous ping is dead (its slot goes with it on close).
    const heartbeat = setInterval(() => {
      void sweepEndedSessions();
      for (const s of sessions) {
        if (!s.alive) {
          s.socket.terminate();
          continue;
        }
        s.alive = false;
        s.socket.ping();
      }
    }, config.WS_HEARTBEAT_MS);
    heartbeat.unref();

    app.addHook('onClose', async () => {
      clearInterval(heartbeat);
      deadlines.clear();
      stopSessionSignal();
      registry.close();
      queue.close();
      await scheduler.close();
      await deps.bus.close();
    });
  },
  { name: 'realtime', dependencies: ['auth'] },
);

/**
 * Lets the upgrade request's objects go once the socket is open. Otherwise every idle socket keeps
 * them for its whole life (~3 KB of heap): @fastify/websocket's error listener holds Fastify's
 * request and reply, and the TCP socket still points at the upgrade's ServerResponse, which points
 * at the IncomingMessage. Errors go to `onError`, shared by all sockets, instead.
 */
function releaseUpgrade(socket: WebSocket, request: FastifyRequest, onError: (this: WebSocket, err: Error) => void): void {
  // Ours first, then theirs off: with two listeners removing one leaves the other in place, where
  // removing the only one would `delete` the key and turn the socket's listener table into a slower,
  // larger dictionary.
  const theirs = socket.listeners('error') as ((err: Error) => void)[];
  socket.on('error', onError);
  for (const l of theirs) socket.off('error', l);
  const tcp = request.raw.socket as (Socket & { _httpMessage?: ServerResponse | null }) | null | undefined;
  const response = tcp?._httpMessage;
  if (tcp && response) response.detachSocket(tcp);
}
