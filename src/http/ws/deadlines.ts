/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Deadlines of many items (sockets) on one timer: each item is due at its own time and `onDue`
 * runs for it then, unless it was removed first. A Timeout and its closure per socket cost ~250
 * bytes of heap; this costs an array slot and a map entry. A binary min-heap by due time.
 */
export class Deadlines<T> {
  private readonly items: T[] = [];
  private readonly dueAt: number[] = [];
  private readonly slot = new Map<T, number>();
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires. */
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly onDue: (item: T) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many items wait. */
  get size(): number {
    return this.items.length;
  }

  /** Makes `item` due at `at` (ms since the epoch), replacing a deadline it already had. */
  set(item: T, at: number): void {
    this.delete(item);
    const i = this.items.length;
    this.items.push(item);
    this.dueAt.push(at);
    this.slot.set(item, i);
    this.up(i);
    this.arm();
  }

  /** Forgets the item's deadline, if it has one. */
  delete(item: T): void {
    const i = this.slot.get(item);
    if (i === undefined) return;
    this.slot.delete(item);
    const last = this.items.length - 1;
    const movedItem = this.items.pop()!;
    const movedAt = this.dueAt.pop()!;
    if (i === last) return;
    this.items[i] = movedItem;
    this.dueAt[i] = movedAt;
    this.slot.set(movedItem, i);
    this.down(i);
    this.up(i);
  }

  /** Stops the timer and forgets every deadline (shutdown). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.items.length = 0;
    this.dueAt.length = 0;
    this.slot.clear();
  }

  /** Runs `onDue` for every item whose time has come, then waits for the next one. */
  private fire(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    while (this.items.length > 0 && this.dueAt[0]! <= now) {
      const item = this.items[0]!;
      this.delete(item);
      this.onDue(item);
    }
    this.arm();
  }

  /** Arms the timer for the earliest deadline, unless it is armed for that time or earlier. */
  private arm(): void {
    if (this.items.length === 0) return;
    const at = this.dueAt[0]!;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMER_MS, Math.max(0, at - this.now())));
    this.timer.unref();
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.dueAt[parent]! <= this.dueAt[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < n && this.dueAt[l]! < this.dueAt[least]!) least = l;
      if (r < n && this.dueAt[r]! < this.dueAt[least]!) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const item = this.items[a]!;
    const at = this.dueAt[a]!;
    this.items[a] = this.items[b]!;
    this.dueAt[a] = this.dueAt[b]!;
    this.items[b] = item;
    this.dueAt[b] = at;
    this.slot.set(this.items[a]!, a);
    this.slot.set(item, b);
  }
}
