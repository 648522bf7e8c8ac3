import { APICallError } from '@ai-sdk/provider';

/** A model call (or one attempt of it) that took longer than the configured timeout. */
export class LlmTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The model did not answer within ${timeoutMs} ms`);
    this.name = 'LlmTimeoutError';
  }
}

/** How a model call failed; the label llm_usage.status, metrics and fallbacks use. */
export type FailureKind = 'timeout' | 'rate_limited' | 'server_error' | 'network' | 'client_error' | 'invalid_response' | 'aborted' | 'error';

/** A failure read for the retry policy: is it worth another try, and when. */
export interface Failure {
  kind: FailureKind;
  retryable: boolean;
  status?: number;
  /** What the server asked for (Retry-After / retry-after-ms), in ms. */
  retryAfterMs?: number;
}

/** True for an abort the caller asked for (not our timeout). */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'ResponseAborted');
}

/** Reads Retry-After (seconds or an HTTP date) and retry-after-ms into milliseconds. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && !Number.isNaN(Number.parseFloat(ms))) return Math.max(0, Number.parseFloat(ms));
  const after = headers['retry-after'];
  if (after === undefined) return undefined;
  const seconds = Number.parseFloat(after);
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Classifies a model-call error. Retryable: timeouts, 429, 5xx (and 408/409), and connection
 * failures; a caller's abort, other 4xx and unreadable responses are not.
 */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof LlmTimeoutError) return { kind: 'timeout', retryable: true };
  if (isAbort(err)) return { kind: 'aborted', retryable: false };
  const api = APICallError.isInstance(err) ? err : APICallError.isInstance((err as { cause?: unknown })?.cause) ? (err as { cause: APICallError }).cause : undefined;
  if (api) {
    const status = api.statusCode;
    if (status === 429) return { kind: 'rate_limited', retryable: true, status, retryAfterMs: retryAfterMs(api.responseHeaders) };
    if (status !== undefined && status >= 500) return { kind: 'server_error', retryable: true, status, retryAfterMs: retryAfterMs(api.responseHeaders) };
    if (status === 408 || status === 409) return { kind: 'server_error', retryable: true, status };
    if (status !== undefined && status >= 400) return { kind: 'client_error', retryable: false, status };
    // A 2xx whose body is not what the API promises, or no response at all (the connection failed).
    if (/JSONParse|TypeValidation/.test((api.cause as { name?: string } | undefined)?.name ?? '')) return { kind: 'invalid_response', retryable: false };
    return { kind: 'network', retryable: status === undefined && api.isRetryable };
  }
  const name = (err as { name?: string })?.name ?? '';
  if (/JSONParse|TypeValidation|InvalidResponseData|EmptyResponseBody/.test(name)) return { kind: 'invalid_response', retryable: false };
  return { kind: 'error', retryable: false };
}
