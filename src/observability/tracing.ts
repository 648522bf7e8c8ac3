import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** Infrastructure endpoints polled every few seconds: spans for them would drown the real traffic. */
export const UNTRACED_PATHS = ['/health', '/ready', '/metrics'];

const untraced = (url: string | undefined) => UNTRACED_PATHS.some((p) => url === p || url?.startsWith(`${p}?`));

/**
 * The auto-instrumentations: incoming and outgoing HTTP, Fastify (request, hooks, handler spans; it
 * registers itself on every Fastify instance through Fastify's diagnostics channel), pg and ioredis.
 * BullMQ jobs, chat turns, router, agents, tools and LLM calls have spans of their own (telemetry.ts).
 */
export function instrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => untraced(req.url) }),
    new FastifyOtelInstrumentation({ registerOnInitialization: true, ignorePaths: (opts) => untraced(opts.url) }),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}

/** Options of startTracing. */
export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  /** OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT); `/v1/traces` is appended. */
  otlpEndpoint?: string;
  /** Span processors to use instead of the OTLP exporter (tests use an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

/**
 * Starts the OpenTelemetry Node SDK with the instrumentations above. Call it before the modules it
 * instruments are loaded (src/instrumentation.ts, loaded with `--import`). Returns the SDK, whose
 * shutdown() flushes pending spans.
 */
export function startTracing(opts: TracingOptions): NodeSDK {
  const spanProcessors = opts.spanProcessors ?? (opts.otlpEndpoint ? [new BatchSpanProcessor(otlpExporter(opts.otlpEndpoint))] : []);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName, ...(opts.serviceVersion ? { [ATTR_SERVICE_VERSION]: opts.serviceVersion } : {}) }),
    spanProcessors,
    // Logs go to stdout through pino; metrics through prom-client. Nothing else is exported.
    logRecordProcessors: [],
    instrumentations: instrumentations(),
  });
  sdk.start();
  return sdk;
}

function otlpExporter(endpoint: string): SpanExporter {
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
}
