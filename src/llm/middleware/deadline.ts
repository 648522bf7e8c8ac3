import { LlmTimeoutError } from '../failures.js';

/**
 * The deadline of one try of a model call: it aborts the try's signal when the model has been silent
 * for `ms` since the try started or since it last sent something (`touch`). One timer per try, not
 * one per streamed part: a part only notes the time, and the timer, when it fires early, waits out the rest.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private expired = false;

  constructor(
    private readonly ms: number,
    caller?: AbortSignal,
  ) {
    this.signal = caller ? AbortSignal.any([caller, this.controller.signal]) : this.controller.signal;
    this.last = performance.now();
    this.schedule(ms);
  }

  /** The model sent something: the deadline starts again from now. */
  touch(): void {
    this.last = performance.now();
  }

  /** No more deadline (the try ended). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether this deadline (not the caller) aborted the try. */
  get timedOut(): boolean {
    return this.expired;
  }

  /** The error a failure of this try stands for: the timeout when the deadline passed, else `err`. */
  reason(err: unknown): unknown {
    return this.expired ? new LlmTimeoutError(this.ms) : err;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      const left = this.ms - (performance.now() - this.last);
      if (left > 1) return this.schedule(left);
      this.timer = undefined;
      this.expired = true;
      this.controller.abort(new LlmTimeoutError(this.ms));
    }, ms);
  }
}
