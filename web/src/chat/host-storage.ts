// The widget's visitor conversation, kept by the host page when the framed chat has no storage of its
// own (Safari, Brave, Firefox strict and others block or wipe third-party storage). The loader keeps
// `{conversation_id, token}` in the host page's first-party localStorage and hands it to the frame
// when it loads (`switchboard:restore`); the frame tells it every change (`switchboard:store`). Both
// sides check who speaks: the loader only the frame it made on the service's origin, the frame only
// the page that frames it, whose origin it learns from that page's messages (and, where the browser
// says, location.ancestorOrigins). Only the conversation token goes to the host page, never a sign-in.

/** A visitor's conversation and the bearer token for it alone. */
export interface Visitor {
  conversation_id: string;
  token: string;
}

let hostOrigin: string | null = null;

const framed = () => typeof window !== 'undefined' && window.parent !== window;

/** The origin of the page that frames us, when the browser tells it (Chromium, Safari). */
function ancestorOrigin(): string | null {
  const list = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  return list && list.length > 0 ? list[0]! : null;
}

/** A value the host page handed over, if it has the shape of a visitor conversation. */
function visitorOf(v: unknown): Visitor | null {
  const o = v as { conversation_id?: unknown; token?: unknown } | null;
  if (!o || typeof o.conversation_id !== 'string' || typeof o.token !== 'string') return null;
  if (!/^[0-9a-f-]{36}$/i.test(o.conversation_id) || o.token.length > 4000) return null;
  return { conversation_id: o.conversation_id, token: o.token };
}

/** Listens for the host page's copy of the visitor conversation (the frame of the widget only); returns the unsubscribe. */
export function listenToHost(onRestore: (visitor: Visitor) => void): () => void {
  if (!framed()) return () => {};
  const onMessage = (e: MessageEvent) => {
    if (e.source !== window.parent) return;
    const expected = ancestorOrigin();
    if (expected && e.origin !== expected) return;
    hostOrigin = e.origin;
    const msg = e.data as { type?: unknown; visitor?: unknown } | null;
    if (msg?.type !== 'switchboard:restore') return;
    const visitor = visitorOf(msg.visitor);
    if (visitor) onRestore(visitor);
  };
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}

/** Tells the host page to keep (or forget, null) the visitor conversation; nothing until its origin is known. */
export function tellHostVisitor(visitor: Visitor | null): void {
  const origin = hostOrigin ?? ancestorOrigin();
  if (!framed() || !origin) return;
  window.parent.postMessage({ type: 'switchboard:store', visitor }, origin);
}
