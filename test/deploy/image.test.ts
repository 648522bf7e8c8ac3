import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, type EmptyDatabase, freePort, type RunningProcess, startProcess, waitForHttp } from '../processes.js';
import { commandOf, copyOf, envOf, ofType, parseDockerfile, type Stage } from './dockerfile.js';

// The container image cannot be built on these machines (no container engine, no registry), so this
// file tests what can be: the Dockerfile's properties, and its steps carried out on copies of the
// tree — the build stage's build on exactly what it COPYs, then the runtime stage's COPYs, its
// `npm ci --omit=dev` and its CMD, which must serve /health (through the HEALTHCHECK command), the web
// app and a chat turn, with migrations that shipped in the build.

const ROOT = join(import.meta.dirname, '../..');
const { stages } = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const build = stages.find((s) => s.name === 'build')!;
const runtime = stages[stages.length - 1]!;
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** True when .dockerignore keeps this context path (relative, `/`-separated) out of the build context. */
function isIgnored(path: string): boolean {
  return ignored.some((pattern) => {
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]]/g, '\\$&')
        .replace(/\*\*\//g, '(?:.*/)?')
        .replace(/\*/g, '[^/]*')}(?:/.*)?$`,
    );
    return re.test(path);
  });
}

/** Carries out a stage's context COPYs (from the repository, .dockerignore applied) into `dir` (the WORKDIR). */
function copyContext(stage: Stage, dir: string, fromStages: Record<string, string> = {}): void {
  for (const i of ofType(stage, 'COPY')) {
    const { from, sources, dest } = copyOf(i);
    for (const source of sources) {
      if (from) {
        cpSync(join(fromStages[from]!, relative('/app', source)), join(dir, dest), { recursive: true });
        continue;
      }
      const target = dest.endsWith('/') || sources.length > 1 ? join(dir, dest, source) : join(dir, dest);
      cpSync(join(ROOT, source), target, { recursive: true, filter: (src) => !isIgnored(relative(ROOT, src)) });
    }
  }
}

/** The `&&`-separated commands of a stage's RUN instructions. */
function runCommands(stage: Stage): string[] {
  return ofType(stage, 'RUN').flatMap((i) => i.args.split('&&').map((c) => c.trim()));
}

/** A clean environment (no vitest or npm variables leak into the steps). */
const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };

function sh(command: string, cwd: string): void {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd, env: baseEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

describe('Dockerfile', () => {
  it('builds in one stage and runs in another with production dependencies only, as a non-root user, with an init and a health check', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runCommands(build)).toContain('npm run build');
    expect(runCommands(runtime).some((c) => /^npm ci\b.*--omit=dev/.test(c))).toBe(true);
    expect(envOf(runtime).NODE_ENV).toBe('production');
    const user = ofType(runtime, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(commandOf(ofType(runtime, 'ENTRYPOINT').at(-1)!.args)[0]).toMatch(/\/(tini|dumb-init)$/);
    expect(runCommands(runtime).some((c) => /apt-get install .*\btini\b/.test(c))).toBe(true);
    const health = ofType(runtime, 'HEALTHCHECK').at(-1)!.args;
    expect(health).toMatch(/\/health\b/);
    expect(commandOf(ofType(runtime, 'CMD').at(-1)!.args)).toEqual(expect.arrayContaining(['dist/main.js', './dist/instrumentation.js']));
    // The runtime stage takes the compiled server and the web app from the build stage, never the sources.
    const fromBuild = ofType(runtime, 'COPY')
      .map(copyOf)
      .filter((c) => c.from === 'build')
      .flatMap((c) => c.sources);
    expect(fromBuild).toEqual(expect.arrayContaining(['/app/dist', '/app/web/dist']));
    expect(
      ofType(runtime, 'COPY')
        .map(copyOf)
        .filter((c) => !c.from)
        .flatMap((c) => c.sources),
    ).not.toContain('src');
  });

  it('sends a build context without secrets, dependencies or old builds, and with everything the build stage copies', () => {
    for (const p of ['.env', '.git', 'node_modules', 'web/node_modules', 'dist', 'web/dist', 'data', 'coverage', 'src/app.test.ts']) expect(isIgnored(p), p).toBe(true);
    for (const i of ofType(build, 'COPY')) {
      for (const source of copyOf(i).sources) {
        expect(existsSync(join(ROOT, source)), source).toBe(true);
        expect(isIgnored(source), source).toBe(false);
      }
    }
  });
});

describe('the image steps on a copy of the tree', () => {
  let work: string;
  let db: EmptyDatabase;
  let proc: RunningProcess | undefined;
  let port: number;
  let runEnv: Record<string, string>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sb-image-'));
    const ctx = join(work, 'build');
    const app = join(work, 'runtime');
    // Build stage: its COPYs, `npm ci` (here: the repository's installed node_modules), then its other RUNs.
    copyContext(build, ctx);
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(ctx, 'node_modules'));
    for (const c of runCommands(build)) if (!/^npm ci\b/.test(c)) sh(c, ctx);
    // Runtime stage: its COPYs (context and build stage) and its npm ci; apt-get (tini) and the
    // chown of /app/data are system steps that need the image.
    copyContext(runtime, app, { build: ctx });
    for (const c of runCommands(runtime)) if (/^npm ci\b/.test(c)) sh(c, app);
    db = await createEmptyDatabase();
    port = await freePort();
    runEnv = {
      ...baseEnv,
      ...envOf(runtime),
      PORT: String(port),
      DATABASE_URL: db.url,
      JWT_SECRET: 'image-test-secret-0123456789abcdef0123456789',
      LOG_LEVEL: 'warn',
    };
    const [cmd, ...args] = commandOf(ofType(runtime, 'CMD').at(-1)!.args);
    proc = startProcess(cmd === 'node' ? process.execPath : cmd!, args, { cwd: app, env: runEnv });
    await waitForHttp(`http://127.0.0.1:${port}/health`, proc);
  }, 600_000);

  afterAll(async () => {
    await proc?.stop();
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs no build tool: no TypeScript, tsx, Vite or Vitest in the runtime node_modules', () => {
    const installed = readdirSync(join(work, 'runtime/node_modules'));
    for (const dev of ['typescript', 'tsx', 'vite', 'vitest', 'drizzle-kit', 'playwright-core']) expect(installed, dev).not.toContain(dev);
    expect(installed).toContain('fastify');
  });

  it('passes its HEALTHCHECK command, is ready, applied the shipped migrations and serves the web app', async () => {
    const [cmd, ...args] = commandOf(
      ofType(runtime, 'HEALTHCHECK')
        .at(-1)!
        .args.replace(/^(--\S+\s+)*CMD\s+/, ''),
    );
    const check = spawnSync(cmd === 'node' ? process.execPath : cmd!, args, { env: runEnv, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    await c.end();
    expect(rows[0].n).toBe(readdirSync(join(ROOT, 'src/db/migrations')).filter((f) => f.endsWith('.sql')).length);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers a chat turn', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'How long does shipping take?' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { conversation_id: string; assistant_message: { content: string; agent: string } };
    expect(body.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.assistant_message.content.length).toBeGreaterThan(0);
    expect(body.assistant_message.agent).toBe('faq');
  });

  it('stops cleanly on SIGTERM', async () => {
    expect(await proc!.stop()).toBe(0);
    proc = undefined;
  });
});
