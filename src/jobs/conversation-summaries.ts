import { z } from 'zod';
import { resolve } from '../chat/transitions.js';
import { getConversation } from '../db/queries/conversations.js';
import type { Message } from '../db/queries/messages.js';
import { recentMessages } from '../db/queries/messages.js';
import { idleConversations, type Outcome } from '../db/queries/outcomes.js';
import { defineJob } from './job.js';

/** The route an assistant message carries when it only asked a clarifying question. */
const CLARIFY = 'clarify';

/**
 * How an idle conversation ended: `resolved` when the assistant's last reply answered (not a
 * clarifying question) and the customer did not write again after it; `abandoned` otherwise.
 */
export function idleOutcome(messages: Message[]): Exclude<Outcome, 'handed_off'> {
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') return 'abandoned';
  return last.route === CLARIFY ? 'abandoned' : 'resolved';
}

/** A short extractive summary for the staff console and later memory: topic, who answered, how it ended. */
export function summarize(messages: Message[], outcome: Outcome): string {
  const firstUser = messages.find((m) => m.role === 'user');
  const agents = [...new Set(messages.filter((m) => m.role === 'assistant' && m.agent).map((m) => m.agent))];
  const tools = [...new Set(messages.flatMap((m) => m.toolCalls.map((t) => t.name)))];
  const topic = firstUser ? firstUser.content.replace(/\s+/g, ' ').slice(0, 160) : '(no customer message)';
  const parts = [`Customer asked: "${topic}".`, `Messages: ${messages.length}.`];
  if (agents.length) parts.push(`Answered by: ${agents.join(', ')}.`);
  if (tools.length) parts.push(`Tools used: ${tools.join(', ')}.`);
  parts.push(`Outcome: ${outcome.replace('_', ' ')}.`);
  return parts.join(' ');
}

/**
 * Conversation summaries: the periodic sweep finds conversations idle for CONVERSATION_IDLE_MINUTES
 * with no outcome yet, and closes each: outcome (resolved or abandoned), an extractive summary,
 * status `resolved`, and conversations_total{outcome}. Handoffs get their outcome when they happen.
 */
export const conversationSummaries = defineJob({
  queue: 'conversation-summaries',
  payload: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('sweep'), limit: z.number().int().min(1).max(1000).default(200) }),
    z.object({ kind: z.literal('close'), conversation_id: z.uuid() }),
  ]),
  retry: { attempts: 3, backoffMs: 5000 },
  concurrency: 1,
  async process(payload, ctx) {
    const { db, config, metrics } = ctx.deps;
    const close = async (id: string): Promise<Outcome | null> => {
      const conversation = await getConversation(db, id);
      if (!conversation || conversation.outcome) return null;
      const messages = await recentMessages(db, id, 50);
      if (!messages.some((m) => m.role === 'user')) return null;
      const outcome = idleOutcome(messages);
      return (await resolve({ db, metrics }, id, { outcome, summary: summarize(messages, outcome) })) ? outcome : null;
    };
    if (payload.kind === 'close') return { outcome: await close(payload.conversation_id) };
    const before = new Date(Date.now() - config.CONVERSATION_IDLE_MINUTES * 60_000);
    const idle = await idleConversations(db, before, payload.limit);
    const outcomes: Record<string, number> = {};
    for (const c of idle) {
      const o = await close(c.id);
      if (o) outcomes[o] = (outcomes[o] ?? 0) + 1;
    }
    return { swept: idle.length, outcomes };
  },
});
