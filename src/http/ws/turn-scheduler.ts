/** Runs one turn for a batch of a conversation's messages (oldest first). */
export type RunBatch<T> = (conversationId: string, batch: T[]) => Promise<void>;

interface Slot<T> {
  pending: T[];
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

/**
 * Answers a burst of customer messages once, together. A message starts a turn after `debounceMs`
 * of quiet; messages that arrive while a turn runs wait for it and are then answered by one more
 * turn. One turn at a time per conversation, in this process.
 */
export class TurnScheduler<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly idleWaiters: (() => void)[] = [];
  private closing = false;

  constructor(
    private readonly debounceMs: number,
    private readonly run: RunBatch<T>,
    private readonly onError: (err: unknown, conversationId: string) => void = () => {},
  ) {}

  /** Queues a stored message for an answer. */
  submit(conversationId: string, item: T): void {
    let slot = this.slots.get(conversationId);
    if (!slot) {
      slot = { pending: [], timer: null, running: null };
      this.slots.set(conversationId, slot);
    }
    slot.pending.push(item);
    if (!slot.running) this.arm(conversationId, slot);
  }

  /** True while a turn runs or messages wait for one. */
  busy(conversationId: string): boolean {
    return this.slots.has(conversationId);
  }

  /** Resolves once no turn runs or waits (tests, drains). */
  idle(): Promise<void> {
    if (this.slots.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Answers what is still waiting right away and waits for every running turn (shutdown). */
  async close(): Promise<void> {
    this.closing = true;
    for (const [id, slot] of this.slots) {
      if (slot.timer && !slot.running) this.fire(id, slot);
    }
    while (this.slots.size > 0) {
      await Promise.all([...this.slots.values()].map((s) => s.running));
    }
  }

  private arm(conversationId: string, slot: Slot<T>): void {
    if (slot.timer) clearTimeout(slot.timer);
    if (this.closing) {
      this.fire(conversationId, slot);
      return;
    }
    slot.timer = setTimeout(() => this.fire(conversationId, slot), this.debounceMs);
  }

  private fire(conversationId: string, slot: Slot<T>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const batch = slot.pending.splice(0);
    slot.running = this.run(conversationId, batch)
      .catch((err: unknown) => this.onError(err, conversationId))
      .finally(() => {
        slot.running = null;
        if (slot.pending.length > 0) this.arm(conversationId, slot);
        else this.slots.delete(conversationId);
        if (this.slots.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }
}
