/**
 * The router's intent classifier as the service runs it: trained ahead of time by
 * `npm run train:router` (scripts/train-router.ts) on the project's own utterances and the public
 * training splits, written to model/router-model.json and loaded here at start (milliseconds,
 * where training takes tens of seconds). The file records a hash of the project's own utterances; a
 * test fails when they change and the model was not retrained.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ClassifierArtifact, type IntentClassifier, loadIntentClassifier } from './classifier.js';
import { TRAINING_UTTERANCES } from './training-data.js';
import { templatedUtterances } from './training/intents.js';

/** Where the trained model lives (src/ in development, dist/ in a build: scripts/build.mjs copies it). */
export const ROUTER_MODEL_URL = new URL('./model/router-model.json', import.meta.url);

/** The project's own training utterances: the hand-written ones and the templated ones. */
export function ownUtterances(): { text: string; route: (typeof TRAINING_UTTERANCES)[number]['route'] }[] {
  return [...TRAINING_UTTERANCES, ...templatedUtterances()];
}

/** A hash of the own utterances a model was trained on (text and route, in order). */
export function utterancesHash(items: ReadonlyArray<{ text: string; route: string }> = ownUtterances()): string {
  const h = createHash('sha256');
  for (const u of items) h.update(`${u.route}\t${u.text}\n`);
  return h.digest('hex').slice(0, 16);
}

/** The stored artifact. */
export function readRouterModel(url: URL = ROUTER_MODEL_URL): ClassifierArtifact {
  return JSON.parse(readFileSync(url, 'utf8')) as ClassifierArtifact;
}

/** The trained router classifier, loaded from the stored artifact. */
export function loadRouterClassifier(url: URL = ROUTER_MODEL_URL): IntentClassifier {
  return loadIntentClassifier(readRouterModel(url));
}
