import type { FailureKind } from './failures.js';

// The seam for metrics and tracing: the LLM middleware reports every call here and knows nothing
// of Prometheus or OpenTelemetry. Observers must not throw (a throwing observer is logged and skipped).

/** Token counts of one call. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache (part of inputTokens). */
  cachedTokens: number;
}

/** Identifies a call: which model served which agent in which conversation. */
export interface CallIdentity {
  provider: string;
  model: string;
  agent: string;
  conversationId?: string;
  customerId?: string;
}

/** A finished model call (after its retries), successful or not. */
export interface LlmCallEvent extends CallIdentity {
  status: 'ok' | FailureKind;
  streamed: boolean;
  /** When the call started (epoch ms) and how long it took, retries included. */
  startedAt: number;
  latencyMs: number;
  usage: TokenUsage;
  costUsd: number;
  finishReason?: string;
}

/** Receives what the LLM layer does; every method is optional. */
export interface LlmObserver {
  /** Every finished call to a configured LLM. */
  onCall?(event: LlmCallEvent): void;
  /** The first streamed token (or tool call) of a call arrived `ms` after the call started. */
  onFirstToken?(event: CallIdentity & { ms: number }): void;
  /** A failed attempt that will be retried after `delayMs`. */
  onRetry?(event: CallIdentity & { attempt: number; delayMs: number; reason: FailureKind }): void;
  /** The offline engine answered instead of the LLM (reason: timeout, rate_limited, circuit_open, budget, ...). */
  onFallback?(event: CallIdentity & { reason: string }): void;
  /** The circuit breaker of a model changed state. */
  onBreaker?(event: { provider: string; model: string; state: 'open' | 'half_open' | 'closed' }): void;
}

/** Several observers behind one; an observer that throws is reported to `onError` and skipped. */
export class ObserverSet implements Required<LlmObserver> {
  private readonly observers: LlmObserver[] = [];
  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  add(observer: LlmObserver): void {
    this.observers.push(observer);
  }

  private each(fn: (o: LlmObserver) => void): void {
    for (const o of this.observers) {
      try {
        fn(o);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  onCall(e: LlmCallEvent): void {
    this.each((o) => o.onCall?.(e));
  }
  onFirstToken(e: CallIdentity & { ms: number }): void {
    this.each((o) => o.onFirstToken?.(e));
  }
  onRetry(e: CallIdentity & { attempt: number; delayMs: number; reason: FailureKind }): void {
    this.each((o) => o.onRetry?.(e));
  }
  onFallback(e: CallIdentity & { reason: string }): void {
    this.each((o) => o.onFallback?.(e));
  }
  onBreaker(e: { provider: string; model: string; state: 'open' | 'half_open' | 'closed' }): void {
    this.each((o) => o.onBreaker?.(e));
  }
}
