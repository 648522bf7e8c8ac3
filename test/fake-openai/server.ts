import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// A scriptable OpenAI-compatible chat-completions server over real HTTP, for tests and benchmarks.
// Each request takes the next scripted step whose `match` accepts it (FIFO); with none queued the
// default step answers. Every request is recorded so a test can assert what the model was sent.

/** A tool call the fake model makes. */
export interface FakeToolCall {
  name: string;
  /** An object (JSON-encoded for the wire) or a raw string (sent as is, e.g. to test bad JSON). */
  arguments: Record<string, unknown> | string;
}

/** Token counts the fake reports; omitted fields are estimated (4 characters a token). */
export interface FakeUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  cached_tokens?: number;
}

/** One scripted response. Fields combine: e.g. `{ delayMs: 50, reply: 'hi' }`. */
export interface FakeStep {
  /** Only requests this accepts take the step (default: any). */
  match?: (req: RecordedRequest) => boolean;
  /** Wait before answering. */
  delayMs?: number;
  /** Assistant text. */
  reply?: string;
  /** An object sent as the assistant text, JSON-encoded (structured output). */
  json?: unknown;
  /** Tool calls in this response (parallel when more than one). */
  toolCalls?: FakeToolCall[];
  /** An HTTP error status (429, 500, ...), with an OpenAI-style error body. */
  status?: number;
  /** Seconds for the Retry-After header (with `status`). */
  retryAfter?: number | string;
  /** A body that is not JSON (or a stream chunk that is not JSON). */
  malformed?: boolean;
  /** Never answer (the connection stays open until the client gives up or the server closes). */
  hang?: boolean;
  /** Streaming: destroy the connection after this many text chunks. */
  dropAfterChunks?: number;
  /** Streaming: stop sending after this many text chunks, leaving the connection open. */
  stallAfterChunks?: number;
  /** Streaming rate; overrides the server default. 0 = as fast as possible. */
  tokensPerSecond?: number;
  usage?: FakeUsage;
}

/** A step, or a function of the request that returns one. */
export type FakeScript = FakeStep | ((req: RecordedRequest) => FakeStep);

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: ChatRequestBody | undefined;
  receivedAt: number;
  /**
   * The fake model's own time on the high-resolution clock (performance.now(), ms): when the request
   * was received in full, when the first text chunk was sent (streams), when the response ended.
   * Benchmarks subtract it from what the client measured.
   */
  timing: { receivedMs: number; firstTextMs?: number; endedMs?: number };
}

/** The parts of a chat-completions request the fake reads. */
export interface ChatRequestBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: unknown };
  [key: string]: unknown;
}

export interface FakeServerOptions {
  port?: number;
  host?: string;
  /** Answers when no scripted step matches (default: a short text reply). */
  defaultStep?: FakeScript;
  /** Default streaming rate in tokens (chunks) per second; 0 = unthrottled. */
  tokensPerSecond?: number;
}

/** A running fake server. */
export interface FakeOpenAI {
  /** Base URL to give a client, ending in /v1. */
  url: string;
  port: number;
  /** Queues steps; each request consumes the first one that matches it. */
  script(...steps: FakeScript[]): void;
  /** Replaces the default step. */
  setDefault(step: FakeScript): void;
  /** Every request received so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** Steps still queued. */
  pending(): number;
  /** Clears the queue and the recorded requests. */
  reset(): void;
  /** Stops the server, cutting open connections (simulates the model server dying). */
  close(): Promise<void>;
}

const estimate = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/** What the model reads of a request: the messages, and the tool definitions and output schema (billed as prompt tokens too). */
function promptText(body: ChatRequestBody | undefined): string {
  return JSON.stringify([body?.messages ?? [], body?.tools ?? [], body?.response_format ?? null]);
}

/** A deterministic unit vector for a text (words hashed into buckets), so similar texts are near. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    v[(h >>> 0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** Splits text into word-sized chunks (whitespace kept with the word before it). */
export function chunkText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Starts a fake OpenAI-compatible server. */
export async function startFakeOpenAI(opts: FakeServerOptions = {}): Promise<FakeOpenAI> {
  const queue: FakeScript[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let defaultStep: FakeScript = opts.defaultStep ?? { reply: 'OK.' };
  const rate = opts.tokensPerSecond ?? 0;

  function take(req: RecordedRequest): FakeStep {
    for (let i = 0; i < queue.length; i++) {
      const s = queue[i]!;
      const step = typeof s === 'function' ? s(req) : s;
      if (!step.match || step.match(req)) {
        queue.splice(i, 1);
        return step;
      }
    }
    return typeof defaultStep === 'function' ? defaultStep(req) : defaultStep;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: ChatRequestBody | undefined;
      try {
        body = raw ? (JSON.parse(raw) as ChatRequestBody) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0]!,
        headers: req.headers,
        body,
        receivedAt: Date.now(),
        timing: { receivedMs: performance.now() },
      };
      requests.push(recorded);
      res.on('finish', () => (recorded.timing.endedMs ??= performance.now()));
      void handle(recorded, res).catch(() => res.destroy());
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(r: RecordedRequest, res: ServerResponse): Promise<void> {
    if (r.method === 'GET' && r.path.endsWith('/models')) {
      return json(res, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'fake' }] });
    }
    if (r.method === 'POST' && r.path.endsWith('/embeddings')) {
      const input = (r.body as { input?: string | string[] } | undefined)?.input ?? [];
      const texts = Array.isArray(input) ? input : [input];
      const dimensions = Number((r.body as { dimensions?: number } | undefined)?.dimensions ?? 384);
      return json(res, 200, {
        object: 'list',
        data: texts.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t, dimensions) })),
        model: r.body?.model ?? 'fake-embedding',
        usage: { prompt_tokens: texts.reduce((n, t) => n + estimate(t), 0), total_tokens: texts.reduce((n, t) => n + estimate(t), 0) },
      });
    }
    if (r.method !== 'POST' || !r.path.endsWith('/chat/completions')) {
      return json(res, 404, { error: { message: `No route ${r.method} ${r.path}`, type: 'invalid_request_error' } });
    }
    const step = take(r);
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    if (step.hang) return; // the client's timeout (or close()) ends it
    if (step.delayMs) await sleep(step.delayMs, res);
    if (gone) return;
    if (step.status && step.status >= 400) {
      const headers: Record<string, string> = {};
      if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
      return json(res, step.status, { error: { message: `fake error ${step.status}`, type: step.status === 429 ? 'rate_limit_error' : 'server_error', code: null } }, headers);
    }
    const model = r.body?.model ?? 'fake-model';
    const text = step.json !== undefined ? JSON.stringify(step.json) : (step.reply ?? (step.toolCalls ? '' : 'OK.'));
    const toolCalls = (step.toolCalls ?? []).map((c) => ({
      id: `call_${randomUUID().slice(0, 8)}`,
      type: 'function' as const,
      function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
    }));
    const prompt = step.usage?.prompt_tokens ?? estimate(promptText(r.body));
    const completion = step.usage?.completion_tokens ?? estimate(text + JSON.stringify(toolCalls.map((t) => t.function)));
    const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: step.usage?.cached_tokens ?? 0 } };
    const finish = toolCalls.length ? 'tool_calls' : 'stop';
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);

    if (!r.body?.stream) {
      if (step.malformed) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": "broken", "choices": [ {"message": ');
        return;
      }
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text || null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: finish }],
        usage,
      });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (payload: unknown) => res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      send({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] });
    const perToken = (step.tokensPerSecond ?? rate) > 0 ? 1000 / (step.tokensPerSecond ?? rate) : 0;

    chunk({ role: 'assistant', content: '' });
    if (step.malformed) {
      send('{"choices": [ {"delta": {"content": "broken');
      res.end();
      return;
    }
    let sent = 0;
    for (const piece of chunkText(text)) {
      if (perToken) await sleep(perToken, res);
      if (gone) return;
      chunk({ content: piece });
      r.timing.firstTextMs ??= performance.now();
      sent++;
      if (step.dropAfterChunks !== undefined && sent >= step.dropAfterChunks) {
        await sleep(20, res); // let what was sent reach the client first
        res.destroy();
        return;
      }
      if (step.stallAfterChunks !== undefined && sent >= step.stallAfterChunks) return;
    }
    for (const [index, tc] of toolCalls.entries()) chunk({ tool_calls: [{ index, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: tc.function.arguments } }] });
    chunk({}, finish);
    if (r.body.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    send('[DONE]');
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/v1`,
    port,
    requests,
    script: (...steps) => void queue.push(...steps),
    setDefault: (step) => {
      defaultStep = step;
    },
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The same as startFakeOpenAI (the name benchmarks import). */
export const start = startFakeOpenAI;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Waits, or stops waiting early when the client goes away. */
function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      res.off('close', onClose); // one listener per token otherwise piles up on a long stream
      resolve();
    }, ms);
    res.once('close', onClose);
  });
}

/** The text of the last user message of a recorded request. */
export function lastUserText(req: RecordedRequest): string {
  const msgs = req.body?.messages ?? [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i]!;
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p: { text?: string }) => p.text ?? '').join('');
  }
  return '';
}

/** The tool results (role "tool" messages) a request carries, parsed. */
export function toolResults(req: RecordedRequest): { toolCallId: string; content: unknown }[] {
  return (req.body?.messages ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => {
      let content: unknown = m.content;
      try {
        content = typeof m.content === 'string' ? JSON.parse(m.content) : m.content;
      } catch {
        /* a plain-text tool result */
      }
      return { toolCallId: m.tool_call_id ?? '', content };
    });
}

/** True when the request asks for structured (JSON) output, as the router does. */
export const wantsJson = (req: RecordedRequest) => req.body?.response_format?.type === 'json_schema' || req.body?.response_format?.type === 'json_object';
/** True when the request offers the named tool. */
export const offersTool = (name: string) => (req: RecordedRequest) => (req.body?.tools ?? []).some((t) => t.function.name === name);
