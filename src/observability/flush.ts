import { trace } from '@opentelemetry/api';

/**
 * Flushes spans still buffered by the registered tracer provider before the process exits
 * (a no-op when tracing is off). Kept apart from tracing.ts so main.ts does not load the SDK.
 */
export async function flushTraces(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => { forceFlush?: () => Promise<void> } };
  await provider.getDelegate?.().forceFlush?.();
}
