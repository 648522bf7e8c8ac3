import { z } from 'zod';
import type { ClientEvent } from '../../realtime/events.js';
import { findBadText, isBlankText } from '../../util/text-guard.js';

const conversationId = z.uuid();

/** The events a client may send, checked before anything acts on them. */
export const clientEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }),
  z.object({
    type: z.literal('message.send'),
    conversation_id: conversationId,
    // Length is checked apart from the schema so an over-long message gets its own code.
    content: z.string().refine((s) => !isBlankText(s), 'must not be empty'),
    client_id: z.string().min(1).max(128),
  }),
  z.object({ type: z.literal('typing'), conversation_id: conversationId, on: z.boolean() }),
  z.object({ type: z.literal('conversation.join'), conversation_id: conversationId, last_event_id: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('conversation.leave'), conversation_id: conversationId }),
  z.object({ type: z.literal('queue.subscribe') }),
  z.object({ type: z.literal('queue.unsubscribe') }),
  z.object({ type: z.literal('ping') }),
]);

// The schema and the shared union must describe the same events.
type Parsed = z.output<typeof clientEventSchema>;
const _sameEvents: [Parsed, ClientEvent] extends [ClientEvent, Parsed] ? true : never = true;
void _sameEvents;

/** Parses one text frame into a client event, or says what is wrong with it. */
export function parseClientEvent(raw: string): { ok: true; event: ClientEvent } | { ok: false; code: string; message: string; ref?: string } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'Send each event as one JSON object' };
  }
  // The same refusal as over HTTP (src/http/plugins/text-guard.ts): text that cannot be stored as sent.
  const bad = findBadText(data);
  if (bad) {
    const type = typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' ? (data as { type: string }).type : undefined;
    return { ok: false, code: 'invalid_event', message: `Invalid event: ${bad.path.join('.')}: ${bad.message}`, ref: type };
  }
  const result = clientEventSchema.safeParse(data);
  if (result.success) return { ok: true, event: result.data };
  const type = typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string' ? (data as { type: string }).type : undefined;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, code: 'invalid_event', message: `Invalid event: ${where}${issue?.message ?? 'unknown shape'}`, ref: type };
}
