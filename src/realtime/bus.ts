import type { ConversationEvent, NumberedEvent } from '../contract/events.js';

/** Receives the events of a turn as they happen (streaming to SSE or the bus). */
export type EmitEvent = (event: ConversationEvent) => void;

/** Stops a subscription. */
export type Unsubscribe = () => void;

/** What a conversation's retained events say after a client's last seen id. */
export interface Replay {
  /** The retained events with id > afterId, oldest first. */
  events: NumberedEvent[];
  /** The newest event id of the conversation (0 when none was ever published or all expired). */
  lastId: number;
  /** True when events the client missed are no longer kept (it should reload the history). */
  gap: boolean;
}

/**
 * Cross-process signals that are not about one conversation (no numbering, no retention):
 * `queue` (the staff queue changed), `session.ended` (payload: the session id; its sockets close).
 */
export type SignalTopic = 'queue' | 'session.ended';

/**
 * The realtime event bus: numbers each conversation's events, keeps them for a while for resume,
 * and fans them out to every subscriber in every API process. Redis (streams + pub/sub) when
 * REDIS_URL is set, in-process otherwise; the same interface either way.
 */
export interface EventBus {
  /**
   * Numbers, stores and fans out one event. Events of one conversation keep the order of publish()
   * and emit() calls: token text the bus still holds for the conversation goes out first.
   */
  publish(event: ConversationEvent): Promise<NumberedEvent>;
  /**
   * Publishes without waiting (a turn's stream); a failure is logged by the bus. A handoff event
   * also signals the staff queue feed. Token events are coalesced (token-coalescer.ts): at most one
   * per 50 ms per conversation, carrying the concatenated deltas.
   */
  emit(event: ConversationEvent): void;
  /**
   * Receives the conversation's events from now on; resolves once the subscription is live.
   * `onResume` runs when the subscription was down (the connection to Redis dropped) and is live
   * again: events published meanwhile never reached `listener`, so the subscriber replays them.
   */
  subscribe(conversationId: string, listener: (event: NumberedEvent) => void, onResume?: () => void): Promise<Unsubscribe>;
  /** The retained events after `afterId`; with null, only the newest id (no events). */
  replay(conversationId: string, afterId: number | null): Promise<Replay>;
  /** Tells every process that something on a topic changed, with an optional payload. */
  signal(topic: SignalTopic, payload?: string): Promise<void>;
  /** Receives the topic's signals and their payload ('' when none), from every process, this one included. */
  onSignal(topic: SignalTopic, listener: (payload: string) => void): Unsubscribe;
  /** Waits for pending publishes, then stops subscribers. */
  close(): Promise<void>;
}

/** How long and how many events each conversation keeps for resume. */
export interface RetentionOptions {
  retentionSeconds: number;
  maxEvents: number;
}

/**
 * Computes the replay answer from the retained events, the newest id, and the floor: the newest id
 * that retention dropped (or below which the ids of an earlier Redis life lie). Ids missing above the
 * floor are the token events of a completed message, compacted away: its `message.completed` carries
 * their text, so a client that missed them has not lost anything.
 */
export function replayOf(retained: NumberedEvent[], afterId: number | null, lastId: number, floor = 0): Replay {
  if (afterId === null) return { events: [], lastId, gap: false };
  const events = retained.filter((e) => e.id > afterId);
  // A client ahead of the newest id saw events the bus no longer knows of (its counter was lost). One
  // behind it lost events when retention dropped some it had not seen, or when nothing at all is kept
  // after its id (a compacted token is always followed by its kept message.completed).
  const gap = afterId > lastId || (afterId < lastId && (events.length === 0 || floor > afterId));
  return { events, lastId, gap };
}

/** Publishes a handoff-status change and signals the staff queue feed. */
export async function publishHandoff(bus: EventBus, event: Extract<ConversationEvent, { type: 'handoff' }>): Promise<NumberedEvent> {
  const numbered = await bus.publish(event);
  await bus.signal('queue');
  return numbered;
}

/** The fire-and-forget publish both buses share: errors go to the bus's error reporter. */
export function emitOn(bus: EventBus, event: ConversationEvent, onError: (err: unknown, what: string) => void): void {
  const published = event.type === 'handoff' ? publishHandoff(bus, event) : bus.publish(event);
  published.catch((err: unknown) => onError(err, `publish ${event.type}`));
}
