/**
 * Closed-loop HTTP load with autocannon: `connections` clients, each sending its next request as
 * soon as the previous answer is in, for `seconds`. Every request is built fresh (its own turn
 * number, body and idempotency key) and every answer's latency is kept with its turn number, so a
 * benchmark can pair it with the fake model's time in that turn.
 */
import autocannon, { type RequestParams } from 'autocannon';

/** One request of the load. */
export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What a load run measured. */
export interface LoadResult {
  /** Latency (ms) of every answered request by its turn number, 2xx only. */
  latencies: Map<number, number>;
  /** Answers with another status, by status. */
  failures: Map<number, number>;
  /** Answered 2xx requests per second over the run. */
  throughput: number;
  errors: number;
  timeouts: number;
  seconds: number;
  /** The first turn number not used by this run. */
  nextTurn: number;
}

/** Runs the load; `build(turn)` makes request number `turn` (numbers are unique across the run, from `firstTurn`). */
export async function runLoad(opts: {
  baseUrl: string;
  connections: number;
  seconds: number;
  build: (turn: number) => LoadRequest;
  /** Looks at each answer's body (e.g. to count answers the offline engine gave). */
  inspect?: (status: number, body: string) => void;
  firstTurn?: number;
}): Promise<LoadResult> {
  let next = opts.firstTurn ?? 0;
  const latencies = new Map<number, number>();
  const failures = new Map<number, number>();
  // autocannon calls a request's onResponse and then, synchronously, emits `response` with the
  // latency: the turn seen by the one is the turn timed by the other.
  let answered: { turn: number; status: number } | undefined;
  const instance = autocannon({
    url: opts.baseUrl,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        setupRequest(req: RequestParams, context: Record<string, unknown>) {
          const turn = next++;
          const r = opts.build(turn);
          context.turn = turn;
          return { ...req, path: r.path, headers: r.headers, body: r.body };
        },
        onResponse(status: number, body: string, context: Record<string, unknown>) {
          answered = { turn: context.turn as number, status };
          opts.inspect?.(status, body);
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (!answered) return;
    if (status >= 200 && status < 300) latencies.set(answered.turn, ms);
    else failures.set(status, (failures.get(status) ?? 0) + 1);
    answered = undefined;
  });
  const result = await instance;
  return {
    latencies,
    failures,
    throughput: latencies.size / result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    nextTurn: next,
  };
}
