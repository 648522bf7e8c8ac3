/**
 * The offline intent classifier: multinomial logistic regression over hashed sparse
 * features, trained with AdaGrad and L2 at start-up, with its confidence calibrated by
 * temperature scaling fitted on cross-validated predictions. Deterministic: the same
 * examples and options always give the same model.
 */
import { ROUTES, type Route } from './routes.js';
import { extractSlots } from './slots.js';
import { charNgrams, hash32, stem, tokenize } from './text.js';
import { TRAINING_UTTERANCES } from './training-data.js';
import { mulberry32 as random } from '../../util/prng.js';

export interface LabelledUtterance {
  text: string;
  route: Route;
  /** How much the example counts in training (default 1): a source's share of the loss. */
  weight?: number;
}

export interface ClassifierOptions {
  /** Hashed feature buckets; more means fewer collisions and more memory. Default 2^18. */
  dimensions?: number;
  /** Passes over the training data. Default 6. */
  epochs?: number;
  /** AdaGrad base learning rate. Default 0.4. */
  learningRate?: number;
  /** L2 penalty on the weights touched by each example. Default 1e-4. */
  l2?: number;
  /** Seed of the shuffles (epochs and folds). Default 1. */
  seed?: number;
  /** Folds used to fit the temperature; below 2 disables calibration (temperature 1). Default 5. */
  calibrationFolds?: number;
}

export interface Classification {
  route: Route;
  /** Calibrated probability of `route`: about how often a prediction this confident is right. */
  confidence: number;
  /** Calibrated probability of every route; they sum to 1. */
  scores: Record<Route, number>;
}

export interface IntentClassifier {
  classify(text: string): Classification;
  readonly labels: readonly Route[];
  /** Softmax temperature fitted on held-out predictions (above 1 softens an overconfident model). */
  readonly temperature: number;
}

export interface CrossValidationResult {
  accuracy: number;
  /** Expected calibration error (10 equal-width bins) of the calibrated confidences. */
  ece: number;
  /** The same error at temperature 1, for comparison. */
  eceUncalibrated: number;
  /** Mean negative log-likelihood of the true route, calibrated. */
  nll: number;
  /** Held-out accuracy per route. */
  accuracyByRoute: Record<Route, number>;
  /** Held-out predictions that missed, for error analysis. */
  errors: { text: string; expected: Route; predicted: Route; confidence: number }[];
}

const DEFAULTS: Required<ClassifierOptions> = {
  dimensions: 1 << 18,
  epochs: 6,
  learningRate: 0.4,
  l2: 1e-4,
  seed: 1,
  calibrationFolds: 5,
};

const LABELS: readonly Route[] = ROUTES;
const C = LABELS.length;

// ---------------------------------------------------------------- features

interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

const FIRST_PERSON = new Set([
  'i',
  'me',
  'my',
  'mine',
  'myself',
  'im',
  'ive',
  'id',
  'we',
  'our',
  'ours',
  'us',
  'weve',
  'mi',
  'mis',
  'yo',
  'ma',
  'mon',
  'mes',
  'je',
  'nous',
  'notre',
  'ich',
  'mein',
  'meine',
  'meinen',
  'mir',
]);

/**
 * Cue lexicons (several languages), matched on stems. Each gives one shared feature, so a cue
 * word the training set never paired with a route still pulls toward the routes its siblings did.
 */
const lexicon = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean).map(stem));
const LEXICONS: Record<string, ReadonlySet<string>> = {
  // vocabulary of the business: its products, billing and support topics
  domain: lexicon(`
    switchboard order ord invoice inv bill billing charge charged plan subscription seat seats account headset
    phone desk shipping shipped delivery delivered carrier express hardware return refund refundable api key sso
    saml 2fa password login log sign integration integrate zendesk salesforce slack hubspot zapier export data
    gdpr dpa privacy encrypted encryption security secure compliant soc uptime sla status payment pay paypal card
    wire currency trial renew renewal pricing price cost discount proration warranty tracking ticket tck support
    workspace team teammate user users webhook firmware mic audio echo bluetooth zoom call calls recording
    starter pro business enterprise upgrade downgrade cancel credit balance paid due attachment dashboard
    settings email browser safari routing forwarding feature features
    pedido factura envio suscripcion contrasena pago devoluciones commande facture abonnement livraison passe
    paiement forfait bestellung rechnung abo versand tarif daten konto zahlung
    warehouse dispatch courier customs duty duties import parcel package freight rma exchange serial firmware
    webcam camera browser chrome firefox edge app desktop network wifi vpn sip alg poe dhcp provisioning register
    tax vat gst exempt exemption receipt chargeback overdue retry prorated audit residency backup tls byok dpa
    export deletion scim session passkey yubikey authenticator endpoint pagination cursor header signature
    idempotency sandbox rate limit limits error errors 401 403 404 429 500 503 reset unlock locked
    entrega garantia reembolso navegador colis garantie retour navigateur lieferung paket garantie ruckgabe zoll
    passwort fatura frete assinatura senha pagamento devolucao encomenda ordine fattura spedizione abbonamento
    pagamento reso consegna pacco garanzia bestelling factuur verzending levering abonnement wachtwoord betaling
    pakket proefperiode`),
  // asking for a person, anger, threats, urgency, irreversible changes
  escalate: lexicon(`
    human person people agent manager supervisor someone somebody representative rep real live callback escalate
    cancel close terminate terminating delete erase erased forgotten complaint complain lawyer legal sue court
    report dispute disputing locked unlock hacked compromised breach leaked urgent asap immediately outage
    broke broken defective unacceptable ridiculous worst useless disappointed angry wtf hell demand
    compensation waive exception twice double
    persona cancelar reembolso humain conseiller resilier rembourse inadmissible mensch menschen kundigen sofort`),
  // greetings, thanks, farewells, acknowledgements, the assistant itself
  social: lexicon(`
    hi hello hey hiya yo sup morning afternoon evening thank thanks thx ty cheers appreciate bye goodbye later
    ok okay k cool nice awesome great perfect alright sounds bot robot ai name joke lol haha funny smart love
    sorry oops test testing hmm nevermind merry happy
    hola buenos dias gracias adios bonjour merci revoir salut hallo danke schon tschuss guten morgen
    ola oi obrigado obrigada tchau valeu ciao salve grazie arrivederci buonasera buongiorno bedankt dank doei
    goedemorgen goedenavond weekend bye-bye welcome`),
  // the world outside the business: weather, food, sport, markets, entertainment, health, travel, school, home
  general: lexicon(`
    weather forecast rain snow sunny temperature recipe recipes cook cooking bake baking dinner lunch breakfast
    dessert cake pizza restaurant movie movies film films netflix series novel poem poetry song songs music
    playlist lyrics sport sports football soccer basketball baseball nba nfl league match championship
    tournament olympics stock stocks shares bitcoin crypto ethereum invest investing investment mortgage
    election president politics capital country history historical planet moon sun space universe science
    physics chemistry biology math maths homework equation essay translate translation synonym definition
    define meaning health doctor symptoms medicine diet workout fitness exercise travel trip vacation holiday
    flight flights hotel hotels car cars tire engine dog dogs cat cats puppy kitten pet pets garden gardening
    plant plants wedding birthday gift gifts girlfriend boyfriend dating horoscope astrology lottery
    tiempo receta recetas partido temps recette wetter rezept tempo receita ricetta weer recept`),
};
// Openings of general questions ("how do I", "do you"), which lean to faq over account.
const GENERAL_QUESTION = /^(?:how|what|which|where can|is there|are there|do you|does|can i|can you|is it|are you|who)\b/;

// Group scales, chosen by cross-validation: char n-grams mostly help with typos and unseen
// inflections, so they get less weight than whole words.
const WORD_GROUP_WEIGHT = 1;
const CHAR_GROUP_WEIGHT = 0.3;
const FLAG_WEIGHT = 0.8;

/** Counts one occurrence of `key` in its hashed bucket. */
function bump(group: Map<number, number>, key: string, dimensions: number): void {
  const bucket = hash32(key) % dimensions;
  group.set(bucket, (group.get(bucket) ?? 0) + 1);
}

/** Adds a group's counts to `out` with sublinear tf, scaled to length `scale`, so no group drowns the others. */
function sublinearUnit(group: Map<number, number>, scale: number, out: Map<number, number>): void {
  let norm = 0;
  for (const [k, v] of group) {
    const w = 1 + Math.log(v);
    group.set(k, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm === 0) return;
  for (const [k, v] of group) out.set(k, (out.get(k) ?? 0) + (scale * v) / norm);
}

/** Turns an utterance into the model's sparse feature vector. */
function featurize(text: string, dimensions: number): SparseVector {
  const words = tokenize(text);
  const stems = words.map(stem);
  const wordGroup = new Map<number, number>();
  const charGroup = new Map<number, number>();
  for (let i = 0; i < stems.length; i++) {
    bump(wordGroup, `u:${stems[i]}`, dimensions);
    bump(wordGroup, `b:${i === 0 ? '<s>' : stems[i - 1]} ${stems[i]}`, dimensions);
    for (const gram of charNgrams(words[i])) bump(charGroup, `c:${gram}`, dimensions);
  }
  if (stems.length > 0) bump(wordGroup, `b:${stems[stems.length - 1]} </s>`, dimensions);

  const slots = extractSlots(text, new Date(0));
  const flags: string[] = ['bias'];
  if (slots.invoiceNumbers.length > 0) flags.push('invoice_id');
  if (slots.orderNumbers.length > 0) flags.push('order_id');
  if (slots.ticketNumbers.length > 0) flags.push('ticket_id');
  if (slots.amounts.length > 0) flags.push('amount');
  if (slots.dates.length > 0) flags.push('date');
  if (slots.plans.length > 0) flags.push('plan');
  if (slots.emails.length > 0) flags.push('email');
  if (words.some((w) => FIRST_PERSON.has(w))) flags.push('first_person');
  for (const [name, cues] of Object.entries(LEXICONS)) {
    const hits = stems.filter((w) => cues.has(w)).length;
    if (hits > 0) flags.push(`lex_${name}`);
    if (hits > 1) flags.push(`lex_${name}_2`);
  }
  const domainless = !flags.includes('lex_domain');
  if (domainless && !flags.includes('lex_social')) flags.push('lex_none');
  const general = GENERAL_QUESTION.test(words.join(' ')) || /^(?:how to|how do|how can|what is|what are|who|why)\b/.test(words.join(' '));
  if (general) flags.push('general_question');
  // Conjunctions a linear model cannot form itself: a how-to or what-is question is the help
  // center's only when it is about the business; without a single business word it is not.
  if (general && domainless) flags.push('general_question_no_domain');
  if (domainless && flags.includes('lex_general')) flags.push('general_no_domain');
  if (/[?¿]/.test(text)) flags.push('question');
  if (/!/.test(text)) flags.push('exclamation');
  if (/\b[A-Z]{3,}\b/.test(text.replace(/\b(?:INV|ORD|TCK|API|SSO|USD|EUR|GBP|GDPR|PDF|CSV)\b/g, ''))) {
    flags.push('shouting');
  }
  flags.push(words.length === 0 ? 'len_0' : words.length <= 2 ? 'len_1_2' : words.length <= 6 ? 'len_3_6' : 'len_7+');

  const out = new Map<number, number>();
  sublinearUnit(wordGroup, WORD_GROUP_WEIGHT, out);
  sublinearUnit(charGroup, CHAR_GROUP_WEIGHT, out);
  for (const flag of flags) {
    const bucket = hash32(`h:${flag}`) % dimensions;
    out.set(bucket, (out.get(bucket) ?? 0) + FLAG_WEIGHT);
  }
  const index = Int32Array.from(out.keys());
  const value = Float64Array.from(out.values());
  return { index, value };
}

// ---------------------------------------------------------------- model

/**
 * Weights over compact feature ids (`w[id * C + c]`, one feature's class weights adjacent).
 * Buckets never seen in training would keep weight 0, so only the seen ones get an id: the
 * arrays stay small and cache-friendly however many hash buckets there are.
 */
interface Model {
  weights: Float64Array;
}

/** Hash bucket → compact id, over every bucket seen in the training examples. */
type Vocabulary = Map<number, number>;

/** Re-indexes hashed vectors to compact ids, growing the vocabulary when `grow` is set, else dropping unseen buckets. */
function compact(x: SparseVector, vocabulary: Vocabulary, grow: boolean): SparseVector {
  const index: number[] = [];
  const value: number[] = [];
  for (let k = 0; k < x.index.length; k++) {
    let id = vocabulary.get(x.index[k]);
    if (id === undefined && grow) {
      id = vocabulary.size;
      vocabulary.set(x.index[k], id);
    }
    if (id === undefined) continue;
    index.push(id);
    value.push(x.value[k]);
  }
  return { index: Int32Array.from(index), value: Float64Array.from(value) };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function logits(model: Model, x: SparseVector): Float64Array {
  const z = new Float64Array(C);
  const w = model.weights;
  for (let k = 0; k < x.index.length; k++) {
    const base = x.index[k] * C;
    const v = x.value[k];
    for (let c = 0; c < C; c++) z[c] += w[base + c] * v;
  }
  return z;
}

function softmax(z: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v / temperature);
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    p[c] = Math.exp(z[c] / temperature - max);
    sum += p[c];
  }
  for (let c = 0; c < z.length; c++) p[c] /= sum;
  return p;
}

function train(xs: SparseVector[], ys: number[], features: number, o: Required<ClassifierOptions>, importances?: number[]): Model {
  const weights = new Float64Array(features * C);
  const squares = new Float64Array(features * C);
  const model = { weights };
  const next = random(o.seed);
  const order = xs.map((_, i) => i);
  const { l2, learningRate: rate } = o;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, next);
    for (const n of order) {
      const { index, value } = xs[n];
      const p = softmax(logits(model, xs[n]), 1);
      p[ys[n]] -= 1; // p - y: the gradient of the cross-entropy with respect to the logits
      const importance = importances ? importances[n] : 1;
      if (importance !== 1) for (let c = 0; c < C; c++) p[c] *= importance;
      for (let k = 0; k < index.length; k++) {
        const base = index[k] * C;
        const v = value[k];
        for (let c = 0; c < C; c++) {
          const j = base + c;
          const w = weights[j];
          const g = p[c] * v + l2 * w;
          const s = squares[j] + g * g;
          squares[j] = s;
          weights[j] = w - (rate * g) / (Math.sqrt(s) + 1e-8);
        }
      }
    }
  }
  return model;
}

/** Stratified fold number of every example, from a seeded shuffle. */
function assignFolds(ys: number[], k: number, seed: number): number[] {
  const folds = new Array<number>(ys.length).fill(0);
  const order = shuffle(
    ys.map((_, i) => i),
    random(seed ^ 0x9e3779b9),
  );
  const seen = new Array<number>(C).fill(0);
  for (const i of order) folds[i] = seen[ys[i]]++ % k;
  return folds;
}

/** Logits of every example predicted by a model that did not see it. */
function outOfFoldLogits(xs: SparseVector[], ys: number[], features: number, k: number, o: Required<ClassifierOptions>): Float64Array[] {
  const folds = assignFolds(ys, k, o.seed);
  const out = new Array<Float64Array>(xs.length);
  for (let f = 0; f < k; f++) {
    const trainIdx = xs.map((_, i) => i).filter((i) => folds[i] !== f);
    const model = train(
      trainIdx.map((i) => xs[i]),
      trainIdx.map((i) => ys[i]),
      features,
      o,
    );
    for (let i = 0; i < xs.length; i++) if (folds[i] === f) out[i] = logits(model, xs[i]);
  }
  return out;
}

function meanNll(zs: Float64Array[], ys: number[], temperature: number): number {
  let total = 0;
  for (let i = 0; i < zs.length; i++) total -= Math.log(Math.max(softmax(zs[i], temperature)[ys[i]], 1e-12));
  return total / zs.length;
}

/** Temperature minimising held-out NLL; NLL is convex in 1/T, so a golden-section search finds it. */
function fitTemperature(zs: Float64Array[], ys: number[]): number {
  let lo = 0.02;
  let hi = 20;
  const ratio = (Math.sqrt(5) - 1) / 2;
  const f = (beta: number): number => meanNll(zs, ys, 1 / beta);
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let step = 0; step < 60 && hi - lo > 1e-4; step++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = f(b);
    }
  }
  return 1 / ((lo + hi) / 2);
}

function resolve(opts: ClassifierOptions | undefined): Required<ClassifierOptions> {
  const o = { ...DEFAULTS, ...opts };
  if (!Number.isInteger(o.dimensions) || o.dimensions < 16) throw new RangeError('dimensions must be an integer >= 16');
  return o;
}

interface Encoded {
  xs: SparseVector[];
  ys: number[];
  vocabulary: Vocabulary;
}

function encode(examples: ReadonlyArray<LabelledUtterance>, dimensions: number): Encoded {
  if (examples.length === 0) throw new RangeError('cannot train an intent classifier on no examples');
  const vocabulary: Vocabulary = new Map();
  return {
    xs: examples.map((e) => compact(featurize(e.text, dimensions), vocabulary, true)),
    ys: examples.map((e) => {
      const y = LABELS.indexOf(e.route);
      if (y < 0) throw new RangeError(`unknown route "${e.route}"`);
      return y;
    }),
    vocabulary,
  };
}

/** The most probable route of a probability vector, with every route's probability. */
function classification(p: Float64Array): Classification {
  let best = 0;
  for (let c = 1; c < C; c++) if (p[c] > p[best]) best = c;
  const scores = Object.fromEntries(LABELS.map((label, c) => [label, p[c]])) as Record<Route, number>;
  return { route: LABELS[best], confidence: p[best], scores };
}

/** Calibrates and trains on examples `subset` (all when omitted) of an encoded set. */
function buildClassifier(data: Encoded, o: Required<ClassifierOptions>, subset?: number[]): IntentClassifier & { predictVector(x: SparseVector): Float64Array } {
  const xs = subset ? subset.map((i) => data.xs[i]) : data.xs;
  const ys = subset ? subset.map((i) => data.ys[i]) : data.ys;
  const features = data.vocabulary.size;
  const temperature = o.calibrationFolds >= 2 ? fitTemperature(outOfFoldLogits(xs, ys, features, o.calibrationFolds, o), ys) : 1;
  const model = train(xs, ys, features, o);
  const predictVector = (x: SparseVector): Float64Array => softmax(logits(model, x), temperature);
  return {
    labels: LABELS,
    temperature,
    predictVector,
    classify: (text) => classification(predictVector(compact(featurize(text, o.dimensions), data.vocabulary, false))),
  };
}

/** Trains the router's offline intent classifier, calibrated, on labelled utterances (the built-in set by default). */
export function trainIntentClassifier(examples: ReadonlyArray<LabelledUtterance> = TRAINING_UTTERANCES, opts?: ClassifierOptions): IntentClassifier {
  const o = resolve(opts);
  const { classify, labels, temperature } = buildClassifier(encode(examples, o.dimensions), o);
  return { classify, labels, temperature };
}

/** Expected calibration error over equal-width confidence bins. */
function calibrationError(confidences: number[], correct: boolean[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  for (let i = 0; i < confidences.length; i++) {
    const b = Math.min(bins - 1, Math.floor(confidences[i] * bins));
    count[b]++;
    conf[b] += confidences[i];
    hits[b] += correct[i] ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(hits[b] - conf[b]) / confidences.length;
  return ece;
}

/**
 * Measures the classifier honestly: k-fold stratified cross-validation where each fold's
 * model is trained (and calibrated on its own inner folds) without seeing the fold.
 */
export function crossValidate(examples: ReadonlyArray<LabelledUtterance> = TRAINING_UTTERANCES, k = 5, opts?: ClassifierOptions): CrossValidationResult {
  if (!Number.isInteger(k) || k < 2) throw new RangeError('k must be an integer >= 2');
  const o = resolve(opts);
  const data = encode(examples, o.dimensions);
  const { xs, ys } = data;
  const folds = assignFolds(ys, k, o.seed + 7919);
  const predicted = new Array<number>(xs.length);
  const calibrated = new Array<number>(xs.length);
  const raw = new Array<number>(xs.length);
  let nll = 0;
  for (let f = 0; f < k; f++) {
    const trainIdx = xs.map((_, i) => i).filter((i) => folds[i] !== f);
    const clf = buildClassifier(data, o, trainIdx);
    for (let i = 0; i < xs.length; i++) {
      if (folds[i] !== f) continue;
      const p = clf.predictVector(xs[i]);
      let best = 0;
      for (let c = 1; c < C; c++) if (p[c] > p[best]) best = c;
      predicted[i] = best;
      calibrated[i] = p[best];
      // softmax is monotone, so the argmax at temperature 1 is the same route
      const pRaw = softmax(
        p.map((q) => Math.log(Math.max(q, 1e-300)) * clf.temperature),
        1,
      );
      raw[i] = pRaw[best];
      nll -= Math.log(Math.max(p[ys[i]], 1e-12));
    }
  }
  const correct = ys.map((y, i) => predicted[i] === y);
  const accuracyByRoute = Object.fromEntries(
    LABELS.map((label, c) => {
      const idx = ys.map((y, i) => (y === c ? i : -1)).filter((i) => i >= 0);
      return [label, idx.length === 0 ? 0 : idx.filter((i) => correct[i]).length / idx.length];
    }),
  ) as Record<Route, number>;
  return {
    accuracy: correct.filter(Boolean).length / xs.length,
    ece: calibrationError(calibrated, correct),
    eceUncalibrated: calibrationError(raw, correct),
    nll: nll / xs.length,
    accuracyByRoute,
    errors: examples.map((e, i) => ({ text: e.text, expected: e.route, predicted: LABELS[predicted[i]], confidence: calibrated[i] })).filter((_, i) => !correct[i]),
  };
}

// ---------------------------------------------------------------- trained artifacts

/**
 * A trained classifier as data: what `npm run train:router` writes and the service loads at start
 * (training on tens of thousands of public examples takes too long for every start-up). Weights are
 * quantised to 16 bits with one scale; features whose every class weight rounds to 0 are left out.
 */
export interface ClassifierArtifact {
  format: 'switchboard-intent-classifier/1';
  labels: Route[];
  dimensions: number;
  temperature: number;
  /** Multiply a stored int16 by this to get the weight. */
  scale: number;
  /** Hash buckets with weights, ascending (base64 of an Int32Array). */
  buckets: string;
  /** Int16 weights, `C` per bucket in `buckets` order (base64 of an Int16Array). */
  weights: string;
  /** What the model was trained on and how it scored, for the record. */
  meta: Record<string, unknown>;
}

export interface ArtifactTraining {
  /** Labelled examples the temperature is fitted on (held apart from `examples`); without them, cross-validated folds of `examples`. */
  calibration?: ReadonlyArray<LabelledUtterance>;
  meta?: Record<string, unknown>;
}

/** Trains on weighted examples and returns the model as a loadable artifact. */
export function trainClassifierArtifact(examples: ReadonlyArray<LabelledUtterance>, opts?: ClassifierOptions, training: ArtifactTraining = {}): ClassifierArtifact {
  const o = resolve(opts);
  const data = encode(examples, o.dimensions);
  const importances = examples.map((e) => e.weight ?? 1);
  const features = data.vocabulary.size;
  const model = train(data.xs, data.ys, features, o, importances);
  let temperature = 1;
  if (training.calibration && training.calibration.length > 0) {
    const zs = training.calibration.map((e) => logits(model, compact(featurize(e.text, o.dimensions), data.vocabulary, false)));
    temperature = fitTemperature(
      zs,
      training.calibration.map((e) => LABELS.indexOf(e.route)),
    );
  } else if (o.calibrationFolds >= 2) {
    temperature = fitTemperature(outOfFoldLogits(data.xs, data.ys, features, o.calibrationFolds, o), data.ys);
  }
  let max = 0;
  for (const w of model.weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 32767 : 1;
  const kept: [bucket: number, id: number][] = [];
  for (const [bucket, id] of data.vocabulary) {
    let any = false;
    for (let c = 0; c < C; c++) if (Math.round(model.weights[id * C + c] / scale) !== 0) any = true;
    if (any) kept.push([bucket, id]);
  }
  kept.sort((a, b) => a[0] - b[0]);
  const buckets = Int32Array.from(kept.map(([bucket]) => bucket));
  const quantised = new Int16Array(kept.length * C);
  kept.forEach(([, id], k) => {
    for (let c = 0; c < C; c++) quantised[k * C + c] = Math.round(model.weights[id * C + c] / scale);
  });
  return {
    format: 'switchboard-intent-classifier/1',
    labels: [...LABELS],
    dimensions: o.dimensions,
    temperature,
    scale,
    buckets: Buffer.from(buckets.buffer).toString('base64'),
    weights: Buffer.from(quantised.buffer).toString('base64'),
    meta: training.meta ?? {},
  };
}

/** A classifier from an artifact of `trainClassifierArtifact`; refuses one made for other routes or another format. */
export function loadIntentClassifier(artifact: ClassifierArtifact): IntentClassifier {
  if (artifact.format !== 'switchboard-intent-classifier/1') throw new Error(`unknown classifier format "${String(artifact.format)}"`);
  if (artifact.labels.join() !== LABELS.join()) throw new Error(`classifier labels ${artifact.labels.join()} are not the routes ${LABELS.join()}`);
  const bucketBytes = Buffer.from(artifact.buckets, 'base64');
  const weightBytes = Buffer.from(artifact.weights, 'base64');
  const buckets = new Int32Array(bucketBytes.buffer.slice(bucketBytes.byteOffset, bucketBytes.byteOffset + bucketBytes.byteLength));
  const quantised = new Int16Array(weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength));
  if (quantised.length !== buckets.length * C) throw new Error('classifier artifact is corrupt: weights do not match its buckets');
  const vocabulary: Vocabulary = new Map();
  for (const [id, bucket] of buckets.entries()) vocabulary.set(bucket, id);
  const weights = Float64Array.from(quantised, (q) => q * artifact.scale);
  const model: Model = { weights };
  const { temperature, dimensions } = artifact;
  return {
    labels: LABELS,
    temperature,
    classify: (text) => classification(softmax(logits(model, compact(featurize(text, dimensions), vocabulary, false)), temperature)),
  };
}
