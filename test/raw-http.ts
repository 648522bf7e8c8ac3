import net from 'node:net';

/** A response read off a raw socket: status, lower-cased headers, body. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first HTTP/1.1 response in `raw` (Content-Length bodies only). */
export function parseRawResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`no complete response in ${JSON.stringify(raw.slice(0, 200))}`);
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? raw.length - end - 4);
  return { status: Number(statusLine!.split(' ')[1]), headers, body: raw.slice(end + 4, end + 4 + length) };
}

/**
 * A raw TCP connection to a test server, for what a well-behaved HTTP client cannot send (malformed
 * framing, bodies that never finish). `sent` resolves with everything the server wrote once it closes.
 */
export class RawConnection {
  private chunks: Buffer[] = [];
  readonly closed: Promise<string>;
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => this.chunks.push(d));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(this.chunks).toString('utf8'))));
  }

  static open(baseUrl: string): Promise<RawConnection> {
    const url = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string): void {
    this.socket.write(data);
  }

  /** What arrived so far. */
  received(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** Waits until a whole response has arrived (or the socket closed), at most `timeoutMs`. */
  async response(timeoutMs = 20_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    let closed = false;
    void this.closed.then(() => (closed = true));
    for (;;) {
      const raw = this.received();
      const end = raw.indexOf('\r\n\r\n');
      if (end !== -1) {
        const r = parseRawResponse(raw);
        if (Buffer.byteLength(r.body) >= Number(r.headers['content-length'] ?? 0)) return r;
      }
      if (closed) return parseRawResponse(raw);
      if (Date.now() > deadline) throw new Error(`no response within ${timeoutMs} ms; got ${JSON.stringify(raw.slice(0, 200))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Sends one raw request on a fresh connection and returns the response. */
export async function rawRequest(baseUrl: string, data: string): Promise<RawResponse> {
  const c = await RawConnection.open(baseUrl);
  try {
    c.write(data);
    return await c.response();
  } finally {
    c.destroy();
  }
}
