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
}

/** One fan-out: time from sending the trigger to the first and to the last delivery, and how many arrived. */
export interface FanoutRound {
  firstMs: number;
  lastMs: number;
  received: number;
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

async function openOne(c: ConnectCommand, index: number): Promise<WebSocket> {
  const ws = new WebSocket(c.url, { localAddress: c.localAddress, perMessageDeflate: false });
  ws.on('error', () => {}); // reported through open/close below
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (c.token) {
    const ready = nextMessage(ws, (m) => m.type === 'ready');
    ws.send(JSON.stringify({ type: 'auth', token: c.token }));
    await ready;
    if (c.conversationId && index < (c.join ?? 0)) {
      const joined = nextMessage(ws, (m) => m.type === 'joined');
      ws.send(JSON.stringify({ type: 'conversation.join', conversation_id: c.conversationId }));
      await joined;
    }
  }
  return ws;
}

async function connect(c: ConnectCommand): Promise<{ open: number; failed: number; ms: number; firstError?: string }> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const base = sockets.length;
  await Promise.all(
    Array.from({ length: c.concurrency ?? 500 }, async () => {
      while (next < c.count) {
        const i = next++;
        try {
          sockets.push(await openOne(c, i));
        } catch (err) {
          failed++;
          firstError ??= (err as Error).message;
        }
        if ((i + 1) % 2500 === 0) send({ type: 'progress', opened: i + 1 });
      }
    }),
  );
  return { open: sockets.length - base, failed, ms: performance.now() - started, firstError };
}

async function fanout(c: FanoutCommand): Promise<FanoutRound[]> {
  const rounds: FanoutRound[] = [];
  for (let r = 0; r < c.rounds; r++) {
    const on = r % 2 === 0;
    const seq = `${Date.now()}-${r}`;
    let received = 0;
    let firstMs = Number.NaN;
    let started = 0;
    const matches = c.mode === 'bare' ? (m: { seq?: string }) => m.seq === seq : (m: { type?: string; on?: boolean; who?: string }) => m.type === 'typing' && m.on === on && m.who === 'staff';
    const lastMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fan-out round ${r}: ${received} of ${c.expect} arrived within 30 s`)), 30_000);
      const listeners = new Map<WebSocket, (data: WebSocket.RawData) => void>();
      const finish = (ms: number) => {
        clearTimeout(timer);
        for (const [ws, l] of listeners) ws.off('message', l);
        resolve(ms);
      };
      for (const ws of sockets) {
        const l = (data: WebSocket.RawData) => {
          if (!matches(JSON.parse(data.toString()) as never)) return;
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
    rounds.push({ firstMs, lastMs, received });
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
