import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Conversation } from '../db/queries/conversations.js';
import type { Message } from '../db/queries/messages.js';
import type { Cache } from '../infra/cache.js';
import { readMemoryRows, touchIfUnchanged } from '../db/queries/memory.js';

// Conversation memory: the last MEMORY_MESSAGES messages plus the running summary, cached (Redis
// or in-process) under the conversation. An entry is valid only for the conversation's updated_at
// it was written at, so any write that touches the conversation (staff messages, takeover, status
// changes, summaries) invalidates it; writers that do not touch it call invalidateMemory(). A turn
// refreshes the entry itself after storing its reply (write-through) when nothing else changed the
// conversation meanwhile. A miss reads the database in one query.

/**
 * What the agents read of an earlier message: who wrote what, the router's route and the follow-up
 * it waits for. The cache keeps only these (an assistant message's tool calls with their results,
 * citations and usage made an entry ~14 KB, written again after every turn).
 */
export type RememberedMessage = Pick<Message, 'id' | 'role' | 'content' | 'route' | 'followUp' | 'createdAt'>;

/** What the agents remember of a conversation. */
export interface Memory {
  /** The last MEMORY_MESSAGES messages, oldest first. */
  messages: RememberedMessage[];
  summary: string | null;
  /** Messages in the conversation in all. */
  total: number;
}

export interface MemoryDeps {
  db: Db;
  cache?: Cache;
  config: Pick<Config, 'MEMORY_MESSAGES'>;
}

interface CachedMemory {
  /** The conversation's updated_at the entry is valid for. */
  stamp: string;
  summary: string | null;
  total: number;
  messages: (Omit<RememberedMessage, 'createdAt'> & { createdAt: string })[];
}

const TTL_SECONDS = 30 * 60;
const keyOf = (conversationId: string) => `memory:${conversationId}`;

function revive(m: CachedMemory['messages'][number]): RememberedMessage {
  return { ...m, createdAt: new Date(m.createdAt) };
}

function freeze(stamp: Date, memory: Memory): CachedMemory {
  return {
    stamp: stamp.toISOString(),
    summary: memory.summary,
    total: memory.total,
    messages: memory.messages.map((m) => ({ id: m.id, role: m.role, content: m.content, route: m.route, followUp: m.followUp, createdAt: m.createdAt.toISOString() })),
  };
}

/** Adds messages to a memory (once each), keeping the last `limit`. */
function append(memory: Memory, added: RememberedMessage[], limit: number): Memory {
  const fresh = added.filter((a) => !memory.messages.some((m) => m.id === a.id));
  return { ...memory, messages: [...memory.messages, ...fresh].slice(-limit), total: memory.total + fresh.length };
}

/** The cached memory entry of a conversation, read ahead of its turn (see loadMemory's `prefetched`). */
export type MemoryPrefetch = Promise<unknown>;

/**
 * Starts reading a conversation's cached memory before its turn: a message route's `prefetch`, so the
 * read goes out with the request's session check and rate limits (one Redis call). Reading it before
 * the customer's message is stored is as good as after: the entry is used only if written at the
 * conversation's updated_at that the storing statement returns, and storing the message does not
 * change it.
 */
export function prefetchMemory(deps: Pick<MemoryDeps, 'cache'>, conversationId: string): MemoryPrefetch {
  return deps.cache ? deps.cache.get<CachedMemory>(keyOf(conversationId)) : Promise.resolve(undefined);
}

/**
 * The conversation's memory for a turn answering `current` (already stored). A cached entry written
 * at the conversation's current updated_at is used with `current` added; otherwise one query; for
 * the conversation's first message, neither. `prefetched`: the entry as prefetchMemory() read it.
 */
export async function loadMemory(
  deps: MemoryDeps,
  conversation: Conversation,
  current: Message,
  opts: { firstMessage?: boolean; prefetched?: MemoryPrefetch | null } = {},
): Promise<Memory & { cached: boolean }> {
  const limit = deps.config.MEMORY_MESSAGES;
  // The conversation's first message (the statement that stored it said so): nothing else to read.
  if (opts.firstMessage) return { messages: [current], summary: conversation.summary, total: 1, cached: false };
  // The entry the route's prefetch read, or the same read now (a failed prefetch is a miss).
  const entry = (await (opts.prefetched ?? prefetchMemory(deps, conversation.id)).catch(() => undefined)) as CachedMemory | undefined;
  if (entry && entry.stamp === conversation.updatedAt.toISOString()) {
    // The customer's message is stored just before the turn without touching the conversation.
    return { ...append({ messages: entry.messages.map(revive), summary: entry.summary, total: entry.total }, [current], limit), cached: true };
  }
  return { ...(await readMemoryRows(deps.db, conversation.id, limit)), cached: false };
}

/**
 * Ends a turn's writes: marks the conversation active and, when nothing else changed it during the
 * turn, stores the memory with the turn's reply in the cache; otherwise drops the entry.
 */
export async function rememberTurn(deps: MemoryDeps, conversation: Conversation, memory: Memory, added: Message[]): Promise<void> {
  const touched = await touchIfUnchanged(deps.db, conversation.id, conversation.updatedAt);
  if (!deps.cache) return;
  if (touched?.unchanged) await deps.cache.set(keyOf(conversation.id), freeze(touched.updatedAt, append(memory, added, deps.config.MEMORY_MESSAGES)), TTL_SECONDS);
  else await deps.cache.del(keyOf(conversation.id));
}

/** Drops a conversation's cached memory (for writers that do not touch the conversation's updated_at). */
export async function invalidateMemory(deps: Pick<MemoryDeps, 'cache'>, conversationId: string): Promise<void> {
  await deps.cache?.del(keyOf(conversationId));
}
