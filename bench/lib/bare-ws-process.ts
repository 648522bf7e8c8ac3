/**
 * Child-process entry: the WebSocket baseline — a bare `ws` server on loopback that only holds
 * connections, and sends the payload of a text frame "broadcast:<payload>" to its first `fanout`
 * connections (BENCH_BARE_WS = {"fanout": n}). Answers `memory` and `stop` over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { measureMemory } from './memory.js';

const { fanout } = JSON.parse(process.env.BENCH_BARE_WS ?? '{}') as { fanout?: number };
const send = (msg: unknown) => process.send?.(msg);
const http = createServer();
const wss = new WebSocketServer({ server: http });
const sockets = new Set<WebSocket>();

wss.on('connection', (ws) => {
  sockets.add(ws);
  ws.on('close', () => sockets.delete(ws));
  ws.on('message', (data) => {
    const text = data.toString();
    if (!text.startsWith('broadcast:')) return;
    const payload = text.slice('broadcast:'.length);
    let n = fanout ?? sockets.size;
    for (const s of sockets) {
      if (n-- <= 0) break;
      s.send(payload);
    }
  });
});

const stop = async () => {
  for (const s of wss.clients) s.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => http.close(() => resolve()));
};

process.on('message', (raw) => {
  const cmd = raw as { id: number; cmd: 'memory' | 'stop' };
  void (cmd.cmd === 'memory' ? measureMemory().then((m) => ({ ...m, connections: sockets.size })) : stop().then(() => ({}))).then(
    (value) => send({ id: cmd.id, ok: true, value }),
    (err: unknown) => send({ id: cmd.id, ok: false, error: String(err) }),
  );
});
process.on('disconnect', () => void stop().finally(() => process.exit(0)));

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
send({ type: 'ready', port: (http.address() as AddressInfo).port });
