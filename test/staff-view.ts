import type { WireMessage, WireToolCall } from '../src/contract/messages.js';
import type { TestApp } from './app.js';

const staffTokens = new WeakMap<TestApp, string>();

/**
 * A stored message as staff read it over the API (with its tool calls): what the customer's own
 * responses no longer carry. Signs in as the demo support agent once per app.
 */
export async function staffViewOf(t: TestApp, m: { id: string; conversation_id: string }): Promise<WireMessage & { tool_calls: WireToolCall[] }> {
  let token = staffTokens.get(t);
  if (!token) {
    token = await t.login('agent@example.com');
    staffTokens.set(t, token);
  }
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/conversations/${m.conversation_id}/messages?limit=100`, headers: { authorization: `Bearer ${token}` } });
  if (res.statusCode !== 200) throw new Error(`staff read of ${m.conversation_id} gave ${res.statusCode}: ${res.body.slice(0, 200)}`);
  const found = (res.json().items as (WireMessage & { tool_calls: WireToolCall[] })[]).find((x) => x.id === m.id);
  if (!found) throw new Error(`message ${m.id} is not in conversation ${m.conversation_id}`);
  return found;
}
