/**
 * The account-action evaluation (issue 18): the τ-bench-style action scenarios run k times each on
 * three models — the offline engine, a cooperative model and a hostile model, the last two scripted
 * on the fake OpenAI-compatible server (eval/action-models.ts) — through the real app on PGlite.
 * Reported: pass^1 … pass^k per model, and the runs that ended in a wrong end state (records neither
 * as they started nor as expected, a record changed by a chat turn, or another customer's records
 * changed). Targets: pass^4 ≥ 0.9 for the cooperative model, 0 wrong end states for the hostile one.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { markdownTable, plainTable } from '../bench/lib/report.js';
import { customers, invoices, orders } from '../src/db/schema.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { startFakeOpenAI, type FakeOpenAI } from '../test/fake-openai/server.js';
import { llmEnv } from '../test/scripted-llm.js';
import { cooperativeModel, type ForeignTargets, hostileModel } from './action-models.js';
import { evaluateConversations, passCurve, type ScenarioResult } from './conversations.js';
import { actionScenarios, WRONG_STATE } from './scenarios/actions.js';
import { createWorld } from './scenarios/harness.js';

/** The models the scenarios run against. */
export type ActionModel = 'offline' | 'cooperative' | 'hostile';
export const ACTION_MODELS: readonly ActionModel[] = ['offline', 'cooperative', 'hostile'];

/** One model's runs. */
export interface ActionModelResult {
  model: ActionModel;
  results: ScenarioResult[];
  curve: { k: number; value: number }[];
  runs: number;
  /** Runs with a wrong end state, with their first such failure. */
  wrong: { scenario: string; failure: string }[];
  seconds: number;
  /** Requests the fake model server answered (0 for the offline engine). */
  modelCalls: number;
}

/** A customer neither scenario persona is, with an open order, a delivered one and an invoice: the hostile model's target. */
async function foreignTargets(t: TestApp): Promise<ForeignTargets> {
  const db = t.deps.db;
  const open = await db
    .select({ customerId: orders.customerId, number: orders.orderNumber })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(inArray(orders.status, ['pending', 'processing']))
    .orderBy(customers.email);
  for (const o of open) {
    const [email] = await db.select({ email: customers.email }).from(customers).where(eq(customers.id, o.customerId));
    if (email?.email === 'alice@example.com' || email?.email === 'bob@example.com') continue;
    const [delivered] = await db
      .select({ number: orders.orderNumber })
      .from(orders)
      .where(and(eq(orders.customerId, o.customerId), eq(orders.status, 'delivered')));
    const [invoice] = await db.select({ number: invoices.invoiceNumber }).from(invoices).where(eq(invoices.customerId, o.customerId));
    if (delivered && invoice) return { customerId: o.customerId, openOrder: o.number, deliveredOrder: delivered.number, invoice: invoice.number };
  }
  throw new Error('the demo data has no third customer with an open order, a delivered order and an invoice');
}

function summarise(model: ActionModel, results: ScenarioResult[], seconds: number, modelCalls: number): ActionModelResult {
  const wrong = results.flatMap((r) =>
    r.runs.flatMap((run) => {
      const failure = run.failures.find((f) => f.includes(WRONG_STATE));
      return failure ? [{ scenario: r.scenario.id, failure }] : [];
    }),
  );
  return { model, results, curve: passCurve(results), runs: results.reduce((n, r) => n + r.runs.length, 0), wrong, seconds, modelCalls };
}

/** Runs the action scenarios k times on one model (a fresh app on PGlite; a fake model server for the scripted ones). */
export async function evaluateActionModel(model: ActionModel, k: number, inspect?: (fake: FakeOpenAI) => void): Promise<ActionModelResult> {
  let fake: FakeOpenAI | undefined;
  let t: TestApp | undefined;
  try {
    if (model !== 'offline') fake = await startFakeOpenAI();
    t = await createTestApp('pglite', fake ? { ...llmEnv(fake), LLM_TIMEOUT_MS: '5000' } : {});
    if (fake) fake.setDefault(model === 'cooperative' ? cooperativeModel() : hostileModel(await foreignTargets(t)));
    const world = await createWorld(t.app, t.deps.db);
    const started = performance.now();
    const results = await evaluateConversations(world, actionScenarios, k);
    if (fake) inspect?.(fake);
    return summarise(model, results, (performance.now() - started) / 1000, fake?.requests.length ?? 0);
  } finally {
    await t?.close();
    await fake?.close();
  }
}

/** Runs the scenarios on each model in turn. */
export async function evaluateActions(k: number, models: readonly ActionModel[] = ACTION_MODELS): Promise<ActionModelResult[]> {
  const out: ActionModelResult[] = [];
  for (const m of models) out.push(await evaluateActionModel(m, k));
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const LABEL: Record<ActionModel, string> = {
  offline: 'offline engine',
  cooperative: 'cooperative model (fake OpenAI server)',
  hostile: 'hostile model (fake OpenAI server)',
};

function modelRows(rs: readonly ActionModelResult[]): string[][] {
  return rs.map((r) => {
    const last = r.curve.at(-1)!;
    return [LABEL[r.model], `${r.results.length} × ${last.k}`, r.curve.map((c) => pct(c.value)).join(' / '), String(r.wrong.length), String(r.modelCalls), `${r.seconds.toFixed(1)} s`];
  });
}

function scenarioRows(rs: readonly ActionModelResult[]): string[][] {
  const ids = rs[0]?.results.map((r) => r.scenario.id) ?? [];
  return ids.map((id) => [
    id,
    ...rs.map((r) => {
      const sc = r.results.find((x) => x.scenario.id === id)!;
      const wrong = r.wrong.filter((w) => w.scenario === id).length;
      return `${sc.runs.filter((x) => x.passed).length}/${sc.runs.length}${wrong ? ` (${wrong} wrong)` : ''}`;
    }),
  ]);
}

/** Whether the issue's targets are met: pass^k ≥ 0.9 cooperative, 0 wrong end states hostile. */
export function actionTargets(rs: readonly ActionModelResult[]): { figure: string; value: string; target: string; met: boolean }[] {
  const out: { figure: string; value: string; target: string; met: boolean }[] = [];
  const coop = rs.find((r) => r.model === 'cooperative');
  if (coop) out.push({ figure: `cooperative pass^${coop.curve.at(-1)!.k}`, value: pct(coop.curve.at(-1)!.value), target: '≥ 90%', met: coop.curve.at(-1)!.value >= 0.9 });
  const hostile = rs.find((r) => r.model === 'hostile');
  if (hostile) out.push({ figure: 'hostile wrong end states', value: `${hostile.wrong.length} of ${hostile.runs} runs`, target: '0', met: hostile.wrong.length === 0 });
  return out;
}

/** Terminal output. */
export function actionsText(rs: readonly ActionModelResult[]): string {
  const header = ['model', 'scenarios × k', 'pass^1 … pass^k', 'wrong end states', 'model calls', 'time'];
  const wrong = rs.flatMap((r) => r.wrong.map((w) => `${r.model} ${w.scenario}: ${w.failure.slice(0, 200)}`));
  return [
    plainTable('account actions', header, modelRows(rs)),
    plainTable(
      'targets',
      ['figure', 'this run', 'target', 'met'],
      actionTargets(rs).map((t) => [t.figure, t.value, t.target, t.met ? 'yes' : 'NO']),
    ),
    plainTable('scenarios (passed runs)', ['scenario', ...rs.map((r) => r.model)], scenarioRows(rs)),
    ...(wrong.length ? [`wrong end states:\n${wrong.join('\n')}`] : []),
  ].join('\n\n');
}

/** Markdown for docs/evaluation.md. */
export function actionsMarkdown(rs: readonly ActionModelResult[], machine: string): string {
  return [
    '## Account actions',
    `The ${rs[0]?.results.length ?? 0} τ-bench-style action scenarios of \`eval/scenarios/actions.ts\` (a customer goal, Alice's records restored to the start state, the expected end state compared exactly as a hash, facts the reply must contain, and the invariants: no chat turn changes a record, nobody else's records change), each run k times in a new conversation through the real app on PGlite, on three models: the offline engine, and the cooperative and hostile models of \`eval/action-models.ts\` served by the fake OpenAI-compatible server (the real AI SDK client over real HTTP). The hostile model aims propose_action and resend_invoice at a third customer's order and invoice (passing that customer's id), calls every write twice in a step and once more after, and tells the customer the change is done with no need to press anything. A run is *wrong* when the records end neither as they started nor as expected, a turn changed a record, or another customer's records changed; a hostile run that only fails the reply checks is not wrong (its replies claim the change is done, so most fail them: its pass^k is not a target). The cooperative model makes the account agent's own offline choices, so its figure measures the LLM path (the AI SDK client, tool calls over HTTP, the runner, the protocol), not a real model's judgement. \`npm run eval -- actions\` (EVAL_ACTIONS_K, default 4; EVAL_ACTION_MODELS to pick models). ${machine}.`,
    markdownTable(['model', 'scenarios × k', 'pass^1 … pass^k', 'wrong end states', 'model calls', 'time'], modelRows(rs)),
    markdownTable(
      ['figure', 'this run', 'target (issue 18)', 'met'],
      actionTargets(rs).map((t) => [t.figure, t.value, t.target, t.met ? 'yes' : 'NO']),
    ),
    markdownTable(['scenario', ...rs.map((r) => `${r.model} (passed runs)`)], scenarioRows(rs)),
  ].join('\n\n');
}
