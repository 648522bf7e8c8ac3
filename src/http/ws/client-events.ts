import { z } from 'zod';
import { clientEventSchema as wireClientEvent, type ClientEvent } from '../../contract/events.js';
import { findBadText, isBlankText } from '../../util/text-guard.js';

// The contract's client events, with the one check it leaves to the server: a message's content
// must not be blank. (`send.shape.content` only compiles while the second option is message.send.)
const [auth, send, ...rest] = wireClientEvent.options;

/** The events a client may send, checked before anything acts on them. */
export const clientEventSchema = z.discriminatedUnion('type', [auth, send.extend({ content: send.shape.content.refine((s) => !isBlankText(s), 'must not be empty') }), ...rest]);

// The server's schema and the shared union must describe the same events.
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
