// Throwaway PostgreSQL and Redis servers for fault tests: each on a free loopback port with its own
// data directory, so a test can stop and restart them under load. The machine's shared services,
// which every other test uses, are never touched.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

// initdb and postgres refuse to run as root: as root, run them as the postgres user.
const asRoot = process.getuid?.() === 0;
function pgCommand(bin: string, args: string[]): void {
  const cmd = path.join(PG_BIN, bin);
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

/** A PostgreSQL cluster of its own (initdb + pg_ctl), trust auth, on a free port. */
export class ThrowawayPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly settings: Readonly<Record<string, string>>,
  ) {}

  /** The connection string of a database on this cluster. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** `settings` are server settings (`-c name=value`), e.g. `{ shared_buffers: '1GB' }`. */
  static async start(settings: Readonly<Record<string, string>> = {}): Promise<ThrowawayPostgres> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-fault-pg-'));
    chmodSync(dir, 0o700);
    if (asRoot) {
      const { uid, gid } = { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
      chownSync(dir, uid, gid);
    }
    pgCommand('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const p = new ThrowawayPostgres(await freePort(), dir, settings);
    await p.startServer();
    return p;
  }

  private async startServer(): Promise<void> {
    // fsync off: this cluster holds test data only; a restart is what is under test, not a crash of the disk.
    const opts = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c fsync=off -c max_connections=200${Object.entries(this.settings)
      .map(([k, v]) => ` -c ${k}=${v}`)
      .join('')}`;
    pgCommand('pg_ctl', ['-D', this.dir, '-o', opts, '-l', path.join(this.dir, 'server.log'), '-w', 'start']);
    await waitUntil('PostgreSQL', async () => {
      const c = new pg.Client({ connectionString: this.url() });
      await c.connect();
      await c.end();
      return true;
    });
  }

  /** Stops the server (fast shutdown: open connections are terminated, as in a failover). */
  stop(): void {
    pgCommand('pg_ctl', ['-D', this.dir, '-m', 'fast', '-w', 'stop']);
  }

  /** Starts it again on the same port with the same data. */
  restart(): Promise<void> {
    return this.startServer();
  }

  /** Creates a database on the cluster. */
  async createDatabase(name: string): Promise<string> {
    const c = new pg.Client({ connectionString: this.url() });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    return this.url(name);
  }

  /** Stops the server if it runs and removes its data directory. */
  destroy(): void {
    try {
      this.stop();
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A redis-server of its own on a free port, without persistence (a restart loses every key); with
 * `snapshots`, a snapshot taken by `save()` is what a restart loads (keys written after it are lost,
 * as when Redis crashes between two RDB saves).
 */
export class ThrowawayRedis {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly dir: string | null,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** `port`: a free port chosen beforehand (a client may already be trying to reach it). */
  static async start(opts: { snapshots?: boolean; port?: number } = {}): Promise<ThrowawayRedis> {
    const r = new ThrowawayRedis(opts.port ?? (await freePort()), opts.snapshots ? mkdtempSync(path.join(os.tmpdir(), 'sb-fault-redis-')) : null);
    await r.restart();
    return r;
  }

  /** Writes a snapshot now (SAVE), which the next restart loads. */
  async save(): Promise<void> {
    if (!this.dir) throw new Error('this redis-server keeps no snapshots');
    const c = new Redis(this.url, { maxRetriesPerRequest: 0 });
    try {
      await c.save();
    } finally {
      c.disconnect();
    }
  }

  /** Starts the server (again) on the same port: empty, or (with snapshots) from the last one saved. */
  async restart(): Promise<void> {
    const files = this.dir ? ['--dir', this.dir, '--dbfilename', 'dump.rdb'] : [];
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...files], { stdio: 'ignore' });
    await waitUntil('Redis', async () => {
      const c = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => {});
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } finally {
        c.disconnect();
      }
    });
  }

  /** Kills the server (SIGKILL: no goodbye to clients, as in a crash). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async destroy(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
