import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationEvent } from '../contract/events.js';
import { TOKEN_WINDOW_MS, TokenCoalescer } from './token-coalescer.js';

const C = '00000000-0000-4000-8000-000000000001';
const D = '00000000-0000-4000-8000-000000000002';
type Token = Extract<ConversationEvent, { type: 'token' }>;
const token = (delta: string, ref = 'm1', conversation_id = C): Token => ({ type: 'token', conversation_id, message_ref: ref, delta });

describe('TokenCoalescer', () => {
  let sent: Token[];
  let listening: Set<string>;
  let tokens: TokenCoalescer;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    listening = new Set([C, D]);
    tokens = new TokenCoalescer(
      (e) => sent.push(e),
      (c) => listening.has(c),
    );
  });
  afterEach(() => {
    tokens.stop();
    vi.useRealTimers();
  });

  it('sends the first token at once and the ones within the window as one event with their concatenation', () => {
    tokens.token(token('Hello'));
    expect(sent).toEqual([token('Hello')]);
    for (const d of [',', ' wor', 'ld', '!']) tokens.token(token(d));
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(TOKEN_WINDOW_MS);
    expect(sent).toEqual([token('Hello'), token(', world!')]);
  });

  it('sends at most one event per window per conversation while tokens keep coming', () => {
    // 200 tokens, one every 5 ms: 1 s of streaming.
    for (let i = 0; i < 200; i++) {
      tokens.token(token(`${i} `));
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(TOKEN_WINDOW_MS);
    expect(sent.length).toBeLessThanOrEqual(1000 / TOKEN_WINDOW_MS + 1);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.map((e) => e.delta).join('')).toBe(Array.from({ length: 200 }, (_, i) => `${i} `).join(''));
  });

  it('keeps conversations apart', () => {
    tokens.token(token('a1'));
    tokens.token(token('b1', 'm2', D));
    tokens.token(token('a2'));
    tokens.token(token('b2', 'm2', D));
    expect(sent).toEqual([token('a1'), token('b1', 'm2', D)]);
    vi.advanceTimersByTime(TOKEN_WINDOW_MS);
    expect(sent.slice(2)).toEqual([token('a2'), token('b2', 'm2', D)]);
  });

  it('sends what waits before any other event of the conversation, so the order is kept', () => {
    tokens.token(token('one'));
    tokens.token(token(' two'));
    tokens.token(token(' three'));
    tokens.before({ type: 'tool', conversation_id: C, status: 'started' });
    expect(sent).toEqual([token('one'), token(' two three')]);
    // Another conversation's event leaves this one's window alone.
    tokens.token(token(' four'));
    tokens.before({ type: 'typing', conversation_id: D, on: true, who: 'customer' });
    expect(sent).toHaveLength(2);
    tokens.before({ type: 'message.completed', conversation_id: C, message: {} as never });
    expect(sent.at(-1)).toEqual(token(' four'));
  });

  it("keeps each draft's text under its own ref", () => {
    tokens.token(token('first'));
    tokens.token(token(' draft'));
    tokens.token(token('second', 'm1:2'));
    tokens.token(token(' draft', 'm1:2'));
    vi.advanceTimersByTime(TOKEN_WINDOW_MS);
    expect(sent).toEqual([token('first'), token(' draft'), token('second draft', 'm1:2')]);
  });
});
