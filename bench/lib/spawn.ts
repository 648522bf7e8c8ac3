/**
 * Runs a TypeScript entry in a child Node process (its own event loop and memory, `--expose-gc`,
 * the open-files limit raised to the hard limit) and talks to it over IPC: the service under
 * benchmark (bench/lib/service-process.ts), the fake model (bench/lib/fake-process.ts), the bare
 * WebSocket server (bench/lib/bare-ws-process.ts) and the WebSocket load client (bench/lib/ws-load.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemoryFigures } from './memory.js';

/** How the service child is set up. */
export interface ServiceOptions {
  /** Environment for the service's configuration, on top of BENCH_ENV. */
  env?: Record<string, string>;
  /** Also serve the bare baseline route (POST /bare: one PostgreSQL insert). */
  bare?: boolean;
  /**
   * Also serve the minimal route (POST /minimal/:id: verify the JWT, count one rate limit in Redis,
   * insert the message, publish one event): what any implementation of a turn must do.
   */
  minimal?: boolean;
}

/** A command to the service child. */
export type ServiceCommand =
  | { cmd: 'login'; email: string }
  | { cmd: 'conversations'; email: string; count: number }
  | { cmd: 'memory' }
  | { cmd: 'cpu' }
  | { cmd: 'profile'; on: boolean; name?: string }
  | { cmd: 'stop' };

/** A child's answer to a command. */
export type ServiceReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** A child's memory after a full garbage collection, and its open WebSocket connections. */
export type MemorySample = MemoryFigures & { connections: number };

/** A child process with request/response messaging and its own messages as a stream. */
export interface Child<Ready> {
  ready: Ready;
  process: ChildProcess;
  /** Sends a command and waits for its reply. */
  request<T>(command: Record<string, unknown> & { cmd: string }, timeoutMs?: number): Promise<T>;
  /** Listens to the child's messages that are not replies (progress, results). */
  onMessage(listener: (msg: Record<string, unknown>) => void): void;
  /** Waits for the child to exit (after a command that ends it), killing it after `graceMs`. */
  exit(graceMs?: number): Promise<void>;
}

/** Spawns `entry` (a path relative to bench/lib) with `env` added; resolves when it sends `{type: 'ready'}`. */
export function spawnChild<Ready>(entry: string, env: Record<string, string>, readyTimeoutMs = 180_000): Promise<Child<Ready>> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  // Raise the soft open-files limit to the hard one (15,000 sockets need it on most systems).
  // BENCH_NODE_ARGS adds flags to the children, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, '--expose-gc', ...extra, '--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // SIGTERM: the service child then drops its scratch database before it goes.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners: ((msg: Record<string, unknown>) => void)[] = [];
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      process.off('exit', killOnExit);
      for (const p of pending.values()) p.reject(new Error(`${entry} exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not start within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    void exitPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited before it was ready`));
    });
    child.on('message', (raw) => {
      const msg = raw as Record<string, unknown>;
      if (typeof msg.id === 'number' && 'ok' in msg) {
        const reply = msg as ServiceReply;
        const p = pending.get(reply.id);
        pending.delete(reply.id);
        if (reply.ok) p?.resolve(reply.value);
        else p?.reject(new Error(reply.error));
        return;
      }
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve({
          ready: msg as Ready,
          process: child,
          request<T>(command: Record<string, unknown> & { cmd: string }, timeoutMs = 300_000) {
            if (exited) return Promise.reject(new Error(`${entry} has exited`));
            const id = nextId++;
            return new Promise<T>((res, rej) => {
              const t = setTimeout(() => {
                pending.delete(id);
                rej(new Error(`${entry}: ${command.cmd} timed out after ${timeoutMs} ms`));
              }, timeoutMs);
              pending.set(id, {
                resolve: (v) => {
                  clearTimeout(t);
                  res(v as T);
                },
                reject: (e) => {
                  clearTimeout(t);
                  rej(e);
                },
              });
              child.send({ ...command, id });
            });
          },
          onMessage: (l) => void listeners.push(l),
          async exit(graceMs = 30_000) {
            const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
            await exitPromise;
            clearTimeout(t);
          },
        });
        return;
      }
      for (const l of listeners) l(msg);
    });
  });
}

/** The service child's ports. */
export interface ServiceReady {
  port: number;
  barePort?: number;
  minimalPort?: number;
}

/** Starts the service (and the baselines asked for) in a child process. */
export async function spawnService(opts: ServiceOptions): Promise<Child<ServiceReady> & { stop(): Promise<void> }> {
  const child = await spawnChild<ServiceReady>('./service-process.ts', { BENCH_SERVICE: JSON.stringify(opts) });
  return {
    ...child,
    async stop() {
      await child.request({ cmd: 'stop' }, 60_000).catch(() => {});
      if (child.process.connected) child.process.disconnect(); // the child exits when its channel closes
      await child.exit();
    },
  };
}
