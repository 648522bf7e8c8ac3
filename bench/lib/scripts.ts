/**
 * What the fake model says in the benchmarks, by name (a child process gets the name, not a
 * function): the autopilot (test/fake-openai/autopilot.ts), or a signed-in customer's account turn
 * in which the agent reads two records at once, as independent tool calls of one step.
 */
import { autopilot } from '../../test/fake-openai/autopilot.js';
import { lastUserText, toolResults, wantsJson, type FakeStep, type RecordedRequest } from '../../test/fake-openai/server.js';

export type ScriptName = 'autopilot' | 'bench';

/** A customer message the `bench` script answers with two parallel tool calls. */
export const TWO_TOOLS_MESSAGE = 'What is my latest invoice, and where is my latest order?';

/** Router → account agent → list_invoices and list_orders in parallel → an answer written from both results. */
export function twoTools(req: RecordedRequest): FakeStep {
  if (wantsJson(req)) return { json: { route: 'account', confidence: 0.94, reasoning: "about the customer's own invoices and orders" } };
  const results = toolResults(req).map((r) => r.content as { invoices?: { invoice_number: string; amount: string; status: string }[]; orders?: { order_number: string; status: string }[] });
  if (results.length === 0) {
    return {
      toolCalls: [
        { name: 'list_invoices', arguments: { limit: 1 } },
        { name: 'list_orders', arguments: { limit: 1 } },
      ],
    };
  }
  const invoice = results.find((r) => r.invoices)?.invoices?.[0];
  const order = results.find((r) => r.orders)?.orders?.[0];
  return {
    reply: [
      invoice ? `Your latest invoice is ${invoice.invoice_number} for ${invoice.amount}, and it is ${invoice.status}.` : 'You have no invoices yet.',
      order ? `Your latest order ${order.order_number} is ${order.status}.` : 'You have no orders yet.',
      `Is there anything else I can help you with regarding "${lastUserText(req).replace(/\s*\[#\d+\]/, '')}"?`,
    ].join(' '),
  };
}

/** The benchmarks' model: two parallel tool calls for TWO_TOOLS_MESSAGE, the autopilot for everything else. */
export function benchScript(req: RecordedRequest): FakeStep {
  return lastUserText(req).startsWith(TWO_TOOLS_MESSAGE) ? twoTools(req) : autopilot(req);
}

/** The script of a name. */
export function scriptOf(name: ScriptName): (req: RecordedRequest) => FakeStep {
  return name === 'bench' ? benchScript : autopilot;
}
