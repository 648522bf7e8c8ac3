/**
 * Routing quality: the router's decision on every message of the labelled routing set, scored by
 * accuracy, macro-F1 and a confusion matrix; per writing style (typos, slang, other languages …).
 */
import { classifyOffline } from '../src/agents/router.js';
import type { OfflineServices } from '../src/agents/context.js';
import { ROUTES, type Route } from '../src/llm/offline/routes.js';
import { markdownTable, plainTable } from '../bench/lib/report.js';
import type { RoutingItem } from './lib/data.js';
import { accuracy, balancedAccuracy, calibration, classScores, confusionMatrix, macroF1, type ReliabilityBin } from './lib/metrics.js';

/** A router's decision on one message. */
export interface Decision {
  route: Route;
  confidence: number;
  /** True when the router would ask a clarifying question instead (confidence below the threshold). */
  clarify: boolean;
  /** True when the router could not decide (a failed or unparsable model call). */
  failed?: boolean;
}

/** A router under evaluation: a message in, a decision out. */
export type RouteFn = (text: string) => Promise<Decision>;

/** The offline router as the service runs it on a first message: the classifier plus the slot rule. */
export function offlineRouter(services: OfflineServices): RouteFn {
  return async (text) => {
    const out = classifyOffline(services, text);
    return { route: out.route, confidence: out.confidence, clarify: out.confidence < services.config.ROUTER_CONFIDENCE_THRESHOLD };
  };
}

/** What one router scored on the set. */
export interface RoutingReport {
  name: string;
  n: number;
  accuracy: number;
  /** Mean recall over the labelled routes (every route weighted alike). */
  balancedAccuracy: number;
  macroF1: number;
  /** The accuracy of always answering the set's most common route. */
  majority: { route: Route; accuracy: number };
  /** ECE (10 bins) of the router's confidence in its route, and the reliability table. */
  calibration: { ece: number; bins: ReliabilityBin[] };
  /** Rows: gold route; columns: predicted route (ROUTES order). */
  matrix: number[][];
  perClass: ReturnType<typeof classScores>;
  /** Share of messages answered with a clarifying question instead of a route. */
  clarifyRate: number;
  /** Share routed straight to the right place (no clarifying question). */
  directlyRight: number;
  /** Messages the router could not decide (failed model calls). */
  failed: number;
  byTag: { tag: string; n: number; accuracy: number }[];
  /** Accuracy on the items written before the classifier was improved, and on those written after. */
  byBatch: { batch: string; n: number; accuracy: number; macroF1: number }[];
  errors: { text: string; gold: Route; predicted: Route; confidence: number }[];
  ms: number;
}

/** Runs a router over the set and scores it. */
export async function evaluateRouting(name: string, items: readonly RoutingItem[], route: RouteFn): Promise<RoutingReport> {
  const started = performance.now();
  const decisions: Decision[] = [];
  for (const item of items) decisions.push(await route(item.text));
  const gold = items.map((i) => i.route);
  const predicted = decisions.map((d) => d.route);
  const matrix = confusionMatrix(ROUTES, gold, predicted);
  const tags = [...new Set(items.flatMap((i) => i.tags))].sort();
  const supports = matrix.map((row) => row.reduce((s, v) => s + v, 0));
  const top = supports.indexOf(Math.max(...supports));
  return {
    name,
    n: items.length,
    accuracy: accuracy(gold, predicted),
    balancedAccuracy: balancedAccuracy(matrix),
    macroF1: macroF1(matrix),
    majority: { route: ROUTES[top]!, accuracy: supports[top]! / items.length },
    calibration: calibration(
      decisions.map((d) => d.confidence),
      decisions.map((d, i) => d.route === gold[i]),
    ),
    matrix,
    perClass: classScores(matrix),
    clarifyRate: decisions.filter((d) => d.clarify).length / items.length,
    directlyRight: decisions.filter((d, i) => !d.clarify && d.route === gold[i]).length / items.length,
    failed: decisions.filter((d) => d.failed).length,
    byTag: tags.map((tag) => {
      const idx = items.map((it, i) => (it.tags.includes(tag) ? i : -1)).filter((i) => i >= 0);
      return {
        tag,
        n: idx.length,
        accuracy: accuracy(
          idx.map((i) => gold[i]),
          idx.map((i) => predicted[i]),
        ),
      };
    }),
    byBatch: [...new Set(items.map((i) => i.batch))].map((batch) => {
      const idx = items.map((it, i) => (it.batch === batch ? i : -1)).filter((i) => i >= 0);
      const g = idx.map((i) => gold[i]!);
      const p = idx.map((i) => predicted[i]!);
      return { batch, n: idx.length, accuracy: accuracy(g, p), macroF1: macroF1(confusionMatrix(ROUTES, g, p)) };
    }),
    errors: items.map((it, i) => ({ text: it.text, gold: it.route, predicted: predicted[i]!, confidence: decisions[i]!.confidence })).filter((e) => e.gold !== e.predicted),
    ms: performance.now() - started,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function matrixRows(r: RoutingReport): string[][] {
  return ROUTES.map((g, gi) => [g, ...r.matrix[gi]!.map(String), String(r.perClass[gi]!.support)]);
}

function batchRows(r: RoutingReport): string[][] {
  return r.byBatch.map((b) => [b.batch, String(b.n), pct(b.accuracy), b.macroF1.toFixed(3)]);
}

/** The report as terminal tables. */
export function routingText(r: RoutingReport): string {
  const summary = `${r.name}: accuracy ${pct(r.accuracy)}, macro-F1 ${r.macroF1.toFixed(3)} on ${r.n} messages; clarifying question on ${pct(r.clarifyRate)}, routed right without asking ${pct(r.directlyRight)}${r.failed ? `, ${r.failed} failed calls` : ''} (${(r.ms / r.n).toFixed(2)} ms per message)`;
  return [
    summary,
    plainTable('by batch', ['batch', 'n', 'accuracy', 'macro-F1'], batchRows(r)),
    plainTable('confusion matrix (rows: labelled route, columns: predicted)', ['gold \\ predicted', ...ROUTES, 'n'], matrixRows(r)),
    plainTable(
      'by writing style',
      ['style', 'n', 'accuracy'],
      r.byTag.map((t) => [t.tag, String(t.n), pct(t.accuracy)]),
    ),
  ].join('\n\n');
}

/** The report as markdown for docs/evaluation.md. */
export function routingMarkdown(r: RoutingReport, maxErrors = 25): string {
  const perClass = ROUTES.map((route, i) => {
    const s = r.perClass[i]!;
    return [route, String(s.support), s.precision.toFixed(3), s.recall.toFixed(3), s.f1.toFixed(3)];
  });
  return [
    `**${r.name}**: accuracy **${pct(r.accuracy)}**, macro-F1 **${r.macroF1.toFixed(3)}** on ${r.n} messages. The router asked a clarifying question on ${pct(r.clarifyRate)} of them (its best guess is what is scored above); it routed ${pct(r.directlyRight)} straight to the right place without asking.${r.failed ? ` ${r.failed} calls failed or returned no valid decision (scored as out_of_scope).` : ''} ${(r.ms / r.n).toFixed(2)} ms per message.`,
    `By batch (\`tuned\`: written first, its errors studied while improving the classifier; \`fresh\`: written afterwards and scored unseen):\n\n${markdownTable(['batch', 'n', 'accuracy', 'macro-F1'], batchRows(r))}`,
    `Confusion matrix (rows: labelled route; columns: the router's route):\n\n${markdownTable(['labelled \\ predicted', ...ROUTES, 'n'], matrixRows(r))}`,
    `Per route:\n\n${markdownTable(['route', 'n', 'precision', 'recall', 'F1'], perClass)}`,
    `By writing style:\n\n${markdownTable(
      ['style', 'n', 'accuracy'],
      r.byTag.map((t) => [t.tag, String(t.n), pct(t.accuracy)]),
    )}`,
    r.errors.length === 0
      ? 'No errors.'
      : `<details><summary>${r.errors.length} misrouted messages${r.errors.length > maxErrors ? ` (first ${maxErrors})` : ''}</summary>\n\n${markdownTable(
          ['message', 'labelled', 'predicted', 'confidence'],
          r.errors.slice(0, maxErrors).map((e) => [e.text.length > 120 ? `${e.text.slice(0, 117)}...` : e.text, e.gold, e.predicted, e.confidence.toFixed(2)]),
        )}\n\n</details>`,
  ].join('\n\n');
}
