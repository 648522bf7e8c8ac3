/**
 * The fake OpenAI-compatible server (test/fake-openai) as the benchmarks' model: a set latency
 * before every answer, a set token rate for streamed text, and a named script deciding what the
 * model says. Timing benchmarks run it in a child process of its own (startFakeModel); the others
 * in their own process, where its recorded requests can be read whole (startFakeModelHere).
 */
import { lastUserText, startFakeOpenAI, type FakeOpenAI, type RecordedRequest } from '../../test/fake-openai/server.js';
import { markerOf, type TimedRequest } from './model-time.js';
import { scriptOf, type ScriptName } from './scripts.js';
import { spawnChild } from './spawn.js';

/** How the fake model behaves. */
export interface ModelSpeed {
  /** Wait before every answer (time to first byte; the router's whole call). */
  latencyMs: number;
  /** Streamed text, word-sized chunks per second. */
  tokensPerSecond: number;
}

export interface FakeModelOptions {
  speed: ModelSpeed;
  script?: ScriptName;
}

/** A running fake model. */
export interface FakeModel {
  url: string;
  speed: ModelSpeed;
  /** The chat-completion requests so far, with the fake's own timings and their turn markers. */
  timed(): Promise<TimedRequest[]>;
  /** Forgets the requests so far. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A fake model in this process: its recorded requests are available whole. */
export interface LocalFakeModel extends FakeModel {
  fake: FakeOpenAI;
  timed(): Promise<(TimedRequest & { request: RecordedRequest })[]>;
}

/** Starts the fake model in this process. */
export async function startFakeModelHere(opts: FakeModelOptions): Promise<LocalFakeModel> {
  const script = scriptOf(opts.script ?? 'autopilot');
  const fake = await startFakeOpenAI({ tokensPerSecond: opts.speed.tokensPerSecond, defaultStep: (req) => ({ delayMs: opts.speed.latencyMs, ...script(req) }) });
  return {
    fake,
    url: fake.url,
    speed: opts.speed,
    timed: async () => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => ({ request: r, turn: markerOf(lastUserText(r)), ...r.timing })),
    reset: async () => fake.reset(),
    close: () => fake.close(),
  };
}

/** Starts the fake model in a child process (bench/lib/fake-process.ts). */
export async function startFakeModel(opts: FakeModelOptions): Promise<FakeModel> {
  const child = await spawnChild<{ url: string }>('./fake-process.ts', { BENCH_FAKE: JSON.stringify(opts) });
  return {
    url: child.ready.url,
    speed: opts.speed,
    timed: () => child.request<TimedRequest[]>({ cmd: 'timed' }),
    reset: async () => void (await child.request({ cmd: 'reset' })),
    async close() {
      await child.request({ cmd: 'stop' }).catch(() => {});
      if (child.process.connected) child.process.disconnect();
      await child.exit();
    },
  };
}

/** The service's LLM settings for a fake model at `url` (priced as gpt-4o-mini, no retries: a failure shows). */
export function llmEnv(url: string): Record<string, string> {
  return {
    LLM_PROVIDER: 'openai-compatible',
    LLM_BASE_URL: url,
    LLM_MODEL: 'gpt-4o-mini',
    LLM_TIMEOUT_MS: '30000',
    LLM_MAX_RETRIES: '0',
  };
}
