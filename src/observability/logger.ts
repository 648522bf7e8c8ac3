import { trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

/** Fields that never reach a log line in clear. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-metrics-token"]',
  'headers.authorization',
  'password',
  '*.password',
  'refresh_token',
  '*.refresh_token',
  'access_token',
  '*.access_token',
  'conversation_token',
  '*.conversation_token',
  'token',
  '*.token',
  'email',
  '*.email',
];

// Each match may only start where a run of its characters starts (the lookbehinds): otherwise every
// position of a long run without '@' (or '.') is tried again to the run's end, quadratic in the run's
// length (a 15 KB URL of one letter took 150 ms per request; found by the OpenAPI fuzzer).
const EMAIL = /(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
// 13-19 digits, optionally grouped by spaces or dashes, not part of a longer token (a UUID, an id).
const CARD = /(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])/g;
// A JSON string literal in a serialised log line.
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/** True for digit strings that pass the Luhn check every payment card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Masks emails, JWTs and card-like numbers (Luhn-valid) in free text bound for a log line. */
export function redactText(text: string): string {
  return text
    .replace(JWT, '[jwt]')
    .replace(EMAIL, '[email]')
    .replace(CARD, (m) => (luhnValid(m.replace(/[ -]/g, '')) ? '[card]' : m));
}

/**
 * The last line of defence: masks emails, JWTs and card-like numbers inside every string of a
 * serialised JSON log line (numbers outside strings, such as `time`, are left alone).
 */
export function redactLogLine(line: string): string {
  return line.replace(JSON_STRING, (s) => redactText(s));
}

/** Adds the active trace and span ids to every log line, so a log line leads to its trace. */
export function traceFields(): Record<string, string> {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !trace.isSpanContextValid(ctx)) return {};
  return { trace_id: ctx.traceId, span_id: ctx.spanId };
}

/**
 * One log line per request, when it completes: correlation id (the logger's label), method,
 * route template, status, duration and user id. Fastify's own "incoming request" line is dropped.
 */
export class RequestLogController extends LogController {
  // The trace of each request, taken when it arrives: the completion is logged from the response's
  // 'finish' event, outside the request's OpenTelemetry context.
  private readonly traces = new WeakMap<FastifyRequest, Record<string, string>>();

  constructor() {
    super({ requestIdLogLabel: 'correlation_id' });
  }

  override incomingRequest(request: FastifyRequest): void {
    const fields = traceFields();
    if (fields.trace_id) this.traces.set(request, fields);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const auth = request.auth as FastifyRequest['auth'] | null;
    const fields = {
      method: request.method,
      route: request.routeOptions.url ?? null,
      url: redactText(request.url),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      user_id: auth?.kind === 'user' ? auth.userId : null,
      ...(auth?.kind === 'conversation' ? { conversation_id: auth.conversationId } : {}),
      ...this.traces.get(request),
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else if (reply.statusCode >= 500) reply.log.error(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}

// The fields of a PostgreSQL error that describe it without quoting data: `detail` ("Key (email)=(…)")
// and `where` ("unnamed portal parameter $1 = '…'") can hold the values a query was sent, so they stay out.
const PG_ERROR_FIELDS = ['code', 'severity', 'routine', 'table', 'column', 'constraint', 'schema'] as const;

/**
 * Serialises an error for a log line without the data it may carry: a failed query (Drizzle's
 * DrizzleQueryError: "Failed query: … params: …") keeps its SQL text but never its parameters, which
 * hold message texts, emails and password hashes; a database error keeps only its code and kind.
 */
export function serializeError(err: unknown, depth = 0): { [key: string]: unknown; type: string; message: string; stack: string } {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err), stack: '' };
  const e = err as Error & Record<string, unknown>;
  const out: { [key: string]: unknown; type: string; message: string; stack: string } = { type: e.constructor?.name ?? 'Error', message: e.message, stack: e.stack ?? '' };
  if (typeof e.query === 'string' && 'params' in e) {
    out.message = 'Failed query';
    out.query = e.query;
    out.stack = (e.stack ?? '').replace(/^[\s\S]*?(?=\n\s+at )/, `${out.type}: Failed query`);
  } else if (typeof e.code === 'string' || typeof e.code === 'number') {
    out.code = e.code;
  }
  if (typeof e.severity === 'string') for (const f of PG_ERROR_FIELDS) if (e[f] !== undefined) out[f] = e[f];
  if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
  if (e.cause !== undefined && depth < 3) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** Cuts a failed query's parameters off a message (Drizzle writes them after "\nparams: "). */
function withoutParams(text: string): string {
  const at = text.indexOf('\nparams: ');
  return at === -1 ? text : text.slice(0, at);
}

/** The pino options every Switchboard log shares: level, redaction, trace ids. */
export function pinoOptions(level: string): LoggerOptions {
  return {
    level,
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    mixin: traceFields,
    hooks: {
      streamWrite: redactLogLine,
      // `log.error(err)` and Fastify's own `log.error({ err }, err.message)` make the error's message
      // the line's msg: a failed query's message holds its parameters, so they are cut there too.
      logMethod(args, method) {
        const safe = args.map((a: unknown) => (typeof a === 'string' ? withoutParams(a) : a));
        if (safe.length === 1 && safe[0] instanceof Error) safe.push(withoutParams(safe[0].message));
        return method.apply(this, safe as Parameters<typeof method>);
      },
    },
  };
}

/** Pino options for the service's JSON logs (Fastify's logger); `stream` captures them (tests). */
export function loggerOptions(level: string, extra: { stream?: { write(line: string): void } } = {}): FastifyServerOptions['logger'] {
  return {
    ...pinoOptions(level),
    ...(extra.stream ? { stream: extra.stream } : {}),
    serializers: {
      err: serializeError,
      error: serializeError,
      req(req: { method: string; url: string; routeOptions?: { url?: string }; ip?: string }) {
        return { method: req.method, url: redactText(req.url), route: req.routeOptions?.url, ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { status: res.statusCode };
      },
    },
  };
}

/** A pino logger with the same JSON shape and redaction as the request logs (workers, jobs, start-up). */
export function createLogger(level: string, stream?: { write(line: string): void }): Logger {
  return stream ? pino(pinoOptions(level), stream) : pino(pinoOptions(level));
}
