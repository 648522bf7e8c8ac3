import type { EventBus, Unsubscribe } from '../../realtime/bus.js';
import type { QueueSnapshot } from '../../contract/events.js';

/**
 * The staff console's live feed of conversations waiting for a human, in one API process. Any
 * process signals a change (escalation, takeover, release); each process then loads the queue
 * once and sends it to its subscribed staff sockets. A slow timer refreshes ages and catches
 * changes made outside the chat (a ticket closed elsewhere).
 */
export class QueueFeed {
  private readonly listeners = new Set<(snapshot: QueueSnapshot) => void>();
  private stopSignal: Unsubscribe | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly bus: EventBus,
    private readonly load: () => Promise<QueueSnapshot>,
    private readonly onError: (err: unknown) => void,
    private readonly refreshMs = 30_000,
  ) {}

  /** Sends the current queue to `listener` now and on every change, until the returned function is called. */
  async add(listener: (snapshot: QueueSnapshot) => void): Promise<Unsubscribe> {
    this.listeners.add(listener);
    if (!this.stopSignal) {
      this.stopSignal = this.bus.onSignal('queue', () => this.refresh());
      this.timer = setInterval(() => this.refresh(), this.refreshMs);
      this.timer.unref();
    }
    listener(await this.load());
    return () => this.remove(listener);
  }

  /** Stops listening for changes. */
  close(): void {
    this.listeners.clear();
    this.stop();
  }

  /** Loads and sends the queue; a change during a load causes one more load, not one per change. */
  refresh(): void {
    if (this.listeners.size === 0) return;
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = this.load()
      .then((snapshot) => {
        for (const l of this.listeners) l(snapshot);
      })
      .catch(this.onError)
      .finally(() => {
        this.loading = null;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  private remove(listener: (snapshot: QueueSnapshot) => void): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.stop();
  }

  private stop(): void {
    this.stopSignal?.();
    this.stopSignal = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
