/** One row of llm_usage: a model call with its tokens, cost, latency and outcome. */
export interface UsageRow {
  conversationId?: string;
  customerId?: string;
  provider: string;
  model: string;
  agent: string;
  /** ok, fallback, or the failure kind (timeout, rate_limited, server_error, ...). */
  status: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
  latencyMs: number;
}

/** Writes a usage row and returns its id (undefined when it could not be written). */
export type UsageRecorder = (row: UsageRow) => Promise<string | undefined>;

/**
 * A recorder over a row writer (the composition root passes the llm_usage insert). A failed write
 * is reported to `onError` and does not fail the customer's turn (the answer matters more than its
 * accounting).
 */
export function usageRecorder(write: (row: UsageRow) => Promise<string | undefined>, onError: (err: unknown) => void): UsageRecorder {
  return async (row) => {
    try {
      return await write(row);
    } catch (err) {
      onError(err);
      return undefined;
    }
  };
}

/** A usage row with the id it is stored under and, once known, the message it produced. */
export type BufferedUsageRow = UsageRow & { id: string; messageId?: string };

/** How long a row no turn settled waits before it is written: longer than a turn can run. */
const DEFAULT_DELAY_MS = 30_000;

/**
 * Usage rows held back from the turn's critical path: each call's row gets its id at once, and the
 * turn writes all of its rows in one insert once its reply is stored, linked to that message
 * (`settle`). Rows no turn settles (a summary, a staff draft, a turn that failed) are written
 * `delayMs` (default 30 s) after they were recorded, and on shutdown (`flush`). The cost budgets
 * count a call when it is recorded (CostBudget.noteSpend), not when its row is written.
 */
export class UsageBuffer {
  /** Held rows by id, with when each was recorded (ms). */
  private readonly pending = new Map<string, { row: BufferedUsageRow; at: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (rows: BufferedUsageRow[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly opts: { delayMs?: number; newId: () => string; now?: () => number },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Holds a row and returns its id. */
  add(row: UsageRow): string {
    const id = this.opts.newId();
    this.pending.set(id, { row: { ...row, id }, at: this.now() });
    this.arm(this.opts.delayMs ?? DEFAULT_DELAY_MS);
    return id;
  }

  private arm(ms: number): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.writeExpired();
    }, ms);
    this.timer.unref?.();
  }

  /**
   * The timer's write: the rows held at least `delayMs`, which no turn settled. Rows of turns still
   * running stay held for their settle, and the timer is armed again for the oldest of them.
   */
  private async writeExpired(): Promise<void> {
    const delay = this.opts.delayMs ?? DEFAULT_DELAY_MS;
    const cutoff = this.now() - delay;
    const rows: BufferedUsageRow[] = [];
    let oldestLeft: number | undefined;
    for (const [id, held] of this.pending) {
      if (held.at <= cutoff) {
        this.pending.delete(id);
        rows.push(held.row);
      } else if (oldestLeft === undefined || held.at < oldestLeft) oldestLeft = held.at;
    }
    if (oldestLeft !== undefined) this.arm(Math.max(1, oldestLeft + delay - this.now()));
    await this.writeRows(rows);
  }

  /**
   * Writes a turn's rows in one insert: those of `ids` linked to `messageId`, and with them every
   * other row still held for the conversation (failed attempts, which no message stands for).
   */
  async settle(ids: readonly string[], messageId: string, conversationId: string): Promise<void> {
    const linked = new Set(ids);
    const rows: BufferedUsageRow[] = [];
    for (const [id, { row }] of this.pending) {
      if (!linked.has(id) && row.conversationId !== conversationId) continue;
      this.pending.delete(id);
      rows.push(linked.has(id) ? { ...row, messageId } : row);
    }
    await this.writeRows(rows);
  }

  /** Writes every row still held (shutdown). */
  async flush(): Promise<void> {
    const rows = [...this.pending.values()].map((held) => held.row);
    this.pending.clear();
    await this.writeRows(rows);
  }

  private async writeRows(rows: BufferedUsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.write(rows);
    } catch (err) {
      // The answer matters more than its accounting: reported, not thrown into the turn.
      this.onError(err);
    }
  }
}
