/**
 * `npx tsx eval/public/summary.ts`: what the public data sets hold after mapping, per set and route
 * (training pool and evaluation sets), so their sizes in eval/README.md come from a command.
 */
import { ROUTES } from '../../src/llm/offline/routes.js';
import { plainTable } from '../../bench/lib/report.js';
import { evaluationDroppedAsOwnTraining, loadPublicEvaluation, loadPublicTraining, type LabelledUtterance } from './load.js';

const row = (name: string, items: readonly LabelledUtterance[]) => [name, String(items.length), ...ROUTES.map((r) => String(items.filter((i) => i.route === r).length))];
const training = loadPublicTraining();
const sources = [...new Set(training.map((i) => i.source.split('/')[0]!))];
console.log(
  plainTable(
    'public training pool (TRAIN splits, minus every evaluation message)',
    ['set', 'n', ...ROUTES],
    [
      ...sources.map((s) =>
        row(
          s,
          training.filter((i) => i.source.startsWith(`${s}/`)),
        ),
      ),
      row('all', training),
    ],
  ),
);
const evaluation = loadPublicEvaluation();
console.log(
  `\n${plainTable(
    'public evaluation sets (EVAL splits)',
    ['set', 'n', ...ROUTES],
    evaluation.map((e) => row(e.set, e.items)),
  )}`,
);
const dropped = evaluationDroppedAsOwnTraining();
console.log(`\n${dropped.length} evaluation messages left out because the own training utterances contain them${dropped.length ? `: ${dropped.map((d) => JSON.stringify(d.text)).join(', ')}` : ''}`);
