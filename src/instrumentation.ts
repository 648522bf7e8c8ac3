// Loaded before the service with `--import` (see package.json): registers the ESM loader hook that
// lets OpenTelemetry patch ES modules, then starts tracing, so pg, ioredis, http and Fastify are
// instrumented when main.ts imports them. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing is started.
import { register } from 'node:module';
import { z } from 'zod';

const env = z
  .object({
    OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
    OTEL_SERVICE_NAME: z.string().min(1).default('switchboard'),
    OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  })
  .parse(process.env);

if (env.OTEL_EXPORTER_OTLP_ENDPOINT && env.OTEL_SDK_DISABLED !== 'true') {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const { startTracing } = await import('./observability/tracing.js');
  const sdk = startTracing({ serviceName: env.OTEL_SERVICE_NAME, serviceVersion: process.env.npm_package_version, otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT });
  // Flush the last spans on the way out (main.ts exits after closing the server).
  process.once('beforeExit', () => void sdk.shutdown());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void sdk.shutdown());
}
