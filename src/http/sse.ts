import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, envelope } from '../errors.js';
import { eventFor } from './audience.js';
import type { ConversationEvent } from '../contract/events.js';
import type { EmitEvent } from '../realtime/bus.js';

// A chat turn streamed as Server-Sent Events (POST .../messages with Accept: text/event-stream).
// Events: `route`, `token`, `tool` ({action, label, status}), then `message` (the stored messages, as the JSON reply has
// them) or `error` (the error envelope), and always `done` last. Errors before the customer's
// message is stored (not found, closed, too long) are ordinary HTTP errors, not a stream.

/** True when the client asks for an event stream. */
export function wantsEventStream(accept: string | undefined): boolean {
  return typeof accept === 'string' && /\btext\/event-stream\b/i.test(accept);
}

/** One SSE frame. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The SSE event for a turn event (typing, handoff and message.completed are not part of this stream).
 * The stream is the customer's (only the conversation's owner sends messages): a `tool` event shows
 * the action and its label, never the tool's name or arguments, and nothing for a tool customers are not told about.
 */
export function sseEventOf(e: ConversationEvent): { event: string; data: unknown } | undefined {
  switch (e.type) {
    case 'tool': {
      const shown = eventFor('customer', e);
      return shown?.type === 'tool' ? { event: 'tool', data: { action: shown.action, label: shown.label, status: shown.status, ...(shown.passages ? { passages: shown.passages } : {}) } } : undefined;
    }
    case 'route':
      return { event: 'route', data: { route: e.route, agent: e.agent, confidence: e.confidence, clarify: e.clarify } };
    case 'token':
      return { event: 'token', data: { message_ref: e.message_ref, delta: e.delta } };
    case 'action.proposed':
      return { event: 'action.proposed', data: { action: e.action } };
    default:
      return undefined;
  }
}

const KEEPALIVE_MS = 15_000;

/**
 * Runs a turn and streams it. The response starts with the turn's first event (the customer's
 * message is stored by then); a failure before that is thrown, so the error handler answers it.
 */
export async function streamTurn<T>(request: FastifyRequest, reply: FastifyReply, run: (emit: EmitEvent) => Promise<T>, messageOf: (result: T) => unknown): Promise<FastifyReply> {
  const stream = new PassThrough();
  stream.on('error', () => {}); // a client that went away; the turn still completes and is stored
  const write = (chunk: string) => {
    if (!stream.destroyed && !stream.writableEnded) stream.write(chunk);
  };
  let started = false;
  let onStart!: () => void;
  const firstEvent = new Promise<void>((resolve) => (onStart = resolve));
  const emit: EmitEvent = (e) => {
    if (!started) {
      started = true;
      onStart();
    }
    const sse = sseEventOf(e);
    if (sse) write(sseFrame(sse.event, sse.data));
  };
  const keepalive = setInterval(() => write(': keep-alive\n\n'), KEEPALIVE_MS);
  const finish = (last: string) => {
    clearInterval(keepalive);
    write(last + sseFrame('done', {}));
    stream.end();
  };
  const turn = run(emit).then(
    (result) => finish(sseFrame('message', messageOf(result))),
    (err: unknown) => {
      if (!started) {
        clearInterval(keepalive);
        throw err;
      }
      const known = err instanceof AppError;
      if (!known || err.status >= 500) request.log.error({ err }, 'streamed turn failed');
      const body = known ? envelope(err.code, err.message, request.id, err.details) : envelope('internal_error', 'Something went wrong on our side', request.id);
      finish(sseFrame('error', body));
    },
  );
  await Promise.race([firstEvent, turn]);
  return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-cache, no-transform').header('x-accel-buffering', 'no').send(stream);
}
