import { lastUserText, toolResults, wantsJson, type FakeStep, type RecordedRequest } from './server.js';

// A plausible model for Switchboard's agents, for demos and benchmarks against the fake server:
// routes by keywords, calls the tool an agent offers, and writes the answer from the tool results
// (citing passages by ref). Deterministic; nothing like a real model's quality, but the real
// provider code, middleware and agents all run.

const offered = (req: RecordedRequest) => new Set((req.body?.tools ?? []).map((t) => t.function.name));

function routeOf(text: string): { route: string; confidence: number; reasoning: string } {
  if (/\b(person|human|agent|someone|representative|ticket|complain)\b/i.test(text)) return { route: 'escalation', confidence: 0.93, reasoning: 'asks for a person' };
  if (/\b(my|mine|invoice|order|subscription|plan|bill)\b/i.test(text)) return { route: 'account', confidence: 0.9, reasoning: "about the customer's own records" };
  if (/^\s*(hi|hello|hey|thanks|thank you|bye)\b/i.test(text)) return { route: 'smalltalk', confidence: 0.9, reasoning: 'small talk' };
  return { route: 'faq', confidence: 0.88, reasoning: 'a general question' };
}

interface Passage {
  ref: number;
  content: string;
}

function compose(results: unknown[]): string {
  const parts: string[] = [];
  for (const r of results as Record<string, unknown>[]) {
    if (Array.isArray(r.passages)) {
      const p = (r.passages as Passage[])[0];
      parts.push(
        p
          ? `${p.content
              .split(/(?<=[.!?])\s+/)
              .slice(0, 2)
              .join(' ')
              .replace(/^[#|\-*\s]+/, '')} [${p.ref}]`
          : "I couldn't find that in our help center. Would you like me to connect you with a person?",
      );
    } else if (Array.isArray(r.invoices)) {
      const i = (r.invoices as { invoice_number: string; amount: string; status: string }[])[0];
      parts.push(i ? `Your latest invoice is ${i.invoice_number} for ${i.amount} (${i.status}).` : 'You have no invoices yet.');
    } else if (Array.isArray(r.orders)) {
      const o = (r.orders as { order_number: string; status: string }[])[0];
      parts.push(o ? `Your latest order ${o.order_number} is ${o.status}.` : 'You have no orders yet.');
    } else if (Array.isArray(r.subscriptions)) {
      const s = (r.subscriptions as { plan: string; status: string }[])[0];
      parts.push(s ? `You are on the ${s.plan} plan (${s.status}).` : 'You have no subscription.');
    } else if (typeof r.ticket_number === 'string') {
      parts.push(`I've opened ticket ${r.ticket_number} and a person from our team will reply here soon.`);
    } else if (r.found === false) {
      parts.push("I couldn't find that on your account.");
    }
  }
  return parts.join(' ') || 'Here is what I found.';
}

/** The autopilot as a fake-server default step. */
export function autopilot(req: RecordedRequest): FakeStep {
  const text = lastUserText(req);
  if (wantsJson(req)) return { json: routeOf(text) };
  const results = toolResults(req);
  if (results.length > 0) return { reply: compose(results.map((r) => r.content)) };
  const tools = offered(req);
  if (tools.has('search_knowledge')) return { toolCalls: [{ name: 'search_knowledge', arguments: { query: text } }] };
  if (tools.has('create_ticket')) {
    return { toolCalls: [{ name: 'create_ticket', arguments: { subject: text.slice(0, 80), summary: `The customer wrote: ${text}`, priority: 'normal', reason: 'customer_request' } }] };
  }
  if (tools.has('list_invoices')) {
    const latest = /\b(last|latest|recent)\b/i.test(text) ? 1 : 5;
    if (/\binvoice|bill|charge/i.test(text)) return { toolCalls: [{ name: 'list_invoices', arguments: { limit: latest } }] };
    if (/\border|delivery|package/i.test(text)) return { toolCalls: [{ name: 'list_orders', arguments: { limit: latest } }] };
    return { toolCalls: [{ name: 'list_subscriptions', arguments: {} }] };
  }
  return { reply: 'Summary: the customer asked for help; see the earlier messages.' };
}
