/**
 * Routing on the public data sets beside the own set: each set scored in-process (the offline
 * router on every message: accuracy, balanced accuracy, macro-F1, the majority baseline, ECE and a
 * reliability table) and, on a subsample, through the public chat API (routed right without asking,
 * clarifying questions, tickets, false tickets). Targets of issue 12 are judged here.
 */
import type { FastifyInstance } from 'fastify';
import { markdownTable, plainTable } from '../bench/lib/report.js';
import type { Db } from '../src/db/client.js';
import { ROUTES } from '../src/llm/offline/routes.js';
import { askThroughChat, chatRates, type ChatOutcome, type ChatRates } from './chat-outcomes.js';
import type { RoutingItem } from './lib/data.js';
import { stratifiedSubsample, type LabelledUtterance } from './public/load.js';
import { evaluateRouting, type RouteFn, type RoutingReport } from './routing.js';

/** One set's scores: in-process on all its messages, through the chat API on a subsample. */
export interface SetScore {
  set: string;
  /** True for the project's own routing set (eval/data/routing.jsonl). */
  own: boolean;
  inProcess: RoutingReport;
  chat?: ChatRates;
  chatOutcomes?: ChatOutcome[];
}

/** The issue's targets on the public sets. */
export const TARGETS = { accuracy: 0.85, ece: 0.08, falseTicketRate: 0.02 } as const;

/** A public message as a routing item: its set's label is its tag, so errors can be read per label. */
export function asRoutingItem(u: LabelledUtterance): RoutingItem {
  return { text: u.text, route: u.route, tags: [u.label], batch: 'fresh' };
}

/** Scores the router in-process on every message of each set. */
export async function scoreInProcess(sets: readonly { set: string; own: boolean; items: readonly RoutingItem[] }[], route: RouteFn): Promise<SetScore[]> {
  const out: SetScore[] = [];
  for (const s of sets) out.push({ set: s.set, own: s.own, inProcess: await evaluateRouting(s.set, s.items, route) });
  return out;
}

/** Sends a stratified subsample of each set through the chat API and adds the rates to its score. */
export async function scoreThroughChat(app: FastifyInstance, db: Db, scores: SetScore[], items: ReadonlyMap<string, readonly RoutingItem[]>, perSet: number): Promise<void> {
  for (const s of scores) {
    const sample = stratifiedSubsample(items.get(s.set) ?? [], perSet);
    const outcomes = await askThroughChat(app, db, sample);
    s.chatOutcomes = outcomes;
    s.chat = chatRates(outcomes);
  }
}

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)}%`);
const num = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
const label = (s: SetScore) => (s.own ? `${s.set} (own)` : s.set);

const HEADER = [
  'set',
  'n',
  'accuracy',
  'balanced acc.',
  'macro-F1',
  'majority baseline',
  'ECE',
  'clarify',
  'chat n',
  'chat: routed right',
  'chat: clarify',
  'chat: tickets',
  'chat: tickets not asked for',
  'chat: false tickets',
];

function rows(scores: readonly SetScore[]): string[][] {
  return scores.map((s) => {
    const r = s.inProcess;
    const c = s.chat;
    return [
      label(s),
      String(r.n),
      pct(r.accuracy),
      pct(r.balancedAccuracy),
      num(r.macroF1),
      `${pct(r.majority.accuracy)} (${r.majority.route})`,
      num(r.calibration.ece),
      pct(r.clarifyRate),
      c ? String(c.n) : '–',
      c ? pct(c.directlyRight) : '–',
      c ? pct(c.clarifyRate) : '–',
      c ? pct(c.ticketRate) : '–',
      c ? pct(c.ticketsWithoutAsking) : '–',
      c ? pct(c.falseTicketRate) : '–',
    ];
  });
}

/** The targets, per public set, and whether each is met (all public sets must meet it). */
export function targetRows(scores: readonly SetScore[]): string[][] {
  const pub = scores.filter((s) => !s.own && s.set !== 'all public');
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  const accOf = (s: SetScore) => s.inProcess.accuracy;
  const eceOf = (s: SetScore) => s.inProcess.calibration.ece;
  const ftOf = (s: SetScore) => s.chat?.falseTicketRate ?? Number.NaN;
  const withChat = pub.filter((s) => s.chat);
  return [
    [
      'offline routing accuracy, every public set',
      pub.map((s) => `${s.set} ${pct(accOf(s))}`).join(', '),
      `≥ ${pct(TARGETS.accuracy)}`,
      met(pub.length > 0 && pub.every((s) => accOf(s) >= TARGETS.accuracy)),
    ],
    [
      'offline routing balanced accuracy (every route weighted alike), every public set',
      pub.map((s) => `${s.set} ${pct(s.inProcess.balancedAccuracy)}`).join(', '),
      '– (shown because out_of_scope dominates)',
      '',
    ],
    ['ECE (10 bins), every public set', pub.map((s) => `${s.set} ${num(eceOf(s))}`).join(', '), `≤ ${TARGETS.ece}`, met(pub.length > 0 && pub.every((s) => eceOf(s) <= TARGETS.ece))],
    [
      'false-ticket rate through POST /api/v1/chat, every public set',
      withChat.map((s) => `${s.set} ${pct(ftOf(s))}`).join(', ') || 'not measured',
      `≤ ${pct(TARGETS.falseTicketRate)}`,
      met(withChat.length > 0 && withChat.length === pub.length && withChat.every((s) => ftOf(s) <= TARGETS.falseTicketRate)),
    ],
  ];
}

function reliabilityRows(scores: readonly SetScore[]): string[][] {
  const bins = scores[0]?.inProcess.calibration.bins ?? [];
  return bins.map((b, i) => [
    `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`,
    ...scores.map((s) => {
      const x = s.inProcess.calibration.bins[i]!;
      return x.n === 0 ? '–' : `${pct(x.accuracy)} right at ${x.confidence.toFixed(2)} (n ${x.n})`;
    }),
  ]);
}

/** The labels of a public set with the lowest accuracy (at least `minN` messages each). */
function worstLabels(s: SetScore, k = 8, minN = 5): string {
  const worst = s.inProcess.byTag
    .filter((t) => t.n >= minN)
    .sort((a, b) => a.accuracy - b.accuracy || b.n - a.n)
    .slice(0, k);
  return worst.map((t) => `\`${t.tag}\` ${pct(t.accuracy)} (n ${t.n})`).join(', ');
}

/** The public-set report as terminal tables. */
export function publicText(scores: readonly SetScore[]): string {
  return [
    plainTable('routing on public data sets beside the own set (in-process on every message; chat: a subsample through POST /api/v1/chat)', HEADER, rows(scores)),
    plainTable('targets (issue 12)', ['figure', 'this run', 'target', 'met'], targetRows(scores)),
    plainTable('reliability (share right per confidence bin)', ['confidence', ...scores.map(label)], reliabilityRows(scores)),
  ].join('\n\n');
}

/** Per-route confusion of the pooled public sets, for the markdown. */
function pooledMatrix(s: SetScore): string {
  return markdownTable(
    ['labelled \\ predicted', ...ROUTES, 'n'],
    ROUTES.map((g, gi) => [g, ...s.inProcess.matrix[gi]!.map(String), String(s.inProcess.perClass[gi]!.support)]),
  );
}

/** The public-set report as markdown for docs/evaluation.md. */
export function publicMarkdown(scores: readonly SetScore[], context: { machine: string; chatPerSet: number; missing: string[]; droppedAsOwn: number }, maxErrors = 15): string {
  const pooled = scores.find((s) => s.set === 'all public');
  const pub = scores.filter((s) => !s.own && s.set !== 'all public');
  const parts = [
    '## Public data sets',
    `Messages written by others for other companies (CLINC150 validation, Banking77 test, Schema-Guided Dialogue test${pub.some((s) => s.set === 'abcd') ? ', ABCD test' : ''}), mapped to our routes by the written rules of \`eval/public/mapping.ts\`; the router never trained on them (\`eval/public/load.test.ts\` checks). The own set (\`eval/data/routing.jsonl\`) is scored the same way beside them. In-process: the offline router on every message. Chat: a stratified subsample of ${context.chatPerSet} messages per set, each sent through \`POST /api/v1/chat\` as a new anonymous conversation of the demo app (PGlite); tickets are counted in the database. A **false ticket** is a ticket opened for a message that neither asks for a person in so many words nor carries an \`escalation\` label (disputes, fraud, security incidents). ${context.machine}.`,
    context.missing.length ? `Skipped (data missing): ${context.missing.join('; ')}.` : '',
    context.droppedAsOwn ? `${context.droppedAsOwn} public evaluation messages are left out because the project's own training utterances contain them.` : '',
    markdownTable(HEADER, rows(scores)),
    `The public sets are mostly \`out_of_scope\` (see the majority baseline): plain accuracy rewards a router that calls everything out of scope, so balanced accuracy (mean recall over the routes present) is beside it.`,
    `Targets of issue 12:\n\n${markdownTable(['figure', 'this run', 'target', 'met'], targetRows(scores))}`,
    `Reliability (in-process; share of routes right per confidence bin):\n\n${markdownTable(['confidence', ...scores.map(label)], reliabilityRows(scores))}`,
    pooled ? `All public sets pooled, confusion matrix (rows: labelled route; columns: the router's route):\n\n${pooledMatrix(pooled)}` : '',
    `Labels with the lowest accuracy (in-process):\n\n${markdownTable(
      ['set', 'labels'],
      pub.map((s) => [s.set, worstLabels(s)]),
    )}`,
  ];
  for (const s of pub) {
    const errors = s.inProcess.errors.filter((e) => e.confidence >= 0.8).slice(0, maxErrors);
    if (errors.length === 0) continue;
    parts.push(
      `<details><summary>${s.set}: ${s.inProcess.errors.filter((e) => e.confidence >= 0.8).length} misrouted with confidence ≥ 0.8 (first ${errors.length})</summary>\n\n${markdownTable(
        ['message', 'labelled', 'predicted', 'confidence'],
        errors.map((e) => [e.text.length > 120 ? `${e.text.slice(0, 117)}...` : e.text, e.gold, e.predicted, e.confidence.toFixed(2)]),
      )}\n\n</details>`,
    );
    const falseTickets = (s.chatOutcomes ?? []).filter((o) => o.tickets > 0 && !o.asksForPerson && o.gold !== 'escalation');
    if (falseTickets.length > 0)
      parts.push(
        `<details><summary>${s.set}: ${falseTickets.length} false tickets through the chat API</summary>\n\n${markdownTable(
          ['message', 'labelled', 'reply route'],
          falseTickets.slice(0, maxErrors).map((o) => [o.text.length > 120 ? `${o.text.slice(0, 117)}...` : o.text, o.gold, o.route ?? '–']),
        )}\n\n</details>`,
      );
  }
  return parts.filter(Boolean).join('\n\n');
}
