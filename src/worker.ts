import { loadConfigOrExit } from './config.js';
import { createDeps } from './deps.js';
import { buildMetricsServer } from './http/routes/metrics.js';
import { JOB_DEFINITIONS, PERIODIC_JOBS } from './jobs/index.js';
import { closeOnSignals } from './lifecycle.js';
import { createLogger } from './observability/logger.js';

/**
 * `npm run worker`: processes the background queues (knowledge ingestion, ticket notifications,
 * conversation summaries, usage roll-ups) from BullMQ, schedules the periodic ones, and serves its
 * own /metrics on METRICS_PORT when set. Run as many as you like; each job runs once.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  if (!config.REDIS_URL) {
    log.error({}, 'npm run worker needs REDIS_URL: without Redis, jobs run inside the API process (npm start)');
    process.exit(78);
  }
  const deps = await createDeps(config, { log: (msg) => log.info({}, msg), warn: (msg) => log.warn({}, msg), jobLog: log, processName: 'switchboard-worker' });
  await deps.jobs.startWorkers();
  await deps.jobs.schedule(PERIODIC_JOBS);
  const metricsServer = config.METRICS_PORT ? buildMetricsServer(deps.metrics) : null;
  if (metricsServer) await metricsServer.listen({ port: config.METRICS_PORT, host: config.HOST });
  log.info({ queues: JOB_DEFINITIONS.map((d) => d.queue), concurrency: config.JOB_CONCURRENCY, metrics_port: config.METRICS_PORT ?? null }, 'worker started');

  closeOnSignals({
    graceMs: 30_000,
    announce: (signal) => log.info({ signal }, 'worker shutting down: finishing running jobs'),
    steps: [() => deps.jobs.close(), () => metricsServer?.close(), () => deps.redis?.quit(), () => deps.llm.flushUsage(), () => deps.database.close()],
  });
}

main().catch((err) => {
  console.error('[switchboard-worker] failed to start:', err);
  process.exit(1);
});
