import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, envelope } from '../../errors.js';
import { dependencyUnavailable, failedDependency, RETRY_AFTER_SECONDS } from '../../util/deadline.js';

interface ZodIssueLike {
  path?: (string | number)[];
  instancePath?: string;
  message: string;
  params?: { issue?: { path?: (string | number)[] } };
}

function fieldOf(issue: ZodIssueLike): string {
  const path = issue.params?.issue?.path ?? issue.path;
  if (path?.length) return path.join('.');
  return (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '(body)';
}

/** Turns every failure into the one error envelope with the right status; never leaks internals. */
export default fp(
  async function errors(app: FastifyInstance) {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const id = request.id;
      if (err instanceof AppError) {
        if (err.status >= 500) request.log.error({ err }, 'request failed');
        if (err.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        return reply.status(err.status).send(envelope(err.code, err.message, id, err.details));
      }
      const dependency = failedDependency(err);
      if (dependency) {
        request.log.warn({ err, dependency }, 'dependency unavailable');
        const e = dependencyUnavailable(dependency);
        return reply
          .status(503)
          .header('retry-after', String(RETRY_AFTER_SECONDS))
          .send(envelope(e.code, e.message, id, e.details));
      }
      if (hasZodFastifySchemaValidationErrors(err)) {
        const issues = (err.validation as unknown as ZodIssueLike[]).map((i) => ({ field: fieldOf(i), message: i.message }));
        const where = err.validationContext ?? 'body';
        const first = issues[0];
        return reply.status(400).send(envelope('validation_failed', first ? `Invalid ${where}: ${first.field} ${first.message}` : `Invalid ${where}`, id, { issues }));
      }
      if (isResponseSerializationError(err)) {
        request.log.error({ err }, 'response did not match its schema');
        return reply.status(500).send(envelope('internal_error', 'Something went wrong on our side', id));
      }
      switch (err.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return reply.status(413).send(envelope('payload_too_large', 'The request body is too large', id));
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return reply.status(415).send(envelope('unsupported_media_type', 'Send the body as application/json', id));
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return reply.status(400).send(envelope('malformed_json', 'The request body is empty but declared as JSON', id));
        default:
          break;
      }
      if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return reply.status(400).send(envelope('malformed_json', 'The request body is not valid JSON', id));
      }
      const status = err.statusCode ?? 500;
      if (status === 429) {
        return reply.status(429).send(envelope('rate_limited', err.message || 'Too many requests', id));
      }
      if (status >= 400 && status < 500) {
        return reply.status(status).send(envelope('bad_request', 'The request could not be processed', id));
      }
      request.log.error({ err }, 'unhandled error');
      return reply.status(500).send(envelope('internal_error', 'Something went wrong on our side', id));
    });

    // Draining (SIGTERM → app.close()): a request still arriving on a kept-alive connection is told to
    // go elsewhere, in the envelope, and the connection is closed so the client reconnects to another process.
    let draining = false;
    app.addHook('preClose', async () => {
      draining = true;
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!draining) return;
      return reply
        .status(503)
        .header('retry-after', '1')
        .header('connection', 'close')
        .send(envelope('shutting_down', 'This server is shutting down; retry the request', request.id));
    });

    app.setNotFoundHandler((request, reply) => {
      reply.status(404).send(envelope('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`, request.id));
    });
  },
  { name: 'errors' },
);
