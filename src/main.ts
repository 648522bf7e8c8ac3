import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo/demo-data.js';
import { createDeps } from './deps.js';
import { buildMetricsServer } from './http/routes/metrics.js';
import { apiRunsWorkers, PERIODIC_JOBS } from './jobs/index.js';
import { closeOnSignals } from './lifecycle.js';
import { flushTraces } from './observability/flush.js';

/** Starts the service: configuration, dependencies, HTTP, and a graceful shutdown on signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const deps = await createDeps(config, { log: (msg) => console.log(`[switchboard] ${msg}`), warn: (msg) => console.warn(`[switchboard] ${msg}`) });
  const app = await buildApp(deps);
  await app.listen({ port: config.PORT, host: config.HOST });
  // /metrics on an internal port when METRICS_PORT is set (the public server then has none).
  const metricsServer = config.METRICS_PORT ? buildMetricsServer(deps.metrics) : null;
  if (metricsServer) await metricsServer.listen({ port: config.METRICS_PORT, host: config.HOST });
  if (apiRunsWorkers(config)) {
    await deps.jobs.startWorkers();
    await deps.jobs.schedule(PERIODIC_JOBS);
  }
  const mode = config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.DATA_DIR}`;
  console.log(`[switchboard] listening on http://localhost:${config.PORT} (${mode}, LLM: ${config.LLM_PROVIDER})`);
  console.log(`[switchboard] customer chat http://localhost:${config.PORT}/ · staff console /console · widget /widget.js · API docs /docs`);
  if (config.SEED_DEMO) {
    console.log('[switchboard] demo sign-ins (password: %s):', DEMO_PASSWORD);
    for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(8)} ${u.email}`);
  }

  closeOnSignals({
    graceMs: 10_000,
    announce: (signal) => app.log.info({ signal }, 'shutting down'),
    steps: [() => app.close(), () => metricsServer?.close(), () => deps.jobs.close(), () => deps.llm.flushUsage(), () => deps.database.close(), () => flushTraces().catch(() => {})],
  });
}

main().catch((err) => {
  console.error('[switchboard] failed to start:', err);
  process.exit(1);
});
