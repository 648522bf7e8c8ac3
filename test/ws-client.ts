import { expect } from 'vitest';
import WebSocket, { type ClientOptions } from 'ws';
import type { ClientEvent, ServerEvent } from '../src/contract/events.js';
import { messageOfRef } from '../src/realtime/token-coalescer.js';

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

type Numbered = Extract<ServerEvent, { id: number }>;

/**
 * What a client that resumed after `lastId` must have received, given what a client that followed the
 * conversation all along did (`observed`): the same events with the same ids, in order, each once,
 * except that the replay no longer keeps the token events of a message completed meanwhile (its
 * `message.completed` carries the text; docs/realtime.md). So the resumer may lack the first tokens
 * of a message it then gets completed, and nothing else. Returns the tokens it lacks.
 */
export function expectResumed(resumed: readonly Numbered[], observed: readonly Numbered[], lastId: number): Numbered[] {
  const expected = observed.filter((e) => e.id > lastId);
  const got = new Set(resumed.map((e) => e.id));
  const lacking = expected.filter((e) => !got.has(e.id));
  const completed = new Set(resumed.flatMap((e) => (e.type === 'message.completed' ? [e.message.id] : [])));
  for (const e of lacking) {
    expect(e.type, `event ${e.id} (${e.type}) is missing from the resume`).toBe('token');
    const message = e.type === 'token' ? messageOfRef(e.message_ref) : '';
    expect(completed.has(message), `token ${e.id} is missing though its message ${message} was not completed`).toBe(true);
    // Only the first ones: once the resumer has a token of the message, it has every later one.
    const earlier = resumed.find((r) => r.type === 'token' && messageOfRef(r.message_ref) === message && r.id < e.id);
    expect(earlier, `token ${e.id} is missing after an earlier token of its message arrived`).toBeUndefined();
  }
  expect(resumed).toEqual(expected.filter((e) => got.has(e.id)));
  return lacking;
}
