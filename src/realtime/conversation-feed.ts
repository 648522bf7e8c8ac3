import type { EventBus, Replay, Unsubscribe } from './bus.js';
import type { NumberedEvent } from './events.js';

/** What a client learns when its feed starts. */
export interface FeedStart {
  /** The newest event id when the feed started (what the client resumes from next time at the latest). */
  lastId: number;
  /** Events the client missed are no longer kept: it should reload the history over REST. */
  gap: boolean;
}

/**
 * One client's view of one conversation's events: the retained events it missed, then the live
 * ones, in id order and each exactly once. It subscribes before it replays (so nothing published
 * in between is lost), holds live events back while replaying, drops ids it has already sent, and
 * when a live event skips ahead (a lost pub/sub message) it fills the hole from the retained events.
 */
export class ConversationFeed {
  private last = 0;
  /** Non-null while catching up: live events wait here. */
  private held: NumberedEvent[] | null = [];
  private unsubscribe: Unsubscribe | null = null;
  private stopped = false;

  constructor(
    private readonly bus: EventBus,
    readonly conversationId: string,
    private readonly send: (event: NumberedEvent) => void,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** The id of the last event sent to the client. */
  get lastSent(): number {
    return this.last;
  }

  /**
   * Starts the feed. `lastEventId` undefined: live events only. `onStart` runs before any event
   * is sent (the caller announces the join there).
   */
  async start(lastEventId: number | undefined, onStart: (info: FeedStart) => void): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(this.conversationId, (e) => this.onLive(e));
    if (this.stopped) return this.unsubscribe();
    let replay: Replay;
    try {
      replay = await this.bus.replay(this.conversationId, lastEventId ?? null);
    } catch (err) {
      this.stop();
      throw err;
    }
    if (this.stopped) return;
    // A client ahead of the server (the counter expired or was reset) restarts from the server's count.
    const reset = lastEventId !== undefined && lastEventId > replay.lastId;
    this.last = lastEventId === undefined || reset ? replay.lastId : lastEventId;
    onStart({ lastId: replay.lastId, gap: replay.gap || reset });
    for (const e of replay.events) this.deliver(e);
    this.release();
  }

  /** Stops the feed; nothing more is sent. */
  stop(): void {
    this.stopped = true;
    this.held = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onLive(e: NumberedEvent): void {
    if (this.stopped) return;
    if (this.held) {
      this.held.push(e);
      return;
    }
    if (e.id <= this.last) return;
    if (e.id === this.last + 1) {
      this.deliver(e);
      return;
    }
    this.held = [e];
    void this.fillGap();
  }

  private async fillGap(): Promise<void> {
    try {
      const replay = await this.bus.replay(this.conversationId, this.last);
      if (this.stopped) return;
      for (const e of replay.events) this.deliver(e);
    } catch (err) {
      // Could not fill the hole: go on with what arrived live rather than stall the feed.
      this.onError(err);
    }
    this.release(false);
  }

  /** Sends the held live events in order (after a replay) and goes live; a hole left before them is filled once more. */
  private release(mayRefill = true): void {
    if (this.stopped || !this.held) return;
    const held = this.held.sort((a, b) => a.id - b.id);
    if (mayRefill && held.length > 0 && held[0]!.id > this.last + 1) {
      void this.fillGap();
      return;
    }
    this.held = null;
    for (const e of held) this.deliver(e);
  }

  private deliver(e: NumberedEvent): void {
    if (this.stopped || e.id <= this.last) return;
    this.last = e.id;
    this.send(e);
  }
}
