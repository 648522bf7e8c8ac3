import { randomUUID } from 'node:crypto';
import http, { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { envelope } from '../errors.js';

// Answers that never reach a route: Node's HTTP parser refusing a request (431, bad version, two
// Content-Length headers, Content-Length with chunked), a request that does not arrive in time (408),
// Fastify's router refusing a URL (bad percent-encoding, an over-long parameter). Each is the error
// envelope with a correlation id, like every other error (docs/api.md).

/** What a Node HTTP parser or server error is, as a status and a machine code. */
function clientErrorOf(err: NodeJS.ErrnoException): { status: number; code: string; message: string } {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'The request did not arrive in time' };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: 'The request headers are too large' };
    case 'HPE_INVALID_VERSION':
      return { status: 400, code: 'bad_http_version', message: 'The request has an invalid HTTP version' };
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return { status: 400, code: 'bad_framing', message: 'The request framing is ambiguous (Content-Length and Transfer-Encoding)' };
    default:
      return { status: 400, code: 'bad_request', message: 'The request could not be parsed' };
  }
}

/** Writes the error envelope straight to a socket whose request Node could not parse, then closes it. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, message } = clientErrorOf(err);
  const id = randomUUID();
  const body = JSON.stringify(envelope(code, message, id));
  // A response already under way on this socket cannot be replaced; only close it then.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** The envelope for URLs Fastify's router refuses before any route runs. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const id = request.id;
  reply.header('x-request-id', id);
  // The router refused the request before its body was read: those bytes are still on the connection
  // and would be parsed as the next request, which then dies without an answer (found by the fuzzer
  // over HTTP). The connection closes after this answer; the client's next request opens a fresh one.
  reply.header('connection', 'close');
  if (error.code === 'FST_ERR_BAD_URL') {
    reply.code(400).send(envelope('bad_url', 'The URL is not validly percent-encoded', id));
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.code(414).send(envelope('uri_too_long', 'A path parameter of the URL is too long', id));
  } else {
    request.log.error({ err: error }, 'framework error');
    reply.code(500).send(envelope('internal_error', 'Something went wrong on our side', id));
  }
}

/**
 * The HTTP server options: the request timeout (headers and body whole within `requestTimeoutMs`,
 * checked every second rather than Node's default 30 s), and the envelope for what never reaches a route.
 */
export function serverOptions(requestTimeoutMs: number): Pick<FastifyServerOptions, 'serverFactory' | 'clientErrorHandler' | 'frameworkErrors' | 'return503OnClosing'> {
  return {
    serverFactory: (handler) =>
      http.createServer(
        {
          requestTimeout: requestTimeoutMs,
          headersTimeout: Math.min(requestTimeoutMs, 60_000),
          connectionsCheckingInterval: Math.min(1000, requestTimeoutMs),
        },
        handler,
      ),
    clientErrorHandler,
    frameworkErrors,
    // The drain answer comes from the errors plugin, in the envelope (src/http/plugins/errors.ts).
    return503OnClosing: false,
  };
}
