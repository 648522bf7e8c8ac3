/**
 * What a model request is made of, for the cost benchmark: which agent sent it (told by what it
 * offers: the router asks for structured output, each agent offers its own tools) and how many
 * characters its system prompt, conversation and tool definitions take.
 */
import type { ChatRequestBody } from '../../test/fake-openai/server.js';

/** The parts of one request, in characters. */
export interface PromptParts {
  agent: string;
  systemChars: number;
  /** Customer, assistant and tool messages (everything but the system prompt). */
  messageChars: number;
  /** Tool definitions and the structured-output schema, as sent (JSON). */
  schemaChars: number;
  messages: number;
}

const TOOL_AGENT: Record<string, string> = { search_knowledge: 'faq', list_invoices: 'account', create_ticket: 'escalation' };

/** The agent a request came from. */
export function agentOf(body: ChatRequestBody | undefined): string {
  const rf = body?.response_format?.type;
  if (rf === 'json_schema' || rf === 'json_object') return 'router';
  for (const t of body?.tools ?? []) {
    const agent = TOOL_AGENT[t.function.name];
    if (agent) return agent;
  }
  return 'summary';
}

const chars = (content: unknown) => (typeof content === 'string' ? content.length : JSON.stringify(content ?? '').length);

/** A request's parts. */
export function promptParts(body: ChatRequestBody | undefined): PromptParts {
  const messages = body?.messages ?? [];
  let systemChars = 0;
  let messageChars = 0;
  for (const m of messages) {
    const n = chars(m.content) + (m.tool_calls ? JSON.stringify(m.tool_calls).length : 0);
    if (m.role === 'system') systemChars += n;
    else messageChars += n;
  }
  const schemaChars = JSON.stringify(body?.tools ?? []).length - 2 + (body?.response_format ? JSON.stringify(body.response_format).length : 0);
  return { agent: agentOf(body), systemChars, messageChars, schemaChars, messages: messages.filter((m) => m.role !== 'system').length };
}
