import WebSocket, { type ClientOptions } from 'ws';
import type { ClientEvent, ServerEvent } from '../src/contract/events.js';

/** A WebSocket test client over a real socket: records every server event and waits for the ones a test expects. */
export class WsClient {
  readonly events: ServerEvent[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.events.push(JSON.parse(data.toString()) as ServerEvent);
      for (const w of [...this.waiters]) w();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const w of [...this.waiters]) w();
      });
    });
    socket.on('error', () => {});
  }

  /** Opens a socket to `baseUrl` + /ws. */
  static open(baseUrl: string, opts: ClientOptions = {}): Promise<WsClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, opts);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new WsClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Opens, authenticates and waits for `ready`. */
  static async connect(baseUrl: string, token: string): Promise<WsClient> {
    const c = await WsClient.open(baseUrl);
    c.send({ type: 'auth', token });
    await c.waitFor((e) => e.type === 'ready');
    return c;
  }

  send(event: ClientEvent | string): void {
    this.socket.send(typeof event === 'string' ? event : JSON.stringify(event));
  }

  /** The first event at index ≥ `from` that matches, waiting for it if it has not come yet. */
  waitFor<T extends ServerEvent = ServerEvent>(match: (e: ServerEvent) => boolean, opts: { from?: number; timeoutMs?: number } = {}): Promise<T> {
    const from = opts.from ?? 0;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(from).find(match);
        if (found) {
          done();
          resolve(found as T);
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`socket closed before the expected event; got ${JSON.stringify(this.events.slice(from).map((e) => e.type))}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`expected event did not arrive; got ${JSON.stringify(this.events.slice(from).map((e) => e.type))}`));
      }, opts.timeoutMs ?? 10_000);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Joins a conversation and waits for `joined`. */
  async join(conversationId: string, lastEventId?: number): Promise<Extract<ServerEvent, { type: 'joined' }>> {
    const from = this.events.length;
    this.send({ type: 'conversation.join', conversation_id: conversationId, ...(lastEventId !== undefined ? { last_event_id: lastEventId } : {}) });
    return this.waitFor((e) => (e.type === 'joined' && e.conversation_id === conversationId) || e.type === 'error', { from });
  }

  /** The numbered events of one conversation received so far. */
  conversationEvents(conversationId: string): Extract<ServerEvent, { id: number }>[] {
    return this.events.filter((e): e is Extract<ServerEvent, { id: number }> => 'id' in e && e.conversation_id === conversationId);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}
