import { describe, expect, it } from 'vitest';
import { parseClientEvent } from '../http/ws/client-events.js';
import { findBadText, MAX_JSON_DEPTH } from './text-guard.js';

const deepArray = (n: number) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`) as unknown;
const deepObject = (n: number) => JSON.parse(`${'{"a":'.repeat(n)}"x"${'}'.repeat(n)}`) as unknown;

describe('findBadText', () => {
  it('names the first string that cannot be stored, in document order, and bad object keys', () => {
    expect(findBadText({ a: 'ok', b: ['fine', 'bad\u0000'], c: '\ud800' })).toEqual({ path: ['b', 1], message: expect.stringContaining('NUL') });
    expect(findBadText({ ok: 1, 'k\u0000': 'v' })).toEqual({ path: ['k\u0000'], message: expect.stringMatching(/^key /) });
    expect(findBadText({ a: ['x', { b: 'y' }], n: null, t: true })).toBeNull();
  });

  // Found by the OpenAPI fuzzer: a body of 5,000 nested arrays overflowed the recursive walk's stack → 500.
  it('refuses JSON nested deeper than MAX_JSON_DEPTH, however deep, without overflowing the stack', () => {
    for (const deep of [deepArray(5000), deepObject(100_000)]) {
      const bad = findBadText(deep);
      expect(bad?.message).toBe(`must not nest deeper than ${MAX_JSON_DEPTH} levels`);
      expect(bad?.path).toHaveLength(MAX_JSON_DEPTH);
    }
    expect(findBadText(deepArray(MAX_JSON_DEPTH))).toBeNull();
    expect(findBadText(deepObject(MAX_JSON_DEPTH - 1))).toBeNull();
  });

  it('a WebSocket frame nested thousands deep is an invalid_event, not a thrown RangeError', () => {
    const parsed = parseClientEvent(`{"type":"typing","conversation_id":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(parsed).toMatchObject({ ok: false, code: 'invalid_event', ref: 'typing' });
  });
});
