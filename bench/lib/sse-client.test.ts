import { describe, expect, it } from 'vitest';
import { SseParser, toolsOverlapped, type TimedEvent } from './sse-client.js';

describe('SseParser', () => {
  it('yields events only once their frame is complete, whatever the chunking, and skips keep-alives', () => {
    const p = new SseParser();
    expect(p.push('event: route\ndata: {"route":"faq"}\n\n: keep-alive\n\nevent: tok')).toEqual([{ event: 'route', data: { route: 'faq' } }]);
    expect(p.push('en\ndata: {"delta":"Hel')).toEqual([]);
    expect(p.push('lo"}\n\nevent: done\ndata: {}\n\n')).toEqual([
      { event: 'token', data: { delta: 'Hello' } },
      { event: 'done', data: {} },
    ]);
  });
});

describe('toolsOverlapped', () => {
  const tool = (status: string): TimedEvent => ({ event: 'tool', data: { status }, atMs: 0 });
  it('is true only when every call started before the first one finished', () => {
    expect(toolsOverlapped([tool('started'), tool('started'), tool('ok'), tool('ok')])).toBe(true);
    expect(toolsOverlapped([tool('started'), tool('ok'), tool('started'), tool('ok')])).toBe(false);
    expect(toolsOverlapped([tool('started'), tool('ok')])).toBe(false);
  });
});
