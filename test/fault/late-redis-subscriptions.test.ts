// A process whose Redis is not reachable yet when it starts (Redis starting later, a slow first
// connect under load): the event bus's subscriptions, made at start-up while the connection was
// still being tried, must hold once Redis is there. ioredis drops a queued SUBSCRIBE after
// maxRetriesPerRequest failed attempts and never sends it, so without the bus subscribing again on
// 'ready' this process would never hear a sign-out elsewhere (its sockets stay open) or a queue
// change. Runs against a redis-server of its own, started after the bus.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConversationEvent, NumberedEvent } from '../../src/contract/events.js';
import { createRedis } from '../../src/infra/redis.js';
import { RedisEventBus } from '../../src/realtime/redis-bus.js';
import { freePort, ThrowawayRedis } from './services.js';

const RETENTION = { retentionSeconds: 60, maxEvents: 100 };

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('event bus subscriptions made before Redis is reachable', () => {
  let redis: ThrowawayRedis | null = null;
  afterAll(async () => {
    await redis?.destroy();
  });

  it('receive signals and conversation events once Redis is up', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const prefix = `sbtest:${randomUUID()}:`;
    const errors: string[] = [];
    const lateRedis = createRedis(url);
    const late = new RedisEventBus(lateRedis, prefix, RETENTION, (_err, what) => errors.push(what));
    const ended: string[] = [];
    late.onSignal('session.ended', (sid) => ended.push(sid));
    const conversation = randomUUID();
    const seen: NumberedEvent[] = [];
    const subscribed = late
      .subscribe(conversation, (e) => seen.push(e))
      .then(
        () => 'subscribed',
        () => 'refused',
      );
    // After a few failed connection attempts (a retry every 100–1000 ms) the queued SUBSCRIBEs are given up on.
    await eventually(() => errors.includes('signal subscribe'));
    expect(await subscribed).toBe('refused');

    redis = await ThrowawayRedis.start({ port });
    const otherRedis = createRedis(url);
    const other = new RedisEventBus(otherRedis, prefix, RETENTION);
    await eventually(async () => {
      await other.signal('session.ended', 'a-session');
      return ended.length > 0;
    });
    expect(new Set(ended)).toEqual(new Set(['a-session']));

    // The conversation whose SUBSCRIBE was refused: a new follower's subscribe goes through, and events reach it.
    const event: ConversationEvent = { type: 'typing', conversation_id: conversation, who: 'assistant', on: true };
    const again: NumberedEvent[] = [];
    await late.subscribe(conversation, (e) => again.push(e));
    await other.publish(event);
    await eventually(() => again.length > 0);
    expect(again[0]).toMatchObject(event);
    expect(seen).toEqual([]);
    await Promise.all([late.close(), other.close()]);
    lateRedis.disconnect();
    otherRedis.disconnect();
  });
});
