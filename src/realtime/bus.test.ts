import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../test/app.js';
import { deleteRedisKeys } from '../../test/redis.js';
import type { EventBus } from './bus.js';
import type { ConversationEvent, NumberedEvent } from '../contract/events.js';
import { MemoryEventBus } from './memory-bus.js';
import { RedisEventBus } from './redis-bus.js';

const token = (conversationId: string, delta: string): ConversationEvent => ({ type: 'token', conversation_id: conversationId, message_ref: 'm1', delta });
const fail = (err: unknown) => {
  throw err;
};

const connections: Redis[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  await Promise.all(connections.map((r) => r.quit()));
  await Promise.all(prefixes.map((p) => deleteRedisKeys(p)));
});

/** Buses that share one event space: two Redis buses on one prefix are two API processes. */
function makers(): [string, (retention?: { retentionSeconds: number; maxEvents: number }) => () => EventBus][] {
  return [
    [
      'memory',
      (retention = { retentionSeconds: 3600, maxEvents: 100 }) => {
        const bus = new MemoryEventBus(retention, 10_000, fail);
        return () => bus;
      },
    ],
    [
      'redis',
      (retention = { retentionSeconds: 3600, maxEvents: 100 }) => {
        const prefix = `sbtest:${randomUUID()}:`;
        prefixes.push(prefix);
        return () => {
          const redis = new Redis(TEST_REDIS_URL);
          connections.push(redis);
          return new RedisEventBus(redis, prefix, retention, fail);
        };
      },
    ],
  ];
}

describe.each(makers())('event bus (%s)', (name, space) => {
  it('numbers each conversation with consecutive ids and keeps the order of publish calls', async () => {
    const bus = space()();
    const a = randomUUID();
    const b = randomUUID();
    const published = await Promise.all([bus.publish(token(a, 'x')), bus.publish(token(a, 'y')), bus.publish(token(b, 'z')), bus.publish(token(a, 'w'))]);
    // In-process ids start at 1; Redis ones at its clock in microseconds (above any earlier server life's).
    const [a1, b1] = [published[0]!.id, published[2]!.id];
    expect(name === 'memory' ? [a1, b1] : [a1 > 1e15, b1 > 1e15]).toEqual(name === 'memory' ? [1, 1] : [true, true]);
    expect(published.map((e) => [e.conversation_id === a ? 'a' : 'b', e.id])).toEqual([
      ['a', a1],
      ['a', a1 + 1],
      ['b', b1],
      ['a', a1 + 2],
    ]);
    await bus.close();
  });

  it('delivers live events to subscribers and replays what a client missed, in order', async () => {
    const bus = space()();
    const c = randomUUID();
    const first = (await bus.publish(token(c, 'a'))).id;
    for (const d of ['b', 'c']) await bus.publish(token(c, d));
    const seen: NumberedEvent[] = [];
    const stop = await bus.subscribe(c, (e) => seen.push(e));
    await bus.publish(token(c, 'd'));
    await waitUntil(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ id: first + 3, type: 'token', delta: 'd' });
    const replay = await bus.replay(c, first);
    expect(replay.events.map((e) => e.id)).toEqual([first + 1, first + 2, first + 3]);
    expect(replay).toMatchObject({ lastId: first + 3, gap: false });
    expect(await bus.replay(c, null)).toEqual({ events: [], lastId: first + 3, gap: false });
    // A client ahead of the newest id saw events the bus no longer knows of.
    expect(await bus.replay(c, first + 10)).toEqual({ events: [], lastId: first + 3, gap: true });
    stop();
    await bus.close();
  });

  it('reports a gap when the events a client missed are no longer kept', async () => {
    const bus = space({ retentionSeconds: 3600, maxEvents: 10 })();
    const c = randomUUID();
    const first = (await bus.publish(token(c, 't0'))).id;
    for (let i = 1; i < 60; i++) await bus.publish(token(c, `t${i}`));
    const replay = await bus.replay(c, first);
    expect(replay.gap).toBe(true);
    expect(replay.lastId).toBe(first + 59);
    expect(replay.events.at(-1)!.id).toBe(first + 59);
    expect((await bus.replay(c, first + 57)).gap).toBe(false);
    await bus.close();
  });

  it("coalesces a turn's tokens: the first at once, the rest of the window as one event, all before the next event", async () => {
    const bus = space()();
    const c = randomUUID();
    const seen: NumberedEvent[] = [];
    const stop = await bus.subscribe(c, (e) => seen.push(e));
    const words = Array.from({ length: 50 }, (_, i) => `w${i} `);
    for (const w of words) bus.emit(token(c, w));
    bus.emit({ type: 'typing', conversation_id: c, on: false, who: 'assistant' });
    await waitUntil(() => seen.length === 3);
    expect(seen.map((e) => e.type)).toEqual(['token', 'token', 'typing']);
    expect(seen.map((e) => (e.type === 'token' ? e.delta : ''))).toEqual(['w0 ', words.slice(1).join(''), '']);
    expect(seen.map((e) => e.id)).toEqual([seen[0]!.id, seen[0]!.id + 1, seen[0]!.id + 2]);
    stop();
    await bus.close();
  });

  it('carries signals to every listener', async () => {
    const bus = space()();
    let count = 0;
    const stop = bus.onSignal('queue', () => count++);
    await waitUntil(async () => {
      await bus.signal('queue');
      return count > 0;
    });
    stop();
    await bus.close();
  });

  it("carries a signal's payload, on its topic only", async () => {
    const bus = space()();
    const ended: string[] = [];
    let queue = 0;
    const stopEnded = bus.onSignal('session.ended', (sid) => ended.push(sid));
    const stopQueue = bus.onSignal('queue', () => queue++);
    await waitUntil(async () => {
      await bus.signal('session.ended', 'a-session-id');
      return ended.length > 0;
    });
    expect(new Set(ended)).toEqual(new Set(['a-session-id']));
    expect(queue).toBe(0);
    stopEnded();
    stopQueue();
    await bus.close();
  });
});

describe('event bus across processes (redis)', () => {
  it('numbers events from two processes in one sequence and delivers each to both', async () => {
    const space = makers()[1]![1]();
    const [a, b] = [space(), space()];
    const c = randomUUID();
    const seenA: number[] = [];
    const seenB: number[] = [];
    await a.subscribe(c, (e) => seenA.push(e.id));
    await b.subscribe(c, (e) => seenB.push(e.id));
    await Promise.all([a.publish(token(c, '1')), b.publish(token(c, '2')), a.publish(token(c, '3')), b.publish(token(c, '4'))]);
    await waitUntil(() => seenA.length === 4 && seenB.length === 4);
    const first = seenA[0]!;
    expect(seenA).toEqual([first, first + 1, first + 2, first + 3]);
    expect(seenB).toEqual(seenA);
    await Promise.all([a.close(), b.close()]);
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
