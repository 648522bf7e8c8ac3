/**
 * Figures and the tables they are printed in: every figure is shown next to a baseline measured
 * in the same run, as a ratio, with its target (if any) and whether the run met it.
 */

/** A target a figure should meet: on its value, its ratio to the baseline, or its speed-up over it. */
export interface Target {
  on: 'value' | 'ratio' | 'speedup';
  op: '>=' | '<=';
  value: number;
}

/** One measured number. */
export interface Figure {
  /** What was measured, e.g. "recall@10, HNSW at ef_search 40". */
  name: string;
  value: number;
  /** Unit printed after the value ('ms', 'MB', '' …). */
  unit: string;
  /** The same quantity measured in the same run on the baseline (exact search, a bare route …). */
  baseline?: { name: string; value: number };
  target?: Target;
  /** Why a target was missed, or anything a reader must know about this figure. */
  note?: string;
}

/** A titled table of figures. */
export interface FigureTable {
  caption: string;
  figures: Figure[];
}

/** value / baseline; NaN without a baseline or with a zero baseline. */
export function ratioOf(f: Figure): number {
  if (!f.baseline || f.baseline.value === 0) return Number.NaN;
  return f.value / f.baseline.value;
}

/** The quantity a target is about. */
function measured(f: Figure, on: Target['on']): number {
  if (on === 'value') return f.value;
  const r = ratioOf(f);
  return on === 'ratio' ? r : 1 / r;
}

/** True when the figure meets its target, false when it misses, null when it has none. */
export function meetsTarget(f: Figure): boolean | null {
  if (!f.target) return null;
  const v = measured(f, f.target.on);
  if (Number.isNaN(v)) return false;
  return f.target.op === '>=' ? v >= f.target.value : v <= f.target.value;
}

/** A number with sensible precision for a report: 3 significant digits, thousands separated. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(1);
  if (abs >= 1) return v.toFixed(2);
  if (abs === 0) return '0';
  return v.toPrecision(3);
}

function withUnit(v: number, unit: string): string {
  return unit ? `${formatNumber(v)} ${unit}` : formatNumber(v);
}

/** "0.0171× (58.4× faster)" style ratio text; speed-up spelled out when the figure is a cost below its baseline. */
export function formatRatio(f: Figure): string {
  const r = ratioOf(f);
  if (Number.isNaN(r)) return '–';
  const base = `${formatNumber(r)}×`;
  if (f.target?.on === 'speedup' || (r > 0 && r < 0.5 && f.unit === 'ms')) return `${base} (${formatNumber(1 / r)}× faster)`;
  return base;
}

function formatTarget(t: Target | undefined, unit: string): string {
  if (!t) return '';
  const op = t.op === '>=' ? '≥' : '≤';
  if (t.on === 'value') return `${op} ${withUnit(t.value, unit)}`;
  if (t.on === 'ratio') return `ratio ${op} ${formatNumber(t.value)}`;
  return `speed-up ${op} ${formatNumber(t.value)}×`;
}

function row(f: Figure): string[] {
  const met = meetsTarget(f);
  return [
    f.name,
    withUnit(f.value, f.unit),
    f.baseline ? `${withUnit(f.baseline.value, f.unit)} (${f.baseline.name})` : '',
    formatRatio(f),
    formatTarget(f.target, f.unit),
    met === null ? '' : met ? 'yes' : 'NO',
  ];
}

const HEADER = ['figure', 'value', 'baseline (same run)', 'ratio', 'target', 'met'];

/** The table as aligned plain text for the terminal. */
export function textTable(t: FigureTable): string {
  return plainTable(t.caption, HEADER, t.figures.map(row));
}

/** Any rows as an aligned plain-text table under a caption. */
export function plainTable(caption: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [caption, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Any rows as a markdown table. */
export function markdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

/** The table as markdown, caption in bold above it. */
export function figureMarkdown(t: FigureTable): string {
  return `**${t.caption}**\n\n${markdownTable(HEADER, t.figures.map(row))}`;
}

/** Every figure that misses its target, with its note as the reason. */
export function missedTargets(tables: readonly FigureTable[]): string[] {
  return tables.flatMap((t) =>
    t.figures.filter((f) => meetsTarget(f) === false).map((f) => `${f.name}: ${withUnit(f.value, f.unit)}, target ${formatTarget(f.target, f.unit)}${f.note ? ` — ${f.note}` : ''}`),
  );
}
