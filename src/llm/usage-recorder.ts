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
