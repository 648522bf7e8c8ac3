/**
 * A client of the streamed chat turn (`POST …/messages` with `Accept: text/event-stream`): sends
 * the message and timestamps every Server-Sent Event as it arrives, on the high-resolution clock.
 */
import http from 'node:http';

/** One event of the stream, with when it arrived (ms since the request was sent). */
export interface TimedEvent {
  event: string;
  data: unknown;
  atMs: number;
}

/** Splits an event stream into events as chunks arrive (frames may be cut anywhere). */
export class SseParser {
  private buffer = '';

  /** Feeds a chunk; returns the events it completed. Comments (keep-alives) are skipped. */
  push(chunk: string): { event: string; data: unknown }[] {
    this.buffer += chunk;
    const out: { event: string; data: unknown }[] = [];
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) continue;
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length === 0) continue;
      const text = data.join('\n');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* plain-text data */
      }
      out.push({ event, data: parsed });
    }
    return out;
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Sends one streamed turn and collects its events; rejects on a non-200 answer. */
export function streamTurn(url: string, headers: Record<string, string>, body: string): Promise<{ events: TimedEvent[]; totalMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, accept: 'text/event-stream', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => reject(new Error(`streamed turn answered ${res.statusCode}: ${text.slice(0, 300)}`)));
          return;
        }
        const parser = new SseParser();
        const events: TimedEvent[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now() - started;
          for (const e of parser.push(chunk)) events.push({ ...e, atMs: at });
        });
        res.on('end', () => resolve({ events, totalMs: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** True when every tool call of the turn started before any of them finished (they ran at the same time). */
export function toolsOverlapped(events: readonly TimedEvent[]): boolean {
  const tools = events.filter((e) => e.event === 'tool').map((e) => (e.data as { status?: string }).status);
  const firstDone = tools.findIndex((s) => s !== 'started');
  const started = tools.filter((s) => s === 'started').length;
  return started > 1 && firstDone >= started;
}
