import { emitOn, replayOf, type EventBus, type Replay, type RetentionOptions, type SignalTopic, type Unsubscribe } from './bus.js';
import type { ConversationEvent, NumberedEvent } from '../contract/events.js';
import { messageOfRef, TokenCoalescer } from './token-coalescer.js';

interface Kept {
  seq: number;
  events: { event: NumberedEvent; at: number }[];
  /** The newest id retention dropped (0: none); compacted tokens do not count. */
  floor: number;
  touchedAt: number;
}

/**
 * The in-process event bus (embedded mode, one API process): a counter and a bounded ring of
 * recent events per conversation, and listeners called synchronously on publish.
 */
export class MemoryEventBus implements EventBus {
  private readonly kept = new Map<string, Kept>();
  private readonly listeners = new Map<string, Set<(e: NumberedEvent) => void>>();
  private readonly signals = new Map<SignalTopic, Set<(payload: string) => void>>();
  private readonly tokens = new TokenCoalescer(
    (e) => emitOn(this, e, this.onError),
    (c) => this.listeners.has(c),
  );

  constructor(
    private readonly retention: RetentionOptions,
    private readonly maxConversations = 10_000,
    private readonly onError: (err: unknown, what: string) => void = () => {},
  ) {}

  emit(event: ConversationEvent): void {
    if (event.type === 'token') this.tokens.token(event);
    else emitOn(this, event, this.onError);
  }

  async publish(event: ConversationEvent): Promise<NumberedEvent> {
    this.tokens.before(event);
    return this.number(event);
  }

  private number(event: ConversationEvent): NumberedEvent {
    const now = Date.now();
    const k = this.entry(event.conversation_id, now);
    k.seq += 1;
    const numbered = { ...event, id: k.seq } as NumberedEvent;
    // The completed message carries its text: the tokens it was streamed in need not be kept.
    if (event.type === 'message.completed') k.events = k.events.filter(({ event: e }) => e.type !== 'token' || messageOfRef(e.message_ref) !== event.message.id);
    k.events.push({ event: numbered, at: now });
    this.prune(k, now);
    for (const listener of this.listeners.get(event.conversation_id) ?? []) {
      try {
        listener(numbered);
      } catch (err) {
        this.onError(err, 'event listener');
      }
    }
    return numbered;
  }

  // In-process delivery never drops a subscription, so there is nothing to resume (no onResume).
  async subscribe(conversationId: string, listener: (event: NumberedEvent) => void): Promise<Unsubscribe> {
    let set = this.listeners.get(conversationId);
    if (!set) {
      set = new Set();
      this.listeners.set(conversationId, set);
    }
    set.add(listener);
    // Token text held while nobody listened goes out now (after the listener, so it gets it).
    this.tokens.wake(conversationId);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  async replay(conversationId: string, afterId: number | null): Promise<Replay> {
    const k = this.kept.get(conversationId);
    if (!k) return replayOf([], afterId, 0);
    this.prune(k, Date.now());
    return replayOf(
      k.events.map((e) => e.event),
      afterId,
      k.seq,
      k.floor,
    );
  }

  async signal(topic: SignalTopic, payload = ''): Promise<void> {
    for (const listener of this.signals.get(topic) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        this.onError(err, 'event listener');
      }
    }
  }

  onSignal(topic: SignalTopic, listener: (payload: string) => void): Unsubscribe {
    let set = this.signals.get(topic);
    if (!set) {
      set = new Set();
      this.signals.set(topic, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    this.tokens.stop();
    this.listeners.clear();
    this.signals.clear();
  }

  private entry(conversationId: string, now: number): Kept {
    let k = this.kept.get(conversationId);
    if (k) {
      // Re-insert so the Map's order is least recently used first.
      this.kept.delete(conversationId);
    } else {
      k = { seq: 0, events: [], floor: 0, touchedAt: now };
      if (this.kept.size >= this.maxConversations) {
        const oldest = this.kept.keys().next().value;
        if (oldest !== undefined) this.kept.delete(oldest);
      }
    }
    k.touchedAt = now;
    this.kept.set(conversationId, k);
    return k;
  }

  private prune(k: Kept, now: number): void {
    const cutoff = now - this.retention.retentionSeconds * 1000;
    let drop = Math.max(0, k.events.length - this.retention.maxEvents);
    while (drop < k.events.length && k.events[drop]!.at < cutoff) drop++;
    if (drop > 0) k.floor = Math.max(k.floor, k.events.splice(0, drop).at(-1)!.event.id);
  }
}
