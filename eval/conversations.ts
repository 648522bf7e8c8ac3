/**
 * Conversation scenarios: each scripted customer runs k times through the real app, each time in a
 * new conversation; a run passes when every check of the scenario (and the privacy check) holds.
 * Reported as pass^k: the chance that k runs of a scenario all pass, averaged over scenarios.
 */
import { markdownTable, plainTable } from '../bench/lib/report.js';
import { passHatK } from './lib/metrics.js';
import { runScenario, type RunOutcome, type Scenario, type World } from './scenarios/harness.js';

/** The runs of one scenario. */
export interface ScenarioResult {
  scenario: Scenario;
  runs: RunOutcome[];
}

/** Runs every scenario k times. */
export async function evaluateConversations(world: World, scenarios: readonly Scenario[], k: number): Promise<ScenarioResult[]> {
  const out: ScenarioResult[] = [];
  for (const sc of scenarios) {
    const runs: RunOutcome[] = [];
    for (let i = 0; i < k; i++) runs.push(await runScenario(world, sc));
    out.push({ scenario: sc, runs });
  }
  return out;
}

/** pass^1 … pass^k over the results. */
export function passCurve(results: readonly ScenarioResult[]): { k: number; value: number }[] {
  const k = Math.min(...results.map((r) => r.runs.length));
  const outcomes = results.map((r) => r.runs.map((x) => x.passed));
  return Array.from({ length: k }, (_, i) => ({ k: i + 1, value: passHatK(outcomes, i + 1) }));
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function rows(results: readonly ScenarioResult[]): string[][] {
  return results.map((r) => {
    const passed = r.runs.filter((x) => x.passed).length;
    const firstFailure = r.runs.find((x) => !x.passed)?.failures[0] ?? '';
    return [r.scenario.id, r.scenario.persona, `${passed}/${r.runs.length}`, firstFailure.length > 140 ? `${firstFailure.slice(0, 137)}...` : firstFailure];
  });
}

/** Terminal output. */
export function conversationsText(results: readonly ScenarioResult[]): string {
  const curve = passCurve(results);
  return [
    `${results.length} scenarios × ${results[0]?.runs.length ?? 0} runs: ${curve.map((c) => `pass^${c.k} ${pct(c.value)}`).join(', ')}`,
    plainTable('scenarios', ['scenario', 'customer', 'passed', 'first failure'], rows(results)),
  ].join('\n\n');
}

/** Markdown for docs/evaluation.md. */
export function conversationsMarkdown(results: readonly ScenarioResult[]): string {
  const curve = passCurve(results);
  return [
    `${results.length} scenarios, each run ${results[0]?.runs.length ?? 0} times in a new conversation: ${curve.map((c) => `pass^${c.k} **${pct(c.value)}**`).join(', ')}.`,
    markdownTable(
      ['scenario', 'customer', 'what happens', 'passed', 'first failure'],
      results.map((r, i) => {
        const [id, persona, passed, failure] = rows(results)[i]!;
        return [id!, persona!, r.scenario.title, passed!, failure!];
      }),
    ),
  ].join('\n\n');
}
