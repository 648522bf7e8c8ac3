import type { z } from 'zod';
import type { ToolCallRecord } from '../../db/schema.js';
import type { TurnContext } from '../context.js';

/** A thin tool: an input schema, a query behind it, a small result. Identity comes from the context. */
export interface AgentTool<I extends z.ZodType = z.ZodType, O = unknown> {
  name: string;
  description: string;
  inputSchema: I;
  run(input: z.output<I>, ctx: TurnContext): Promise<O>;
}

/** Declares a tool with its input type inferred from its schema. */
export function defineTool<I extends z.ZodType, O>(t: AgentTool<I, O>): AgentTool<I, O> {
  return t;
}

/** A tool's refusal with a stable machine code (e.g. ticket_not_granted); the model reads the code and the reason. */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'ToolError';
  }
}

/** Results that mean "nothing of yours by that name": the model is told, the customer is told. */
export const NOT_FOUND = { found: false } as const;

/**
 * Runs a tool with validated input and records the call (name, arguments, status, time) for the
 * stored message; a failing tool is recorded and rethrown.
 */
export async function callTool<I extends z.ZodType, O>(tool: AgentTool<I, O>, rawInput: unknown, ctx: TurnContext, log: ToolCallRecord[]): Promise<O> {
  const started = performance.now();
  const input = tool.inputSchema.parse(rawInput) as z.output<I>;
  try {
    const result = await tool.run(input, ctx);
    const notFound = typeof result === 'object' && result !== null && (result as { found?: boolean }).found === false;
    log.push({ name: tool.name, arguments: input as Record<string, unknown>, status: notFound ? 'not_found' : 'ok', result, duration_ms: Math.round(performance.now() - started) });
    return result;
  } catch (err) {
    const refused = err instanceof ToolError ? { result: { error: err.code } } : {};
    log.push({ name: tool.name, arguments: input as Record<string, unknown>, status: 'error', ...refused, duration_ms: Math.round(performance.now() - started) });
    throw err;
  }
}
