import { describe, expect, it } from 'vitest';
import type { EventBus, Replay } from '../../realtime/bus.js';
import { ConversationFeed, type FeedStart } from './conversation-feed.js';
import type { ConversationEvent, NumberedEvent } from '../../contract/events.js';
import { MemoryEventBus } from '../../realtime/memory-bus.js';

const C = '00000000-0000-4000-8000-000000000001';
const token = (delta: string): ConversationEvent => ({ type: 'token', conversation_id: C, message_ref: 'm', delta });

/** The in-process bus with two faults to inject: a replay that waits for the test, and lost live events. */
class FaultyBus extends MemoryEventBus {
  replayGate: Promise<void> | null = null;
  readonly lose = new Set<number>();
  constructor() {
    super({ retentionSeconds: 3600, maxEvents: 1000 });
  }
  override async replay(conversationId: string, afterId: number | null): Promise<Replay> {
    if (this.replayGate) await this.replayGate;
    return super.replay(conversationId, afterId);
  }
  override subscribe(conversationId: string, listener: (e: NumberedEvent) => void) {
    return super.subscribe(conversationId, (e) => {
      if (!this.lose.has(e.id)) listener(e);
    });
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function follow(bus: EventBus, lastEventId: number | undefined): Promise<{ ids: number[]; start: FeedStart; feed: ConversationFeed }> {
  const ids: number[] = [];
  let start: FeedStart | undefined;
  const feed = new ConversationFeed(bus, C, (e) => ids.push(e.id));
  await feed.start(lastEventId, (s) => (start = s));
  return { ids, start: start!, feed };
}

describe('ConversationFeed', () => {
  it('sends the missed events, then live ones, each once and in order, even when live events arrive during the replay', async () => {
    const bus = new FaultyBus();
    for (let i = 1; i <= 5; i++) await bus.publish(token(`${i}`));
    const gate = deferred();
    bus.replayGate = gate.promise;
    const ids: number[] = [];
    const feed = new ConversationFeed(bus, C, (e) => ids.push(e.id));
    const started = feed.start(2, () => {});
    await new Promise((r) => setTimeout(r, 0));
    // Published after the subscription, before the replay answers: both the replay and the live feed could send 6.
    await bus.publish(token('6'));
    await bus.publish(token('7'));
    gate.resolve();
    await started;
    bus.replayGate = null;
    await bus.publish(token('8'));
    expect(ids).toEqual([3, 4, 5, 6, 7, 8]);
    feed.stop();
  });

  it('fills a hole when a live event is lost on the way', async () => {
    const bus = new FaultyBus();
    const { ids, feed } = await follow(bus, 0);
    bus.lose.add(2);
    for (let i = 1; i <= 4; i++) await bus.publish(token(`${i}`));
    await new Promise((r) => setTimeout(r, 10));
    expect(ids).toEqual([1, 2, 3, 4]);
    feed.stop();
  });

  it('without last_event_id sends live events only and says where the client stands', async () => {
    const bus = new FaultyBus();
    await bus.publish(token('1'));
    const { ids, start, feed } = await follow(bus, undefined);
    await bus.publish(token('2'));
    expect(start).toEqual({ lastId: 1, gap: false });
    expect(ids).toEqual([2]);
    feed.stop();
  });

  it('restarts from the server count, flagging a gap, when the client is ahead (counter reset)', async () => {
    const bus = new FaultyBus();
    await bus.publish(token('1'));
    const { ids, start, feed } = await follow(bus, 40);
    await bus.publish(token('2'));
    expect(start).toEqual({ lastId: 1, gap: true });
    expect(ids).toEqual([2]);
    feed.stop();
  });

  it('sends nothing after stop', async () => {
    const bus = new FaultyBus();
    const { ids, feed } = await follow(bus, 0);
    feed.stop();
    await bus.publish(token('1'));
    expect(ids).toEqual([]);
  });
});
