import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from './config.js';

/**
 * `npm run cluster -- --api N --workers M`: runs N API processes (default: one per core) on
 * consecutive ports from PORT, and M job workers (default 1), against DATABASE_URL and REDIS_URL; a
 * load balancer in front spreads the traffic. Each child is the same program as `npm start` or
 * `npm run worker`; one that dies is restarted (backoff up to 30 s); SIGTERM or SIGINT stops them
 * all, each draining as it would alone. With METRICS_PORT set, every child gets its own, consecutive
 * after it (APIs first, then workers).
 */

interface Child {
  name: string;
  file: string;
  env: Record<string, string>;
  proc?: ChildProcess;
  restarts: number;
}

const { values } = parseArgs({
  options: { api: { type: 'string' }, workers: { type: 'string' } },
  allowPositionals: false,
});
const apis = values.api ? Number(values.api) : availableParallelism();
const workers = values.workers ? Number(values.workers) : 1;
if (!Number.isInteger(apis) || apis < 1 || !Number.isInteger(workers) || workers < 0) {
  console.error('[cluster] --api must be a whole number ≥ 1 and --workers ≥ 0');
  process.exit(64);
}
const config = loadConfigOrExit();
if (!config.DATABASE_URL || !config.REDIS_URL) {
  console.error('[cluster] needs DATABASE_URL and REDIS_URL: processes share PostgreSQL, and Redis carries their events, rate limits and jobs');
  process.exit(78);
}

// The children run the way this file runs: compiled (dist/*.js) or, in development, through tsx.
const ext = extname(fileURLToPath(import.meta.url));
const entry = (name: string) => fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
const instrumentation = entry('instrumentation');
const children: Child[] = [];
for (let i = 0; i < apis; i++) {
  const env: Record<string, string> = { PORT: String(config.PORT + i), OTEL_SERVICE_NAME: `${config.OTEL_SERVICE_NAME}-api` };
  if (config.METRICS_PORT) env.METRICS_PORT = String(config.METRICS_PORT + i);
  children.push({ name: `api-${i + 1}`, file: entry('main'), env, restarts: 0 });
}
for (let i = 0; i < workers; i++) {
  const env: Record<string, string> = { OTEL_SERVICE_NAME: `${config.OTEL_SERVICE_NAME}-worker` };
  if (config.METRICS_PORT) env.METRICS_PORT = String(config.METRICS_PORT + apis + i);
  // Jobs run in the workers, not in the APIs.
  children.push({ name: `worker-${i + 1}`, file: entry('worker'), env, restarts: 0 });
}

let stopping = false;

/** Prefixes each line a child prints with its name. */
function pipeLines(stream: NodeJS.ReadableStream | null, name: string, out: NodeJS.WriteStream): void {
  let rest = '';
  stream?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
  stream?.on('end', () => rest && out.write(`[${name}] ${rest}\n`));
}

function start(child: Child): void {
  const execArgv = [...process.execArgv, '--import', instrumentation];
  const proc = fork(child.file, [], { env: { ...process.env, JOBS_WORKER_IN_API: 'false', ...child.env }, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.proc = proc;
  pipeLines(proc.stdout, child.name, process.stdout);
  pipeLines(proc.stderr, child.name, process.stderr);
  const startedAt = Date.now();
  proc.once('exit', (code, signal) => {
    child.proc = undefined;
    if (stopping) return;
    // A child that ran a while starts over with no backoff; one that keeps dying waits longer each time.
    if (Date.now() - startedAt > 60_000) child.restarts = 0;
    const delay = Math.min(30_000, 500 * 2 ** child.restarts++);
    console.error(`[cluster] ${child.name} exited (${signal ?? code}); restarting in ${delay} ms`);
    setTimeout(() => !stopping && start(child), delay).unref();
  });
}

for (const child of children) start(child);
const ports = children.filter((c) => c.env.PORT).map((c) => c.env.PORT);
console.log(`[cluster] ${apis} API process(es) on ports ${ports.join(', ')} and ${workers} worker(s) (DATABASE_URL, REDIS_URL shared)`);

async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[cluster] ${signal}: stopping ${children.length} processes`);
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (!c.proc || c.proc.exitCode !== null) return resolve();
          c.proc.once('exit', () => resolve());
          c.proc.kill('SIGTERM');
        }),
    ),
  );
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
