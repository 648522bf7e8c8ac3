/**
 * Child-process entry: the WebSocket load client. Opens thousands of connections (from its own
 * process, so their memory is not the server's), authenticates and joins them when asked, holds
 * them idle, and times the fan-out of one event to many of them. Commands arrive over IPC.
 */
import WebSocket from 'ws';

/** Opens `count` connections to `url` from `localAddress`; with a token each authenticates, and the first `join` follow `conversationId`. */
export interface ConnectCommand {
  cmd: 'connect';
  url: string;
  count: number;
  localAddress?: string;
  token?: string;
  conversationId?: string;
  join?: number;
  /** Handshakes in flight at once. */
  concurrency?: number;
}

/** Times `rounds` fan-outs: `bare` asks the bare server to broadcast, `app` sends a typing event on the first joined socket. */
export interface FanoutCommand {
  cmd: 'fanout';
  mode: 'bare' | 'app';
  conversationId?: string;
  expect: number;
  rounds: number;
  /** How long a round waits for its deliveries before it is reported short (ms). */
  deadlineMs?: number;
}

/**
 * One fan-out: time from sending the trigger to the first and to the last delivery, and how many
 * arrived. A round that did not get all `expected` deliveries by its deadline has `lastMs` NaN.
 */
export interface FanoutRound {
  firstMs: number;
  lastMs: number;
  received: number;
  expected: number;
  /** Sockets still open when the round ended. */
  open: number;
}

/** What `connect` did: connections open, failed, and (with a conversation) how many joined it. */
export interface ConnectResult {
  open: number;
  failed: number;
  joined: number;
  ms: number;
  firstError?: string;
}

const sockets: WebSocket[] = [];
const send = (msg: unknown) => process.send?.(msg);

/** The next message on a socket that `accept` takes, parsed (rejects on close, error or timeout). */
function nextMessage(ws: WebSocket, accept: (m: { type?: string; code?: string }) => boolean, timeoutMs = 60_000): Promise<{ type?: string }> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error, m?: { type?: string }) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      if (err) reject(err);
      else resolve(m!);
    };
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { type?: string; code?: string; message?: string };
      if (m.type === 'error') done(new Error(`${m.code}: ${m.message}`));
      else if (accept(m)) done(undefined, m);
    };
    const onClose = (code: number, reason: Buffer) => done(new Error(`closed ${code} ${reason.toString()}`));
    const timer = setTimeout(() => done(new Error('timed out waiting for the server')), timeoutMs);
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

/** Errors the service answers when a dependency is busy or down: the client should try again. */
const RETRYABLE = /^(dependency_unavailable|service_unavailable|rate_limited):/;
const RETRIES = 5;

/**
 * Sends `event` and waits for the reply `accept` takes; a retryable error (the database pool was
 * busy under load) is retried after a pause, as a real client would, up to 5 times.
 */
async function request(ws: WebSocket, event: unknown, accept: (m: { type?: string }) => boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const reply = nextMessage(ws, accept);
    ws.send(JSON.stringify(event));
    try {
      await reply;
      return;
    } catch (err) {
      if (attempt >= RETRIES || !RETRYABLE.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }
}

async function openOne(c: ConnectCommand, index: number): Promise<{ ws: WebSocket; joined: boolean }> {
  const ws = new WebSocket(c.url, { localAddress: c.localAddress, perMessageDeflate: false });
  ws.on('error', () => {}); // reported through open/close below
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  try {
    if (c.token) {
      await request(ws, { type: 'auth', token: c.token }, (m) => m.type === 'ready');
      if (c.conversationId && index < (c.join ?? 0)) {
        await request(ws, { type: 'conversation.join', conversation_id: c.conversationId }, (m) => m.type === 'joined');
        return { ws, joined: true };
      }
    }
  } catch (err) {
    ws.terminate(); // a failed connection is not left open (nor counted)
    throw err;
  }
  return { ws, joined: false };
}

async function connect(c: ConnectCommand): Promise<ConnectResult> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let joined = 0;
  let firstError: string | undefined;
  const base = sockets.length;
  await Promise.all(
    Array.from({ length: c.concurrency ?? 500 }, async () => {
      while (next < c.count) {
        const i = next++;
        try {
          const one = await openOne(c, i);
          sockets.push(one.ws);
          if (one.joined) joined++;
        } catch (err) {
          failed++;
          firstError ??= (err as Error).message;
        }
        if ((i + 1) % 2500 === 0) send({ type: 'progress', opened: i + 1 });
      }
    }),
  );
  return { open: sockets.length - base, failed, joined, ms: performance.now() - started, firstError };
}

/**
 * Times `rounds` fan-outs. A round ends when all `expect` deliveries are in, or at its deadline
 * (default 120 s: generous, so a loaded machine makes a round slow rather than failed); a short
 * round is reported with how many arrived and how many sockets were still open, not timed. Each
 * socket counts a round's event once; rounds alternate typing on and off, so a straggler of one
 * round does not count in the next.
 */
async function fanout(c: FanoutCommand): Promise<FanoutRound[]> {
  const rounds: FanoutRound[] = [];
  const deadlineMs = c.deadlineMs ?? 120_000;
  for (let r = 0; r < c.rounds; r++) {
    const on = r % 2 === 0;
    const seq = `${Date.now()}-${r}`;
    let received = 0;
    let firstMs = Number.NaN;
    let started = 0;
    const counted = new Set<WebSocket>();
    const matches = c.mode === 'bare' ? (m: { seq?: string }) => m.seq === seq : (m: { type?: string; on?: boolean; who?: string }) => m.type === 'typing' && m.on === on && m.who === 'staff';
    const lastMs = await new Promise<number>((resolve) => {
      const listeners = new Map<WebSocket, (data: WebSocket.RawData) => void>();
      const finish = (ms: number) => {
        clearTimeout(timer);
        for (const [ws, l] of listeners) ws.off('message', l);
        resolve(ms);
      };
      const timer = setTimeout(() => finish(Number.NaN), deadlineMs);
      for (const ws of sockets) {
        const l = function (this: WebSocket, data: WebSocket.RawData) {
          if (counted.has(this) || !matches(JSON.parse(data.toString()) as never)) return;
          counted.add(this);
          const at = performance.now() - started;
          if (received++ === 0) firstMs = at;
          if (received === c.expect) finish(at);
        };
        listeners.set(ws, l);
        ws.on('message', l);
      }
      started = performance.now();
      if (c.mode === 'bare') sockets[0]!.send(`broadcast:${JSON.stringify({ type: 'typing', seq, on })}`);
      else sockets[0]!.send(JSON.stringify({ type: 'typing', conversation_id: c.conversationId, on }));
    });
    const open = sockets.filter((ws) => ws.readyState === ws.OPEN).length;
    rounds.push({ firstMs, lastMs, received, expected: c.expect, open });
    if (Number.isNaN(lastMs)) send({ type: 'progress-note', note: `fan-out round ${r + 1}: ${received} of ${c.expect} delivered within ${deadlineMs / 1000} s (${open} sockets open)` });
    await new Promise((r2) => setTimeout(r2, 300));
  }
  return rounds;
}

async function closeAll(): Promise<{ closed: number }> {
  const n = sockets.length;
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          const t = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 5_000);
          ws.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          ws.close(1000);
        }),
    ),
  );
  sockets.length = 0;
  return { closed: n };
}

process.on('message', (raw) => {
  const cmd = raw as (ConnectCommand | FanoutCommand | { cmd: 'close' | 'stop' }) & { id: number };
  const work = cmd.cmd === 'connect' ? connect(cmd) : cmd.cmd === 'fanout' ? fanout(cmd) : closeAll();
  work.then(
    (value) => send({ id: cmd.id, ok: true, value }),
    (err: unknown) => send({ id: cmd.id, ok: false, error: (err as Error).message }),
  );
});
process.on('disconnect', () => {
  for (const ws of sockets) ws.terminate();
  process.exit(0);
});
send({ type: 'ready' });
