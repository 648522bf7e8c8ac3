// The REST fallback for a chat turn when the WebSocket is down: POST the message with
// `Accept: text/event-stream` and read the SSE stream (route, tool, token, then message or error, done).
import { type ApiClient, ApiError } from './api';
import type { CitablePassage, Turn } from './types';

export type StreamEvent =
  | { event: 'route'; data: { route: string; agent: string; confidence: number; clarify: boolean } }
  | { event: 'token'; data: { message_ref: string; delta: string } }
  | { event: 'tool'; data: { action: string; label: string; status: string; passages?: CitablePassage[] } };

/** Splits an SSE byte stream into `{event, data}` frames. */
export async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) yield { event, data: data.join('\n') };
    }
  }
}

/** Sends a customer message over REST and streams the answer; resolves with the stored messages. */
export async function sendOverRest(api: ApiClient, conversationId: string, content: string, opts: { token?: string | null; idempotencyKey: string; onEvent: (e: StreamEvent) => void }): Promise<Turn> {
  const res = await api.fetch(`/conversations/${conversationId}/messages`, {
    method: 'POST',
    body: { content },
    ...(opts.token !== undefined ? { token: opts.token } : {}),
    headers: { accept: 'text/event-stream', 'idempotency-key': opts.idempotencyKey },
  });
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream') || !res.body) return (await res.json()) as Turn;
  let turn: Turn | null = null;
  for await (const frame of sseFrames(res.body)) {
    const data = JSON.parse(frame.data) as unknown;
    if (frame.event === 'message') turn = data as Turn;
    else if (frame.event === 'error') {
      const env = data as { error: { code: string; message: string }; correlation_id?: string };
      throw new ApiError(500, env.error.code, env.error.message, env.correlation_id ?? null);
    } else if (frame.event === 'route' || frame.event === 'token' || frame.event === 'tool') {
      opts.onEvent({ event: frame.event, data } as StreamEvent);
    }
  }
  if (!turn) throw new ApiError(0, 'stream_ended', 'The answer was cut off; send your message again');
  return turn;
}
