import { randomUUID } from 'node:crypto';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import { tagsOf, withOutcome } from '../call-tags.js';

// The offline engine as an AI SDK language model: agents call it exactly as they call a real LLM
// (generateText / streamText with tools). It reads the call (which agent it serves, the messages,
// this turn's tool results, whether JSON is wanted) and hands it to that agent's offline behaviour,
// which answers with tool calls or text, deterministically and without a network.

/** A tool call of this turn and what it returned. */
export interface OfflineToolResult {
  toolName: string;
  input: unknown;
  output: unknown;
  isError: boolean;
}

/** A model call as an offline behaviour sees it. */
export interface OfflineRequest {
  agent: string;
  hints: Record<string, string | number | boolean | null>;
  system: string;
  /** The conversation's text messages, oldest first (tool steps left out). */
  messages: { role: 'user' | 'assistant'; text: string }[];
  /** The last user message. */
  userText: string;
  /** Tool calls made since the last user message, with their results, in call order. */
  toolResults: OfflineToolResult[];
  /** The tools the call offers (none when tools may not be called). */
  toolNames: string[];
  /** True when the caller wants JSON (structured output). */
  json: boolean;
}

/** What a behaviour answers: tool calls (run in parallel by the caller) or text. */
export type OfflineReply = { text: string } | { toolCalls: { toolName: string; input: Record<string, unknown> }[] };

/** One agent's offline logic. */
export type OfflineBehaviour = (req: OfflineRequest) => OfflineReply | Promise<OfflineReply>;

/** The answer when no tool the behaviour wants is offered, or it has nothing to say. */
export const OFFLINE_APOLOGY = "I'm sorry, I can't complete that right now. Would you like me to connect you with a person from our team?";

const ZERO_USAGE: LanguageModelV3Usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};

function outputValue(output: LanguageModelV3ToolResultOutput): { value: unknown; isError: boolean } {
  switch (output.type) {
    case 'json':
    case 'text':
      return { value: output.value, isError: false };
    case 'error-json':
    case 'error-text':
      return { value: output.value, isError: true };
    case 'execution-denied':
      return { value: output.reason ?? 'denied', isError: true };
    default:
      return { value: output.value, isError: false };
  }
}

/** Reads a model call into the request an offline behaviour answers. */
export function readCall(options: LanguageModelV3CallOptions): OfflineRequest {
  const tags = tagsOf(options);
  const system: string[] = [];
  const messages: OfflineRequest['messages'] = [];
  let calls = new Map<string, { toolName: string; input: unknown; order: number }>();
  let results: (OfflineToolResult & { order: number })[] = [];
  for (const m of options.prompt) {
    if (m.role === 'system') {
      system.push(m.content);
    } else if (m.role === 'user') {
      const text = m.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
      messages.push({ role: 'user', text });
      calls = new Map();
      results = [];
    } else if (m.role === 'assistant') {
      const text = m.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
      if (text) messages.push({ role: 'assistant', text });
      for (const p of m.content) if (p.type === 'tool-call') calls.set(p.toolCallId, { toolName: p.toolName, input: p.input, order: calls.size });
    } else if (m.role === 'tool') {
      for (const p of m.content) {
        if (p.type !== 'tool-result') continue;
        const { value, isError } = outputValue(p.output);
        const call = calls.get(p.toolCallId);
        results.push({ toolName: p.toolName, input: call?.input, output: value, isError, order: call?.order ?? calls.size });
      }
    }
  }
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const toolsAllowed = options.toolChoice?.type !== 'none';
  return {
    agent: tags.agent,
    hints: tags.hints ?? {},
    system: system.join('\n'),
    messages,
    userText: lastUser?.text ?? '',
    // In the order the calls were made (parallel calls finish in any order).
    toolResults: results.sort((a, b) => a.order - b.order).map(({ order: _order, ...r }) => r),
    toolNames: toolsAllowed ? (options.tools ?? []).map((t) => t.name) : [],
    json: options.responseFormat?.type === 'json',
  };
}

/** How long an offline delta is, at least (all but the last): a few words, as a model's stream batches them. */
export const CHUNK_CHARS = 64;

/**
 * Splits text into deltas of whole words, each at least `size` characters but the last. Word-sized
 * deltas cost every layer (the AI SDK's stream, the turn's events, the bus's coalescer, SSE) one
 * pass each per word for text that is all there at once; a few words a delta still streams.
 */
export function textChunks(text: string, size = CHUNK_CHARS): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    if (text.length - start <= size) {
      out.push(text.slice(start));
      break;
    }
    // The end of the word at `size` (and the spaces after it): deltas never split a word.
    const word = /\S*\s*/y;
    word.lastIndex = start + size;
    word.exec(text);
    const end = Math.max(word.lastIndex, start + size);
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/**
 * The offline engine as a LanguageModelV3. `behaviours` maps an agent name (the `agent` tag of the
 * call) to its offline logic; a call for an agent without one fails, as a misconfigured model would.
 */
export function createOfflineModel(behaviours: Record<string, OfflineBehaviour>): LanguageModelV3 {
  async function answer(options: LanguageModelV3CallOptions): Promise<Omit<LanguageModelV3GenerateResult, 'warnings'>> {
    const req = readCall(options);
    const behaviour = behaviours[req.agent];
    if (!behaviour) throw new Error(`The offline engine has no behaviour for agent "${req.agent}"`);
    const reply = await behaviour(req);
    const providerMetadata = withOutcome(undefined, { engine: 'offline', provider: 'offline', model: 'offline' });
    if ('toolCalls' in reply) {
      const offered = reply.toolCalls.filter((c) => req.toolNames.includes(c.toolName));
      if (offered.length > 0) {
        const content: LanguageModelV3Content[] = offered.map((c) => ({ type: 'tool-call', toolCallId: `offline-${randomUUID()}`, toolName: c.toolName, input: JSON.stringify(c.input) }));
        return { content, finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: ZERO_USAGE, providerMetadata };
      }
    }
    const text = 'text' in reply && reply.text ? reply.text : OFFLINE_APOLOGY;
    return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage: ZERO_USAGE, providerMetadata };
  }

  return {
    specificationVersion: 'v3',
    provider: 'offline',
    modelId: 'offline',
    supportedUrls: {},
    async doGenerate(options) {
      return { ...(await answer(options)), warnings: [] };
    },
    async doStream(options) {
      const result = await answer(options);
      const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      const textId = randomUUID();
      for (const c of result.content) {
        if (c.type === 'text') {
          parts.push({ type: 'text-start', id: textId });
          for (const delta of textChunks(c.text)) parts.push({ type: 'text-delta', id: textId, delta });
          parts.push({ type: 'text-end', id: textId });
        } else {
          parts.push(c as LanguageModelV3StreamPart);
        }
      }
      parts.push({ type: 'finish', usage: result.usage, finishReason: result.finishReason, providerMetadata: result.providerMetadata });
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  };
}
