/**
 * The public data sets, read from their repositories' snapshots and mapped to our routes by the
 * rules of ./mapping.ts. Each set has fixed splits: what the router may train on, and what only the
 * evaluation reads. CLINC150's `test` and `oos_test` splits are never read (they are kept for an
 * independent evaluation), nor is any Bitext data.
 */
import type { Route } from '../../src/llm/offline/routes.js';
import { abcdOpening, abcdRoute, banking77Route, clincTextRule, SGD_ROUTE } from './mapping.js';
import { listSnapshotFiles, readSnapshotText } from './snapshots.js';

/** One mapped message of a public set. */
export interface LabelledUtterance {
  text: string;
  route: Route;
  /** `<set>/<split>`, e.g. `clinc150/train`, `banking77/test`. */
  source: string;
  /** The set's own label (intent, category, flow/subflow, service). */
  label: string;
}

/** The public sets, by name. */
export const PUBLIC_SETS = ['clinc150', 'banking77', 'abcd', 'sgd'] as const;
export type PublicSetName = (typeof PUBLIC_SETS)[number];

/** A set's repository, licence and splits. */
export interface PublicSet {
  name: PublicSetName;
  repo: string;
  licence: string;
  /** The splits the router may train on (none: the set is for evaluation only). */
  train: () => LabelledUtterance[];
  /** The splits only the evaluation reads. */
  evaluation: () => LabelledUtterance[];
}

const CLINC = 'clinc/oos-eval';
const BANKING = 'PolyAI-LDN/task-specific-datasets';
const ABCD = 'asappresearch/abcd';
const SGD = 'google-research-datasets/dstc8-schema-guided-dialogue';

const cache = new Map<string, unknown>();
function once<T>(key: string, load: () => T): T {
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as T;
}

type ClincSplit = 'train' | 'oos_train' | 'val' | 'oos_val';

function clinc(splits: readonly ClincSplit[]): LabelledUtterance[] {
  const data = once('clinc', () => JSON.parse(readSnapshotText(CLINC, 'data/data_full.json')) as Record<string, [string, string][]>);
  const domains = once('clinc-domains', () => JSON.parse(readSnapshotText(CLINC, 'data/domains.json')) as Record<string, string[]>);
  const domainOf = new Map(Object.entries(domains).flatMap(([d, intents]) => intents.map((i) => [i, d] as const)));
  const out: LabelledUtterance[] = [];
  for (const split of splits) {
    for (const [text, intent] of data[split] ?? []) {
      const route = clincTextRule(text, intent, domainOf.get(intent));
      if (route) out.push({ text, route, source: `clinc150/${split}`, label: intent });
    }
  }
  return out;
}

/** Parses Banking77's two-column CSV (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks). */
export function parseBankingCsv(csv: string): { text: string; category: string }[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      record.push(field);
      field = '';
      if (record.some((f) => f !== '')) records.push(record);
      record = [];
    } else field += c;
  }
  record.push(field);
  if (record.some((f) => f !== '')) records.push(record);
  const [header, ...rows] = records;
  if (header?.join(',') !== 'text,category') throw new Error(`Banking77: unexpected header ${JSON.stringify(header)}`);
  return rows.map((r) => {
    if (r.length !== 2) throw new Error(`Banking77: a row has ${r.length} fields: ${JSON.stringify(r)}`);
    return { text: r[0]!.trim(), category: r[1]!.trim() };
  });
}

function banking(split: 'train' | 'test'): LabelledUtterance[] {
  const rows = parseBankingCsv(readSnapshotText(BANKING, `banking_data/${split}.csv`));
  return rows.flatMap(({ text, category }) => {
    const route = banking77Route(category);
    return route ? [{ text, route, source: `banking77/${split}`, label: category }] : [];
  });
}

/** One ABCD dialogue as stored in abcd_v1.1.json(.gz) and abcd_sample.json. */
export interface AbcdDialogue {
  scenario: { flow: string; subflow: string };
  original: [string, string][];
}

/** An ABCD dialogue's opening request with its mapped route (null when it has none). */
export function abcdUtterance(dialogue: AbcdDialogue, source: string): LabelledUtterance | null {
  const text = abcdOpening(dialogue.original);
  if (!text) return null;
  const { flow, subflow } = dialogue.scenario;
  return { text, route: abcdRoute(flow, subflow), source, label: `${flow}/${subflow}` };
}

function abcd(split: 'train' | 'test'): LabelledUtterance[] {
  const data = once('abcd', () => JSON.parse(readSnapshotText(ABCD, 'data/abcd_v1.1.json.gz')) as Record<string, AbcdDialogue[]>);
  return (data[split] ?? []).flatMap((d) => abcdUtterance(d, `abcd/${split}`) ?? []);
}

interface SgdDialogue {
  services: string[];
  turns: { speaker: string; utterance: string; frames: { service: string; state?: { active_intent: string } }[] }[];
}

/** SGD's test dialogues: each one's first user turn when it already names a task. Files absent from the snapshot are skipped. */
function sgd(): LabelledUtterance[] {
  const out: LabelledUtterance[] = [];
  const files = listSnapshotFiles(SGD, 'test').filter((f) => /dialogues_\d+\.json$/.test(f));
  let read = 0;
  for (const file of files) {
    let dialogues: SgdDialogue[];
    try {
      dialogues = JSON.parse(readSnapshotText(SGD, file)) as SgdDialogue[];
    } catch {
      continue;
    }
    read++;
    for (const d of dialogues) {
      const first = d.turns[0];
      if (first?.speaker !== 'USER') continue;
      const frame = first.frames.find((f) => f.state && f.state.active_intent !== 'NONE');
      if (!frame) continue;
      out.push({ text: first.utterance, route: SGD_ROUTE, source: 'sgd/test', label: `${frame.service}/${frame.state!.active_intent}` });
    }
  }
  if (read === 0) throw new Error(`${SGD}: none of the test dialogue files is in the snapshot; fetch github:${SGD}`);
  return out;
}

/** The sets with their repositories, licences and splits. */
export const SETS: readonly PublicSet[] = [
  { name: 'clinc150', repo: CLINC, licence: 'CC BY 3.0', train: () => clinc(['train', 'oos_train']), evaluation: () => clinc(['val', 'oos_val']) },
  { name: 'banking77', repo: BANKING, licence: 'CC BY 4.0', train: () => banking('train'), evaluation: () => banking('test') },
  { name: 'abcd', repo: ABCD, licence: 'MIT', train: () => abcd('train'), evaluation: () => abcd('test') },
  { name: 'sgd', repo: SGD, licence: 'CC BY-SA 4.0', train: () => [], evaluation: () => sgd() },
];
