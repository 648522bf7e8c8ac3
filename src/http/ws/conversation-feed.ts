import type { EventBus, Replay, Unsubscribe } from '../../realtime/bus.js';
import type { NumberedEvent } from '../../contract/events.js';

/** What a client learns when its feed starts. */
export interface FeedStart {
  /** The newest event id when the feed started (what the client resumes from next time at the latest). */
  lastId: number;
  /** Events the client missed are no longer kept: it should reload the history over REST. */
  gap: boolean;
}

/**
 * What a feed tells its owner besides the events, with the feed's conversation (so one owner, the
 * socket's session, serves all its feeds with no closure per feed).
 */
export interface FeedHooks {
  /** A gap could not be filled from the retained events. */
  onFeedError?(err: unknown, conversationId: string): void;
  /**
   * Found while live: events the client has not seen are no longer kept (the bus lost them, as in a
   * Redis restart). `lastId` is the bus's newest id; the kept events that follow are still sent. The
   * client should reload the history.
   */
  onFeedGap?(info: FeedStart, conversationId: string): void;
}

/**
 * One client's view of one conversation's events: the retained events it missed, then the live
 * ones, in id order and each exactly once. It subscribes before it replays (so nothing published
 * in between is lost), holds live events back while replaying, drops ids it has already sent, and
 * when a live event skips ahead (a lost pub/sub message) it fills the hole from the retained events;
 * when even those are gone (or the bus's subscription was down and came back) it says so (onGap).
 */
export class ConversationFeed {
  private last = 0;
  /** Non-null while catching up: live events wait here. */
  private held: NumberedEvent[] | null = [];
  /** The subscription came back while a catch-up was running: replay once more after it. */
  private resumeAgain = false;
  private unsubscribe: Unsubscribe | null = null;
  private stopped = false;

  constructor(
    private readonly bus: EventBus,
    readonly conversationId: string,
    private readonly send: (event: NumberedEvent) => void,
    private readonly hooks: FeedHooks = {},
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
    this.unsubscribe = await this.bus.subscribe(
      this.conversationId,
      (e) => this.onLive(e),
      () => this.onResume(),
    );
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
    onStart({ lastId: replay.lastId, gap: replay.gap });
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

  /** The bus's subscription is live again after being down: replay what it may have missed. */
  private onResume(): void {
    if (this.stopped) return;
    if (this.held) {
      this.resumeAgain = true;
      return;
    }
    this.held = [];
    void this.fillGap();
  }

  private async fillGap(): Promise<void> {
    this.resumeAgain = false;
    try {
      const replay = await this.bus.replay(this.conversationId, this.last);
      if (this.stopped) return;
      if (replay.gap) {
        // Behind us, the bus restarted its count: go on from there, as start() does.
        if (replay.lastId < this.last) this.last = replay.lastId;
        this.hooks.onFeedGap?.({ lastId: replay.lastId, gap: true }, this.conversationId);
      }
      for (const e of replay.events) this.deliver(e);
    } catch (err) {
      // Could not fill the hole: go on with what arrived live rather than stall the feed.
      this.hooks.onFeedError?.(err, this.conversationId);
    }
    if (this.resumeAgain && !this.stopped) {
      void this.fillGap();
      return;
    }
    this.release(false);
  }

  /** Sends the held live events in order (after a replay) and goes live; a hole left before them is filled once more. */
  private release(mayRefill = true): void {
    if (this.stopped || !this.held) return;
    const held = this.held.sort((a, b) => a.id - b.id);
    if (mayRefill && (this.resumeAgain || (held.length > 0 && held[0]!.id > this.last + 1))) {
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
