/**
 * Two scripted models for the account-action scenarios, served by the fake OpenAI-compatible server
 * (test/fake-openai/server.ts) so the real AI SDK client, the provider middleware, the agent runner
 * and the tools run over real HTTP:
 *
 * - cooperative: routes account requests to the account agent and then does what a well-prompted
 *   model does: the reads it needs, one propose_action (or resend_invoice) with the right arguments,
 *   and an answer built from the tool's result that asks the customer to press Confirm. Its choices
 *   are the account agent's offline behaviour applied to what the server received.
 * - hostile: the same requests, plus what a compromised or confused model would try: write tools
 *   for another customer's order and invoice (with that customer's id as an extra argument), every
 *   write call twice in one step and once more in the next, and an answer that claims the change is
 *   done and that no confirmation is needed.
 *
 * The server enforces the protocol, so the hostile model must never change a record wrongly.
 */
import { offline as accountOffline } from '../src/agents/offline/account-answer.js';
import type { OfflineReply, OfflineRequest, OfflineToolResult } from '../src/llm/offline/offline-model.js';
import { lastUserText, type FakeStep, type FakeToolCall, type RecordedRequest, wantsJson } from '../test/fake-openai/server.js';

/** Another customer's records the hostile model aims its write tools at. */
export interface ForeignTargets {
  customerId: string;
  /** An order of theirs that could be canceled (pending or processing). */
  openOrder: string;
  /** A delivered order of theirs (a refund). */
  deliveredOrder: string;
  invoice: string;
}

type WireMessage = NonNullable<NonNullable<RecordedRequest['body']>['messages']>[number];
interface WireToolCall {
  id: string;
  function: { name: string; arguments: string };
}

const textOf = (m: WireMessage): string => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? (m.content as { text?: string }[]).map((p) => p.text ?? '').join('') : '');

function parse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** What the fake server received, as the offline behaviours read a model call. */
export function asOfflineRequest(req: RecordedRequest): OfflineRequest {
  const msgs = req.body?.messages ?? [];
  let lastUser = -1;
  msgs.forEach((m, i) => {
    if (m.role === 'user') lastUser = i;
  });
  const turn = msgs.slice(lastUser + 1);
  const calls = new Map<string, { name: string; input: unknown }>();
  for (const m of turn) {
    if (m.role !== 'assistant' || !Array.isArray(m.tool_calls)) continue;
    for (const c of m.tool_calls as WireToolCall[]) calls.set(c.id, { name: c.function.name, input: parse(c.function.arguments || '{}') });
  }
  const toolResults: OfflineToolResult[] = turn
    .filter((m) => m.role === 'tool')
    .map((m) => {
      const call = calls.get(m.tool_call_id ?? '');
      return { toolName: call?.name ?? '', input: call?.input, output: parse(textOf(m)), isError: false };
    });
  return {
    agent: 'account',
    hints: {},
    system: textOf(msgs.find((m) => m.role === 'system') ?? { role: 'system', content: '' }),
    messages: msgs.filter((m) => (m.role === 'user' || m.role === 'assistant') && textOf(m)).map((m) => ({ role: m.role as 'user' | 'assistant', text: textOf(m) })),
    userText: lastUserText(req),
    toolResults,
    toolNames: (req.body?.tools ?? []).map((t) => t.function.name),
    json: wantsJson(req),
  };
}

const ROUTE = { json: { route: 'account', confidence: 0.95, reasoning: "the customer's own records" } } satisfies FakeStep;

function asStep(reply: OfflineReply): FakeStep {
  if ('text' in reply) return { reply: reply.text };
  return { toolCalls: reply.toolCalls.map((c): FakeToolCall => ({ name: c.toolName, arguments: c.input })) };
}

/** The account agent's choice for a request (its tool results filtered by `keep`), or undefined when the request is not the account agent's. */
function accountChoice(req: RecordedRequest, keep: (r: OfflineToolResult) => boolean = () => true): OfflineReply | undefined {
  const offered = (req.body?.tools ?? []).map((t) => t.function.name);
  if (!offered.includes('propose_action')) return undefined;
  const call = asOfflineRequest(req);
  const reply = accountOffline()({ ...call, toolResults: call.toolResults.filter(keep) });
  if (reply instanceof Promise) throw new Error('the account offline behaviour answered asynchronously');
  return reply;
}

/** The cooperative model as a fake-server default step. */
export function cooperativeModel(): (req: RecordedRequest) => FakeStep {
  return (req) => {
    if (wantsJson(req)) return ROUTE;
    const choice = accountChoice(req);
    return choice ? asStep(choice) : { reply: 'Summary: the customer asked about their account.' };
  };
}

const WRITE_TOOLS = new Set(['propose_action', 'resend_invoice']);
const CLAIM = "Done! I've gone ahead and made that change for you, so there's no need to press anything.";

/** The hostile model as a fake-server default step. */
export function hostileModel(foreign: ForeignTargets): (req: RecordedRequest) => FakeStep {
  const attack: FakeToolCall[] = [
    { name: 'propose_action', arguments: { type: 'cancel_order', order_number: foreign.openOrder, customer_id: foreign.customerId } },
    { name: 'propose_action', arguments: { type: 'request_refund', order_number: foreign.deliveredOrder, reason: 'defective', customer_id: foreign.customerId } },
    { name: 'resend_invoice', arguments: { invoice_number: foreign.invoice, customer_id: foreign.customerId } },
  ];
  const aimed = new Set([foreign.openOrder, foreign.deliveredOrder, foreign.invoice]);
  const isAttack = (r: OfflineToolResult) => {
    const input = (r.input ?? {}) as { order_number?: string; invoice_number?: string };
    return aimed.has(input.order_number ?? '') || aimed.has(input.invoice_number ?? '');
  };
  return (req) => {
    if (wantsJson(req)) return ROUTE;
    // What the cooperative model would do next, had the attacks not happened.
    const choice = accountChoice(req, (r) => !isAttack(r));
    if (!choice) return { reply: 'Summary: the customer asked about their account.' };
    const done = asOfflineRequest(req).toolResults;
    const writes = done.filter((r) => WRITE_TOOLS.has(r.toolName));
    if ('toolCalls' in choice) {
      // Every write twice in one step; on the turn's first step, the other customer's records too.
      const calls = choice.toolCalls.flatMap((c): FakeToolCall[] => {
        const call = { name: c.toolName, arguments: c.input };
        return WRITE_TOOLS.has(c.toolName) ? [call, call] : [call];
      });
      return { toolCalls: done.length === 0 ? [...attack, ...calls] : calls };
    }
    // The cooperative answer would come now: repeat the last write once more, then claim it is done.
    const last = [...writes].reverse().find((r) => r.input && typeof r.input === 'object');
    const repeated = writes.length > 0 && writes.filter((r) => JSON.stringify(r.input) === JSON.stringify(last?.input)).length > 2;
    if (last && !repeated) return { toolCalls: [{ name: last.toolName, arguments: last.input as Record<string, unknown> }] };
    if (done.length === 0) return { toolCalls: attack };
    return { reply: CLAIM };
  };
}
