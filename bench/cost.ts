/**
 * Cost: a scripted 6-turn conversation (small talk, two FAQ questions, an invoice, an order, a
 * handoff) as a signed-in customer, answered by the fake model priced as gpt-4o-mini. Tokens are
 * what the fake server reports — prompt tokens ≈ the characters it was sent ÷ 4 (messages, tool
 * definitions, output schema), completion tokens ≈ what it answered ÷ 4 — and dollars are what the
 * service recorded in llm_usage. Baseline: the conversation's own words (what the customer wrote
 * and was answered), as tokens at the same prices.
 */
import { eq } from 'drizzle-orm';
import { llmUsage } from '../src/db/schema.js';
import { DEFAULT_PRICES } from '../src/llm/prices.js';
import type { Benchmark, BenchResult } from './lib/benchmark.js';
import { llmEnv, startFakeModelHere } from './lib/fake-model.js';
import { promptParts, type PromptParts } from './lib/prompt-sizes.js';
import { markdownTable, plainTable, type FigureTable } from './lib/report.js';
import { startService } from './lib/service.js';

/** The customer's side of the conversation. */
export const SCRIPT = [
  'Hi! I have a few questions.',
  'How long does shipping take to Canada?',
  'What was my last invoice?',
  'And where is my latest order?',
  'Can I return a headset that arrived damaged?',
  "I'd like to talk to a person about a refund, please.",
] as const;

const MODEL = 'gpt-4o-mini';
const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

interface AgentRow {
  agent: string;
  calls: number;
  input: number;
  maxInput: number;
  output: number;
  cost: number;
  system: number;
  schema: number;
  messages: number;
}

/** Benchmark 6 of issue 8. */
export const costBenchmark: Benchmark = {
  name: 'cost',
  title: 'Cost per conversation',
  async run(log): Promise<BenchResult> {
    const model = await startFakeModelHere({ speed: { latencyMs: 0, tokensPerSecond: 0 } });
    const replies: { agent: string; content: string }[] = [];
    let usage: (typeof llmUsage.$inferSelect)[] = [];
    let parts: PromptParts[] = [];
    try {
      const svc = await startService(llmEnv(model.url));
      try {
        const token = await svc.login('alice@example.com');
        const auth = { authorization: `Bearer ${token}` };
        const conversation = (await svc.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: auth, payload: {} })).json<{ id: string }>().id;
        for (const [i, content] of SCRIPT.entries()) {
          const res = await svc.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversation}/messages`, headers: { ...auth, 'idempotency-key': `cost-${i}` }, payload: { content } });
          if (res.statusCode !== 201) throw new Error(`turn ${i + 1} answered ${res.statusCode}: ${res.body}`);
          const a = res.json<{ assistant_message: { agent: string; content: string; engine: string } }>().assistant_message;
          if (a.engine !== 'llm' && a.agent !== 'router') throw new Error(`turn ${i + 1} was answered by the ${a.engine} engine`);
          replies.push({ agent: a.agent, content: a.content });
          log(`  ${i + 1}. ${content} → ${a.agent}: ${a.content.replace(/\s+/g, ' ').slice(0, 70)}…`);
        }
        usage = await svc.deps.db.select().from(llmUsage).where(eq(llmUsage.conversationId, conversation));
        parts = (await model.timed()).map((t) => promptParts(t.request.body));
      } finally {
        await svc.close();
      }
    } finally {
      await model.close();
    }

    const price = DEFAULT_PRICES[MODEL]!;
    const sum = (f: (u: (typeof usage)[number]) => number) => usage.reduce((n, u) => n + f(u), 0);
    const input = sum((u) => u.inputTokens);
    const output = sum((u) => u.outputTokens);
    const dollars = sum((u) => u.costUsd);
    const ownIn = SCRIPT.reduce((n, m) => n + tokens(m), 0);
    const ownOut = replies.reduce((n, r) => n + tokens(r.content), 0);
    const ownDollars = (ownIn * price.input + ownOut * price.output) / 1e6;

    const rows = new Map<string, AgentRow>();
    for (const u of usage) {
      const r = rows.get(u.agent) ?? { agent: u.agent, calls: 0, input: 0, maxInput: 0, output: 0, cost: 0, system: 0, schema: 0, messages: 0 };
      r.calls++;
      r.input += u.inputTokens;
      r.maxInput = Math.max(r.maxInput, u.inputTokens);
      r.output += u.outputTokens;
      r.cost += u.costUsd;
      rows.set(u.agent, r);
    }
    for (const p of parts) {
      const r = rows.get(p.agent);
      if (!r) continue;
      r.system = Math.max(r.system, p.systemChars);
      r.schema = Math.max(r.schema, p.schemaChars);
      r.messages = Math.max(r.messages, p.messageChars);
    }
    const header = ['agent', 'calls', 'input tokens (mean / max per call)', 'output tokens', 'cost', 'system prompt', 'tool definitions + schema', 'conversation + tool results (max)'];
    const agentRows = [...rows.values()].map((r) => [
      r.agent,
      String(r.calls),
      `${Math.round(r.input / r.calls)} / ${r.maxInput}`,
      String(r.output),
      `$${r.cost.toFixed(6)}`,
      `${r.system} chars ≈ ${Math.ceil(r.system / 4)} tokens`,
      `${r.schema} chars ≈ ${Math.ceil(r.schema / 4)} tokens`,
      `${r.messages} chars ≈ ${Math.ceil(r.messages / 4)} tokens`,
    ]);
    log(plainTable('Prompt sizes per agent', header, agentRows));

    const tables: FigureTable[] = [
      {
        caption: `A 6-turn conversation at ${MODEL} prices ($${price.input} / $${price.output} per 1M input / output tokens), against the conversation's own words at the same prices`,
        figures: [
          { name: 'dollars per conversation', value: dollars, unit: 'USD', baseline: { name: "the conversation's own words", value: ownDollars }, target: { on: 'value', op: '<=', value: 0.02 } },
          { name: 'input tokens per conversation', value: input, unit: '', baseline: { name: "the customer's messages", value: ownIn } },
          { name: 'output tokens per conversation', value: output, unit: '', baseline: { name: 'the replies as stored', value: ownOut } },
          { name: 'model calls per conversation', value: usage.length, unit: '', baseline: { name: 'turns', value: SCRIPT.length } },
          { name: 'dollars per 1,000 such conversations', value: dollars * 1000, unit: 'USD' },
        ],
      },
    ];
    return {
      setup: [
        `The service in this process on PostgreSQL + Redis, \`LLM_PROVIDER=openai-compatible\` with model \`${MODEL}\` pointed at the fake server (autopilot: routes by keywords, calls the agent's tool, answers from the tool results). Signed in as a customer; one conversation of six turns: ${SCRIPT.map((s) => `"${s}"`).join(', ')}.`,
        'Tokens as the fake server reports them: prompt ≈ characters sent ÷ 4 (messages, tool definitions and output schema, as JSON), completion ≈ characters answered ÷ 4 (text and tool-call arguments). Real tokenizers give about 4 characters a token for English; JSON costs a little more. Dollars: the `llm_usage` rows the service wrote (price table `src/llm/prices.ts`).',
      ],
      tables,
      notes: [
        `**Prompt sizes per agent** (the largest call of each; tokens ≈ characters ÷ 4):\n\n${markdownTable(header, agentRows)}`,
        `Turns routed: ${replies.map((r, i) => `${i + 1} → ${r.agent}`).join(', ')}.`,
      ],
    };
  },
};
