import type { ConversationEvent } from '../contract/events.js';

type TokenEvent = Extract<ConversationEvent, { type: 'token' }>;

/** At most one token publish per this many milliseconds per conversation. */
export const TOKEN_WINDOW_MS = 50;

interface Pending {
  /** Text not published yet, oldest first; consecutive pieces of one `message_ref` are one entry. */
  drafts: { ref: string; text: string }[];
  timer: NodeJS.Timeout | null;
  /** When the last token of this conversation was published. */
  lastAt: number;
}

/** The message a draft ref streams: the turn's first draft is the message id, later ones `<id>:<n>`. */
export function messageOfRef(ref: string): string {
  const colon = ref.indexOf(':');
  return colon < 0 ? ref : ref.slice(0, colon);
}

/**
 * Coalesces a turn's token events before the bus numbers them: the first token of a quiet
 * conversation goes out at once, the ones that follow within the window wait and go out as one
 * event carrying their concatenated `delta` (same shape, so clients need no change). Whatever is
 * waiting goes out before any other event of the conversation, so the order of events is kept.
 *
 * While nobody listens to the conversation (`listening` says so) the text is held rather than sent;
 * `wake` sends it, as one event, once someone does. The message's `message.completed` makes held
 * text moot (the completed message carries it), and so does the end of the turn (`turn.failed`, the
 * assistant's `typing` off): it is dropped.
 */
export class TokenCoalescer {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly send: (event: TokenEvent) => void,
    private readonly listening: (conversationId: string) => boolean,
    private readonly windowMs = TOKEN_WINDOW_MS,
  ) {}

  /** A token of a turn: sent now, or with the next window's batch. */
  token(event: TokenEvent): void {
    const c = event.conversation_id;
    let p = this.pending.get(c);
    if (!p) {
      p = { drafts: [], timer: null, lastAt: 0 };
      this.pending.set(c, p);
    }
    const last = p.drafts.at(-1);
    if (last && last.ref === event.message_ref) last.text += event.delta;
    else p.drafts.push({ ref: event.message_ref, text: event.delta });
    if (p.timer) return;
    const wait = p.lastAt + this.windowMs - Date.now();
    if (wait <= 0) this.flush(c);
    else p.timer = this.later(c, wait);
  }

  /** Another event of the conversation is about to be published: what waits goes first. */
  before(event: ConversationEvent): void {
    const p = this.pending.get(event.conversation_id);
    if (!p || p.drafts.length === 0) return;
    if (this.listening(event.conversation_id)) {
      this.flush(event.conversation_id);
      return;
    }
    // The turn is over (typing off comes last, whatever happened): nobody will want its held text.
    if (event.type === 'turn.failed' || (event.type === 'typing' && event.who === 'assistant' && !event.on)) p.drafts = [];
    else if (event.type === 'message.completed') p.drafts = p.drafts.filter((d) => messageOfRef(d.ref) !== event.message.id);
    if (p.drafts.length === 0) this.forget(event.conversation_id, p);
  }

  /** Someone listens to the conversation now: send what was held for it. */
  wake(conversationId: string): void {
    const p = this.pending.get(conversationId);
    if (p && !p.timer && p.drafts.length > 0) this.flush(conversationId);
  }

  /** Sends everything still waiting to whoever listens and stops the timers (the bus is closing). */
  stop(): void {
    for (const c of [...this.pending.keys()]) this.flush(c);
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
    this.pending.clear();
  }

  private flush(conversationId: string): void {
    const p = this.pending.get(conversationId);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    if (p.drafts.length === 0 || !this.listening(conversationId)) {
      if (p.drafts.length === 0) this.forget(conversationId, p);
      return;
    }
    const drafts = p.drafts;
    p.drafts = [];
    p.lastAt = Date.now();
    for (const d of drafts) this.send({ type: 'token', conversation_id: conversationId, message_ref: d.ref, delta: d.text });
    // Kept (empty) until the window is over, so a token right after this one waits for it.
    p.timer = this.later(conversationId, this.windowMs);
  }

  private later(conversationId: string, ms: number): NodeJS.Timeout {
    return setTimeout(() => this.flush(conversationId), ms).unref();
  }

  private forget(conversationId: string, p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    this.pending.delete(conversationId);
  }
}
