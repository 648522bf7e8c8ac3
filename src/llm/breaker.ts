/** The states of a circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit sends calls elsewhere before it lets one trial call through. */
  cooldownMs: number;
  now?: () => number;
  onChange?: (state: BreakerState) => void;
}

/**
 * A circuit breaker per model: after `failureThreshold` consecutive failures it opens and every
 * call goes to the offline engine; after the cool-down one trial call is let through (half-open):
 * success closes the circuit, failure opens it for another cool-down.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: BreakerState = 'closed';
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The state now (an open circuit whose cool-down is over reports half_open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.opts.cooldownMs) return 'half_open';
    return this.current;
  }

  /** May a call go to the model now? In half-open only one trial call at a time may. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.set('half_open');
    this.trialInFlight = true;
    return true;
  }

  /** The call succeeded: the circuit closes. */
  success(): void {
    this.trialInFlight = false;
    this.failures = 0;
    this.set('closed');
  }

  /** The call failed: count it, and open the circuit at the threshold (at once when half-open). */
  failure(): void {
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    this.failures++;
    if (wasTrial || this.current === 'half_open' || this.failures >= this.opts.failureThreshold) {
      this.openedAt = this.now();
      this.set('open');
    }
  }

  /** The call ended without telling anything about the model (the caller aborted it). */
  release(): void {
    this.trialInFlight = false;
  }

  private set(state: BreakerState): void {
    if (state === this.current) return;
    this.current = state;
    this.opts.onChange?.(state);
  }
}
