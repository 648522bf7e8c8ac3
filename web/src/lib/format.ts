// How messages read on screen: agent names, tool summaries, citations, times.
import type { CitablePassage, Citation, ToolCall, WireMessage } from './types';

const AGENTS: Record<string, string> = {
  faq: 'Help center',
  account: 'Account assistant',
  escalation: 'Handoff',
  smalltalk: 'Assistant',
  out_of_scope: 'Assistant',
  clarify: 'Assistant',
  router: 'Assistant',
};

/** The label of an answering agent. */
export function agentLabel(agent: string | null | undefined): string {
  if (!agent) return 'Assistant';
  return AGENTS[agent] ?? agent.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

const TOOLS: Record<string, [running: string, done: string]> = {
  search_knowledge: ['Searching the help center', 'Searched the help center'],
  list_invoices: ['Looking up your invoices', 'Looked up your invoices'],
  get_invoice: ['Looking up the invoice', 'Looked up the invoice'],
  list_orders: ['Looking up your orders', 'Looked up your orders'],
  get_order: ['Looking up the order', 'Looked up the order'],
  list_subscriptions: ['Checking your subscription', 'Checked your subscription'],
  get_profile: ['Looking up your account', 'Looked up your account'],
  create_ticket: ['Opening a support ticket', 'Opened a support ticket'],
};

/** A short, human summary of a tool call for staff ("Looked up your invoices"); customers get the server's action labels. */
export function toolSummary(name: string, status: string): string {
  if (name === 'llm_fallback') return 'Answered by the offline engine';
  const known = TOOLS[name];
  const words = name.replace(/[_-]+/g, ' ');
  if (status === 'started') return known ? `${known[0]}…` : `Running ${words}…`;
  const done = known ? known[1] : `Ran ${words}`;
  if (status === 'error') return `${done} (failed)`;
  if (status === 'not_found') return `${done} (nothing found)`;
  return done;
}

/** The sources of a message, one per document, and which source a text marker `[n]` points to. */
export interface Sources {
  sources: Citation[];
  /** The 1-based source number of marker `[n]` (markers count retrieved passages; several may share a document). */
  numberOf(marker: number): number | null;
}

/** Reads a message's citations defensively and groups them by document. */
export function sourcesOf(m: Pick<WireMessage, 'citations'>): Sources {
  const sources: Citation[] = [];
  const byMarker: (number | null)[] = [];
  for (const c of m.citations) {
    const { title, slug, snippet } = (c && typeof c === 'object' ? c : {}) as Record<string, unknown>;
    if (typeof title !== 'string' || !title) {
      byMarker.push(null);
      continue;
    }
    const key = typeof slug === 'string' && slug ? slug : title;
    let at = sources.findIndex((x) => (x.slug || x.title) === key);
    if (at < 0) at = sources.push({ title, slug: typeof slug === 'string' ? slug : '', snippet: typeof snippet === 'string' ? snippet : '' }) - 1;
    byMarker.push(at + 1);
  }
  return { sources, numberOf: (marker) => byMarker[marker - 1] ?? null };
}

/**
 * A streaming answer as it will be stored: its markers renumbered [1], [2], ... in order of first use
 * (as the server's citation check renumbers the stored answer), with the sources of the passages
 * known so far, so a marker keeps its number when the stream ends. A marker cut off at the end of
 * the text so far is left out until it is complete.
 */
export function liveAnswer(text: string, passages: CitablePassage[] = []): { text: string; sources: Sources } {
  const used: number[] = [];
  const renumbered = text.replace(/\[[\d,\s]*$/, '').replace(/\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g, (_all, refs: string) =>
    refs
      .split(/\s*,\s*/)
      .map((r) => {
        const ref = Number(r);
        if (!used.includes(ref)) used.push(ref);
        return `[${used.indexOf(ref) + 1}]`;
      })
      .join(''),
  );
  const citations = used.map((ref) => {
    const p = passages.find((x) => x.ref === ref);
    return p ? { title: p.title, slug: p.slug, snippet: '' } : null;
  });
  return { text: renumbered, sources: sourcesOf({ citations }) };
}

/** The tool calls of a stored message (staff only: a customer's messages have none). */
export function toolCallsOf(m: Pick<WireMessage, 'tool_calls'>): ToolCall[] {
  const out: ToolCall[] = [];
  for (const t of m.tool_calls ?? []) {
    if (!t || typeof t !== 'object') continue;
    const { name, status } = t as unknown as Record<string, unknown>;
    if (typeof name === 'string') out.push({ name, status: typeof status === 'string' ? status : 'ok' });
  }
  return out;
}

/** A line of "what the assistant did" under a message. */
export interface DoneLine {
  key: string;
  status: string;
  label: string;
}

/**
 * What the assistant did, as the viewer sees it: for a customer the message's actions (labelled by
 * the server), for staff every tool call, the offline-engine note included.
 */
export function doneLines(m: Pick<WireMessage, 'actions' | 'tool_calls'>, perspective: 'customer' | 'staff'): DoneLine[] {
  if (perspective === 'staff') return toolCallsOf(m).map((t, i) => ({ key: `${i}:${t.name}`, status: t.status, label: toolSummary(t.name, t.status) }));
  const out: DoneLine[] = [];
  for (const a of m.actions ?? []) {
    if (a && typeof a.label === 'string') out.push({ key: `${a.type}:${a.label}`, status: typeof a.status === 'string' ? a.status : 'ok', label: a.label });
  }
  return out;
}

/**
 * The answer text without its trailing "Sources:" list when the sources are shown as citations
 * (the offline engine appends one for plain-text clients).
 */
export function bodyText(content: string, hasCitations: boolean): string {
  if (!hasCitations) return content;
  const at = content.search(/\n\s*Sources:\s*\n/);
  return at >= 0 ? content.slice(0, at).trimEnd() : content;
}

/** Splits text into plain parts and citation markers `[n]`. */
export function splitMarkers(text: string): (string | { marker: number })[] {
  const parts: (string | { marker: number })[] = [];
  const re = /\[(\d{1,2})\]/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ marker: Number(m[1]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** "just now", "3 min", "2 h 5 min", "3 d". */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** A clock time for a message ("14:05"), with the date when not today. */
export function formatTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === now.toDateString() ? time : `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

const REASONS: Record<string, string> = {
  customer_request: 'Asked for a person',
  accepted_offer: 'Accepted the offer of a person',
  legal_threat: 'Legal threat',
  security_incident: 'Security incident',
  payment_dispute: 'Payment dispute',
  data_protection: 'Data-protection request',
  service_outage: 'Service outage',
  billing_dispute: 'Billing dispute',
  account_change: 'Account change',
  dissatisfied: 'Dissatisfied customer',
  urgent_issue: 'Urgent issue',
  staff_opened: 'Opened by staff',
};

/** A readable handoff reason. */
export function reasonLabel(reason: string | null | undefined): string {
  if (!reason) return 'Needs a person';
  return REASONS[reason] ?? reason.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}
