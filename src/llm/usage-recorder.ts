import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { llmUsage } from '../db/schema.js';

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
 * Records usage in llm_usage. A failed write is reported to `onError` and does not fail the
 * customer's turn (the answer matters more than its accounting).
 */
export function dbUsageRecorder(db: Db, onError: (err: unknown) => void): UsageRecorder {
  return async (row) => {
    try {
      const [inserted] = await db
        .insert(llmUsage)
        .values({
          conversationId: row.conversationId ?? null,
          customerId: row.customerId ?? null,
          provider: row.provider,
          model: row.model,
          agent: row.agent,
          status: row.status,
          inputTokens: row.inputTokens,
          outputTokens: row.outputTokens,
          cachedTokens: row.cachedTokens,
          costUsd: row.costUsd,
          latencyMs: Math.round(row.latencyMs),
        })
        .returning({ id: llmUsage.id });
      return inserted?.id;
    } catch (err) {
      onError(err);
      return undefined;
    }
  };
}

/** Links a turn's usage rows to the message they produced (one statement). */
export async function linkUsageToMessage(db: Db, usageIds: string[], messageId: string): Promise<void> {
  if (usageIds.length === 0) return;
  await db.update(llmUsage).set({ messageId }).where(inArray(llmUsage.id, usageIds));
}
