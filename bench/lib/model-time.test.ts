import { describe, expect, it } from 'vitest';
import { byTurn, marker, markerOf, modelTime, modelTimeToFirstToken, pairTurns, type TimedRequest } from './model-time.js';

// A turn as the fake model saw it: the router call (no stream), the tool-call step, the streamed answer.
const turn7: TimedRequest[] = [
  { turn: 7, receivedMs: 100, endedMs: 350 },
  { turn: 7, receivedMs: 360, endedMs: 610 },
  { turn: 7, receivedMs: 630, firstTextMs: 893, endedMs: 1400 },
];

describe('turn markers', () => {
  it('reads back the marker of a message, and none from a text quoting several turns', () => {
    expect(markerOf(`How long does shipping take? ${marker(42)}`)).toBe(42);
    expect(markerOf('no marker here')).toBeUndefined();
    expect(markerOf(`Customer: first ${marker(1)}\nCustomer: second ${marker(2)}`)).toBeUndefined();
  });
});

describe("the fake model's own time", () => {
  it('adds up every request of a turn from received to answered', () => {
    expect(modelTime(turn7)).toBe(250 + 250 + 770);
  });

  it('counts the time before the first token as the calls before the streamed answer plus its first chunk', () => {
    expect(modelTimeToFirstToken([...turn7].reverse())).toBe(250 + 250 + 263);
    expect(modelTimeToFirstToken(turn7.slice(0, 2))).toBeUndefined();
  });

  it('refuses a turn whose model request never finished', () => {
    expect(() => modelTime([{ turn: 1, receivedMs: 0 }])).toThrow(/never finished/);
  });
});

describe('pairing client timings with model time', () => {
  it("subtracts each turn's own model time and sets apart turns the model never saw", () => {
    const requests = [...turn7, { turn: 8, receivedMs: 2000, endedMs: 2100 }, { receivedMs: 0, endedMs: 5 }];
    expect(byTurn(requests).get(7)).toHaveLength(3);
    const { samples, unmatched } = pairTurns(
      new Map([
        [7, 1330],
        [8, 130],
        [9, 40],
      ]),
      requests,
    );
    expect(samples).toEqual([
      { turn: 7, clientMs: 1330, modelMs: 1270, overheadMs: 60 },
      { turn: 8, clientMs: 130, modelMs: 100, overheadMs: 30 },
    ]);
    expect(unmatched).toEqual([9]);
  });
});
