import { generateText } from 'ai';
import type { Db } from '../db/client.js';
import type { Message } from '../db/queries/messages.js';
import { callOptions } from '../llm/call-tags.js';
import type { OfflineBehaviour } from '../llm/offline/offline-model.js';
import type { LlmRegistry } from '../llm/registry.js';
import { messagesBeforeWindow, setSummary } from '../db/queries/memory.js';

// The running summary of a long conversation: what has left the memory window, folded into the
// previous summary by the router model (the cheaper one), or extractively by the offline engine.

/** The agent name summary calls carry (llm_usage.agent). */
export const SUMMARY_AGENT = 'summary';
const MAX_CHARS = 1500;

export const SUMMARY_INSTRUCTIONS = [
  'You keep a running summary of a customer-support conversation for the assistant that continues it.',
  'Fold the earlier messages into the previous summary: what the customer wanted, facts established (order/invoice numbers, plan, dates), what was answered or done (tickets), and what is still open.',
  'Write at most 8 short bullet points, in plain text. No greetings, no speculation.',
].join('\n');

/**
 * True when a turn should refresh the summary: the conversation is longer than the window and has
 * grown by another half window since the last refresh point.
 */
export function summaryDue(total: number, window: number): boolean {
  if (total <= window) return false;
  const every = Math.max(2, Math.floor(window / 2));
  return Math.floor((total - window) / every) > Math.floor((total - 2 - window) / every);
}

/** The transcript a summary call reads. */
export function transcript(previous: string | null, older: Message[]): string {
  const lines = older.filter((m) => m.role !== 'system').map((m) => `${m.role === 'user' ? 'Customer' : m.role === 'staff' ? 'Staff' : 'Assistant'}: ${m.content.replace(/\s+/g, ' ').slice(0, 400)}`);
  return `Previous summary:\n${previous ?? '(none)'}\n\nEarlier messages:\n${lines.join('\n')}`;
}

/** Offline: keep the previous summary's points and add one per customer request, newest kept within the limit. */
export function offlineSummary(): OfflineBehaviour {
  return (req) => {
    const [, previous = '', messages = ''] = /^Previous summary:\n([\s\S]*?)\n\nEarlier messages:\n([\s\S]*)$/.exec(req.userText) ?? [];
    const points =
      previous.trim() === '(none)'
        ? []
        : previous
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean);
    for (const line of messages.split('\n')) {
      const m = /^Customer: (.*)$/.exec(line);
      if (m) {
        const point = `- Customer asked: ${m[1]!.slice(0, 140)}`;
        if (!points.includes(point)) points.push(point);
      } else if (/^Assistant: .*\bticket TCK-\d+/.test(line)) {
        points.push(`- ${/ticket TCK-\d+/.exec(line)![0]} was opened.`);
      }
    }
    let text = points.join('\n');
    while (text.length > MAX_CHARS && points.length > 1) {
      points.shift();
      text = points.join('\n');
    }
    return { text: text || '(nothing yet)' };
  };
}

/**
 * Refreshes the conversation's running summary from the messages before the window and the previous
 * summary; returns the new summary and the conversation's new updated_at.
 */
export async function refreshSummary(
  deps: { db: Db; llm: LlmRegistry },
  conversation: { id: string; customerId: string | null },
  previous: string | null,
  window: number,
): Promise<{ summary: string; updatedAt: Date | undefined }> {
  const older = await messagesBeforeWindow(deps.db, conversation.id, window, window * 2);
  const result = await generateText({
    model: deps.llm.routerModel,
    system: SUMMARY_INSTRUCTIONS,
    prompt: transcript(previous, older),
    maxRetries: 0,
    providerOptions: callOptions({ agent: SUMMARY_AGENT, conversationId: conversation.id, customerId: conversation.customerId ?? undefined }),
  });
  const summary = result.text.trim().slice(0, MAX_CHARS) || previous || '';
  return { summary, updatedAt: await setSummary(deps.db, conversation.id, summary) };
}
