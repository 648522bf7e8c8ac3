/**
 * The fake model's own time in a turn, from what the fake server recorded of each request, so a
 * benchmark can subtract it from what the client measured: what remains is the service's overhead.
 * Requests are attributed to turns by a marker in the customer's message (`[#123]`).
 */

/** A model request as the fake server timed it (performance.now() milliseconds). */
export interface TimedRequest {
  /** The marker of the turn it belongs to (undefined: none found). */
  turn?: number;
  receivedMs: number;
  /** When the first text chunk went out (streamed answers only). */
  firstTextMs?: number;
  endedMs?: number;
}

const MARKER = /\[#(\d+)\]/;

/** The turn marker to put in a customer's message. */
export function marker(turn: number): string {
  return `[#${turn}]`;
}

/** The turn a text's marker names; undefined when it has none, or several (a summary of earlier turns). */
export function markerOf(text: string): number | undefined {
  const all = [...text.matchAll(new RegExp(MARKER.source, 'g'))];
  return all.length === 1 ? Number(all[0]![1]) : undefined;
}

/** Requests grouped by turn (requests without a marker are left out). */
export function byTurn<T extends TimedRequest>(requests: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of requests) {
    if (r.turn === undefined) continue;
    let list = out.get(r.turn);
    if (!list) {
      list = [];
      out.set(r.turn, list);
    }
    list.push(r);
  }
  for (const list of out.values()) list.sort((a, b) => a.receivedMs - b.receivedMs);
  return out;
}

/** The fake model's time over a turn's requests: the sum of each request's time from received to answered. */
export function modelTime(requests: readonly TimedRequest[]): number {
  let total = 0;
  for (const r of requests) {
    if (r.endedMs === undefined) throw new Error('a model request of the turn never finished');
    total += r.endedMs - r.receivedMs;
  }
  return total;
}

/**
 * The fake model's time before the first answer token reached the service: the whole time of every
 * request before the first one that streamed text, plus that one's time to its first text chunk.
 * Undefined when no request streamed text.
 */
export function modelTimeToFirstToken(requests: readonly TimedRequest[]): number | undefined {
  const sorted = [...requests].sort((a, b) => a.receivedMs - b.receivedMs);
  let total = 0;
  for (const r of sorted) {
    if (r.firstTextMs !== undefined) return total + (r.firstTextMs - r.receivedMs);
    if (r.endedMs === undefined) return undefined;
    total += r.endedMs - r.receivedMs;
  }
  return undefined;
}

/** A client-timed turn paired with the fake model's time in it. */
export interface TurnSample {
  turn: number;
  /** What the client measured, ms. */
  clientMs: number;
  /** The fake model's own time in the turn, ms. */
  modelMs: number;
  /** clientMs − modelMs: the service's overhead. */
  overheadMs: number;
}

/**
 * Pairs client timings with the model time of the same turn. Turns the fake never saw (failed
 * before the model) are returned apart, so a benchmark can count them instead of hiding them.
 */
export function pairTurns(
  client: ReadonlyMap<number, number>,
  requests: readonly TimedRequest[],
  time: (rs: readonly TimedRequest[]) => number | undefined = modelTime,
): { samples: TurnSample[]; unmatched: number[] } {
  const turns = byTurn(requests);
  const samples: TurnSample[] = [];
  const unmatched: number[] = [];
  for (const [turn, clientMs] of client) {
    const rs = turns.get(turn);
    const m = rs ? time(rs) : undefined;
    if (m === undefined) unmatched.push(turn);
    else samples.push({ turn, clientMs, modelMs: m, overheadMs: clientMs - m });
  }
  return { samples, unmatched };
}
