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

  it("holds a turn's tokens while nobody follows the conversation, and sends the held text as one event to the first who does", async () => {
    const newProcess = space();
    const turn = newProcess();
    const c = randomUUID();
    // The turn's first event tells the bus nobody follows (its publish reached no one).
    const typing = await turn.publish({ type: 'typing', conversation_id: c, on: true, who: 'assistant' });
    for (const w of ['Standard ', 'shipping ', 'takes ']) turn.emit(token(c, w));
    await sleep(80); // longer than the window: nothing is sent while nobody listens
    expect((await turn.replay(c, 0)).events.map((e) => e.type)).toEqual(['typing']);

    // Someone follows it (on another process with Redis): the held text arrives as one event, then live tokens.
    const watcher = name === 'redis' ? newProcess() : turn;
    const seen: NumberedEvent[] = [];
    const stop = await watcher.subscribe(c, (e) => seen.push(e));
    await waitUntil(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ id: typing.id + 1, type: 'token', delta: 'Standard shipping takes ' });
    turn.emit(token(c, '3 to 5 days.'));
    turn.emit({ type: 'typing', conversation_id: c, on: false, who: 'assistant' });
    await waitUntil(() => seen.length === 3);
    expect(seen.map((e) => (e.type === 'token' ? e.delta : e.type))).toEqual(['Standard shipping takes ', '3 to 5 days.', 'typing']);
    stop();
    await Promise.all([turn.close(), watcher.close()]);
  });

  it('drops the held text of a message nobody followed once it is completed: only the completed message is kept', async () => {
    const bus = space()();
    const c = randomUUID();
    await bus.publish({ type: 'typing', conversation_id: c, on: true, who: 'assistant' });
    for (const w of ['Hello ', 'there']) bus.emit(token(c, w));
    bus.emit({ type: 'message.completed', conversation_id: c, message: { id: 'm1', content: 'Hello there' } as never });
    bus.emit({ type: 'typing', conversation_id: c, on: false, who: 'assistant' });
    await waitUntil(async () => (await bus.replay(c, 0)).events.length === 3);
    expect((await bus.replay(c, 0)).events.map((e) => e.type)).toEqual(['typing', 'message.completed', 'typing']);
    const seen: NumberedEvent[] = [];
    await bus.subscribe(c, (e) => seen.push(e));
    await sleep(80);
    expect(seen).toEqual([]);
    await bus.close();
  });

  it("keeps a message's tokens while it streams and, once it is completed, its message.completed instead: a resume still misses nothing", async () => {
    const bus = space()();
    const c = randomUUID();
    const ref = (delta: string, message_ref: string): ConversationEvent => ({ type: 'token', conversation_id: c, message_ref, delta });
    const start = (await bus.publish({ type: 'typing', conversation_id: c, on: true, who: 'assistant' })).id;
    await bus.publish(ref('Draft ', 'm1'));
    const seenFirst = (await bus.publish(ref('one', 'm1'))).id;
    await bus.publish({ type: 'tool', conversation_id: c, status: 'started' });
    await bus.publish(ref('Draft two', 'm1:2'));
    await bus.publish(ref('Another message', 'm0')); // not this message's
    const streaming = await bus.replay(c, start);
    expect(streaming.events.map((e) => (e.type === 'token' ? e.delta : e.type))).toEqual(['Draft ', 'one', 'tool', 'Draft two', 'Another message']);
    expect(streaming.gap).toBe(false);

    const done = await bus.publish({ type: 'message.completed', conversation_id: c, message: { id: 'm1', content: 'Draft two' } as never });
    const after = await bus.replay(c, start);
    expect(after.events.map((e) => (e.type === 'token' ? e.delta : e.type))).toEqual(['tool', 'Another message', 'message.completed']);
    expect(after).toMatchObject({ lastId: done.id, gap: false });
    // A client that saw the first token resumes without a gap: the completed message carries the rest.
    expect(await bus.replay(c, seenFirst)).toMatchObject({ gap: false, events: after.events });
    expect(await bus.replay(c, done.id)).toEqual({ events: [], lastId: done.id, gap: false });
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
  it('sends no Redis command for the tokens of a conversation nobody follows on any process (counted with MONITOR)', async () => {
    const space = makers()[1]![1]();
    const [turn, other] = [space(), space()];
    const c = randomUUID();
    const elsewhere = randomUUID();
    await other.subscribe(elsewhere, () => {}); // another process follows another conversation
    await turn.publish({ type: 'typing', conversation_id: c, on: true, who: 'assistant' });
    const monitor = await new Redis(TEST_REDIS_URL).monitor();
    const commands: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(args));
    await sleep(20);
    for (let i = 0; i < 40; i++) {
      turn.emit(token(c, `w${i} `));
      if (i % 10 === 9) await sleep(60);
    }
    turn.emit({ type: 'typing', conversation_id: c, on: false, who: 'assistant' });
    await waitUntil(async () => (await turn.replay(c, 0)).events.length === 2);
    await sleep(20);
    monitor.disconnect();
    const aboutC = commands.filter((args) => args.some((a) => a.includes(c)));
    // One script run (the typing event), its XADD and PUBLISH, and the replays of this test; no token.
    expect(aboutC.filter((args) => /^publish$/i.test(args[0]!))).toHaveLength(1);
    expect(aboutC.some((args) => args.some((a) => a.includes('"type":"token"')))).toBe(false);
    await Promise.all([turn.close(), other.close()]);
  });

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
