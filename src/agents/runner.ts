import type { LanguageModelV3 } from '@ai-sdk/provider';
import { type ModelMessage, type Schema, type StepResult, stepCountIs, streamText, type ToolSet, tool, zodSchema } from 'ai';
import type { z } from 'zod';
import type { RememberedMessage } from '../memory/memory.js';
import type { ToolCallRecord } from '../db/schema.js';
import { actionOf, runningAction } from '../chat/actions.js';
import { callOptions, outcomeOf } from '../llm/call-tags.js';
import { classifyFailure } from '../llm/failures.js';
import type { DetectedLanguage } from '../llm/offline/language.js';
import { textChunks } from '../llm/offline/offline-model.js';
import { observeTool } from '../observability/telemetry.js';
import type { CitablePassage } from '../contract/events.js';
import type { Agent } from './agent.js';
import { addUsage, NO_USAGE, type AgentReply, type CallLedger, type TurnContext } from './context.js';
import { callTool } from './tools/tool.js';

// Runs an agent on a model: streamText with the agent's tools and loop limit, tokens and tool calls
// emitted as they happen. When the LLM fails mid-answer (after retries and the middleware's own
// fallback could no longer help), the offline engine finishes the answer from the tool results
// gathered so far; when the answer fails the agent's check, the model gets one more try.

/** Tool-call records in the order the calls were made (they finish in any order: they run in parallel). */
class ToolLog {
  private readonly slots: ToolCallRecord[][] = [];
  reserve(): ToolCallRecord[] {
    const slot: ToolCallRecord[] = [];
    this.slots.push(slot);
    return slot;
  }
  records(): ToolCallRecord[] {
    return this.slots.flat();
  }
}

/** Adds up what a turn's model calls cost and notes the first fallback. */
export class Ledger implements CallLedger {
  usage = NO_USAGE;
  usageIds: string[] = [];
  fallback?: string;

  /** Counts one call's outcome (tokens only for calls the LLM answered; a model without tags counts as an LLM). */
  add(meta: Parameters<typeof outcomeOf>[0], tokens: { inputTokens?: number; outputTokens?: number; cachedTokens?: number }): 'llm' | 'offline' {
    const o = outcomeOf(meta);
    if (o?.usageId) this.usageIds.push(o.usageId);
    if (o?.fallback) this.fallback ??= o.fallback;
    if (o?.engine === 'offline') return 'offline';
    this.usage = addUsage(this.usage, {
      input_tokens: tokens.inputTokens ?? 0,
      output_tokens: tokens.outputTokens ?? 0,
      cached_tokens: tokens.cachedTokens ?? 0,
      cost_usd: o?.costUsd ?? 0,
    });
    return 'llm';
  }

  addSteps(steps: StepResult<ToolSet>[]): void {
    for (const s of steps) {
      this.add(s.providerMetadata, { inputTokens: s.usage.inputTokens, outputTokens: s.usage.outputTokens, cachedTokens: s.usage.inputTokenDetails?.cacheReadTokens });
    }
  }

  /** Merges another ledger (the router's) into this one. */
  merge(other: Partial<CallLedger>): void {
    if (other.usage) this.usage = addUsage(this.usage, other.usage);
    if (other.usageIds) this.usageIds.push(...other.usageIds);
    if (other.fallback) this.fallback ??= other.fallback;
  }
}

/** The conversation as model messages: customer turns as user, assistant and staff replies as assistant. */
export function conversationMessages(history: RememberedMessage[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const m of history) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') out.push({ role: 'assistant', content: m.content });
    else if (m.role === 'staff') out.push({ role: 'assistant', content: `(A person from the support team wrote:) ${m.content}` });
  }
  return out;
}

/**
 * What every agent is told about language: answer in the customer's, even though the help center and
 * tool results are English; with the detected language as a hint when the message is confidently in one.
 */
export function languageInstruction(language: DetectedLanguage | null): string {
  const rule =
    "Reply in the language of the customer's last message, even though the help-center passages and tool results are in English: translate what you use, and keep citation markers, product and plan names, and order, invoice and ticket numbers as they are. Write tool arguments (search queries, ticket subjects and summaries) in English, for the help center and the support team.";
  return language ? `${rule}\nThe customer's last message is in ${language.name} (${language.code}): reply in ${language.name}.` : rule;
}

/** The agent's instructions, the language rule, and the running summary of a long conversation. */
export function systemPrompt(instructions: string, summary: string | null, language: DetectedLanguage | null): string {
  const prompt = `${instructions}\n${languageInstruction(language)}`;
  return summary ? `${prompt}\n\nSummary of the earlier conversation:\n${summary}` : prompt;
}

/** Streams a whole answer given without a model, a few words a delta, as a model would. */
export function emitText(ctx: TurnContext, text: string, ref = ctx.messageId): void {
  for (const delta of textChunks(text)) ctx.emit({ type: 'token', conversation_id: ctx.conversation.id, message_ref: ref, delta });
}

// Each tool's input schema as the AI SDK reads it. The SDK turns a zod schema into JSON Schema at
// every step of every call; a Schema object made once keeps its JSON Schema, so that is done once.
const sdkSchemas = new WeakMap<z.ZodType, Schema<unknown>>();
function sdkSchema(schema: z.ZodType): Schema<unknown> {
  let s = sdkSchemas.get(schema);
  if (!s) {
    s = zodSchema(schema) as Schema<unknown>;
    sdkSchemas.set(schema, s);
  }
  return s;
}

function toolSet(agent: Agent, ctx: TurnContext, log: ToolLog): ToolSet {
  const conversationId = ctx.conversation.id;
  return Object.fromEntries(
    agent.tools.map((t) => [
      t.name,
      tool({
        description: t.description,
        inputSchema: sdkSchema(t.inputSchema),
        execute: async (input: unknown) => {
          const slot = log.reserve();
          const started = runningAction(t.name);
          ctx.emit({
            type: 'tool',
            conversation_id: conversationId,
            status: 'started',
            ...(started ? { action: started.type, label: started.label } : {}),
            name: t.name,
            arguments: input as Record<string, unknown>,
          });
          const finished = (record: Pick<ToolCallRecord, 'name' | 'status' | 'result' | 'arguments'>, extra: { passages?: CitablePassage[] } = {}) => {
            const shown = actionOf(record);
            ctx.emit({
              type: 'tool',
              conversation_id: conversationId,
              status: record.status,
              ...(shown ? { action: shown.type, label: shown.label } : {}),
              name: t.name,
              arguments: record.arguments,
              ...extra,
            });
          };
          try {
            const before = ctx.retrieved.size;
            const result = await observeTool(ctx.deps.metrics, agent.name, t.name, () => callTool(t, input, ctx, slot));
            // A search that added citable passages says which article each [ref] is, for numbering sources while streaming.
            const passages = ctx.retrieved.size > before ? { passages: ctx.retrieved.citable() } : {};
            finished(slot[0] ?? { name: t.name, status: 'ok', result, arguments: input as Record<string, unknown> }, passages);
            return result;
          } catch (err) {
            finished(slot[0] ?? { name: t.name, status: 'error', arguments: input as Record<string, unknown> });
            throw err;
          }
        },
      }),
    ]),
  );
}

type Attempt = { ok: true; text: string; engine: 'llm' | 'offline'; responseMessages: ModelMessage[]; continueFrom: ModelMessage[] } | { ok: false; reason: string; continueFrom: ModelMessage[] };

async function attempt(agent: Agent, ctx: TurnContext, model: LanguageModelV3, messages: ModelMessage[], ref: string, ledger: Ledger, log: ToolLog): Promise<Attempt> {
  const result = streamText({
    model,
    system: systemPrompt(agent.instructions(ctx), ctx.summary, ctx.language),
    messages,
    tools: toolSet(agent, ctx, log),
    stopWhen: stepCountIs(agent.maxSteps),
    // The last step must answer in words, not call more tools.
    prepareStep: ({ stepNumber }) => (stepNumber >= agent.maxSteps - 1 ? { toolChoice: 'none' } : undefined),
    maxRetries: 0, // retries are the middleware's
    onError: () => {}, // errors arrive as stream parts below; the default handler would only log them
    providerOptions: callOptions({ agent: agent.name, conversationId: ctx.conversation.id, customerId: ctx.customerId ?? undefined, hints: agent.hints?.(ctx) }),
  });
  let error: unknown;
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') ctx.emit({ type: 'token', conversation_id: ctx.conversation.id, message_ref: ref, delta: part.text });
    else if (part.type === 'error') error ??= part.error;
  }
  let steps: StepResult<ToolSet>[] = [];
  try {
    steps = await result.steps;
  } catch (err) {
    error ??= err;
  }
  ledger.addSteps(steps);
  const lastToolStep = steps.filter((s) => s.finishReason === 'tool-calls').at(-1);
  const continueFrom = [...messages, ...(lastToolStep?.response.messages ?? [])];
  const last = steps.at(-1);
  if (error !== undefined || !last) return { ok: false, reason: error === undefined ? 'no_answer' : classifyFailure(error).kind, continueFrom };
  if (!last.text.trim()) return { ok: false, reason: 'empty_answer', continueFrom };
  return { ok: true, text: last.text, engine: outcomeOf(last.providerMetadata)?.engine ?? 'llm', responseMessages: last.response.messages, continueFrom };
}

/**
 * Answers the turn with an agent: its precheck, then the agent model (streamed), its check with one
 * regeneration, and the offline engine as the last word when the LLM cannot give a good answer.
 */
export async function runAgent(agent: Agent, ctx: TurnContext): Promise<AgentReply> {
  const pre = agent.precheck?.(ctx);
  if (pre !== undefined) {
    emitText(ctx, pre);
    return { agent: agent.name, content: pre, citations: [], toolCalls: [], engine: 'offline' };
  }
  const ledger = new Ledger();
  const log = new ToolLog();
  let drafts = 0;
  // Each draft streams under its own ref; the first is the message id. A later draft replaces the earlier one.
  const nextRef = () => (drafts++ === 0 ? ctx.messageId : `${ctx.messageId}:${drafts}`);
  const reply = (content: string, citations: AgentReply['citations'], engine: AgentReply['engine']): AgentReply => ({
    agent: agent.name,
    content,
    citations,
    toolCalls: log.records(),
    engine,
    usage: ledger.usage,
    usageIds: ledger.usageIds,
    fallback: ledger.fallback,
  });

  const offline = async (from: ModelMessage[], reason: string): Promise<AgentReply> => {
    ledger.fallback ??= reason;
    const run = await attempt(agent, ctx, ctx.llm.offline, from, nextRef(), ledger, log);
    if (!run.ok) throw new Error(`The offline engine could not answer for ${agent.name}: ${run.reason}`);
    const checked = agent.check?.(ctx, run.text);
    return checked?.ok ? reply(checked.content, checked.citations, 'offline') : reply(run.text, [], 'offline');
  };

  const base = conversationMessages(ctx.history);
  const first = await attempt(agent, ctx, ctx.llm.agentModel, base, nextRef(), ledger, log);
  if (!first.ok) return offline(first.continueFrom, first.reason);
  const checked = agent.check?.(ctx, first.text) ?? { ok: true as const, content: first.text, citations: [] };
  if (checked.ok) return reply(checked.content, checked.citations, first.engine);
  if (first.engine === 'offline') return reply(first.text, [], 'offline');
  // One more try, with what was wrong; then the offline answer from the same tool results.
  const second = await attempt(agent, ctx, ctx.llm.agentModel, [...base, ...first.responseMessages, { role: 'user', content: checked.feedback }], nextRef(), ledger, log);
  if (second.ok) {
    const again = agent.check!(ctx, second.text);
    if (again.ok) return reply(again.content, again.citations, second.engine);
  }
  return offline(first.continueFrom, 'invalid_answer');
}
