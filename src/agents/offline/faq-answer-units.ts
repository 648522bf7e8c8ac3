/**
 * How the offline FAQ answer cuts a knowledge passage into answer-sized units: sentences, table
 * rows read as sentences, and list items (steps and bullets).
 */

/** Reads a markdown table row as a sentence: "Canada: Standard 7–14 business days; Express 3–5 business days." */
function tableRowSentence(header: string[], row: string[]): string {
  const [first, ...rest] = row;
  const cells = rest.map((c, i) => (header[i + 1] ? `${header[i + 1]} ${c}` : c));
  return `${first}: ${cells.join('; ')}.`.replace(/\.\.$/, '.');
}

function cellsOf(line: string): string[] {
  return line
    .replace(/^\s*\||\|\s*$/g, '')
    .split('|')
    .map((c) => c.trim());
}

/** One answer-sized piece of a passage: a sentence, a table row read as a sentence, or a list item. */
export interface Unit {
  text: string;
  kind: 'sentence' | 'row' | 'step' | 'bullet';
  /** Consecutive list items (and table rows) share a group. */
  group: number;
}

const keep = (s: string) => s.length > 20 && s.length < 400;

/** Splits a passage into units; tables become one sentence per row, numbered lists stay steps. */
export function unitsOf(text: string): Unit[] {
  const out: Unit[] = [];
  let header: string[] | null = null;
  let group = 0;
  let inList: Unit['kind'] | null = null;
  for (const block of text.split(/\n/)) {
    const line = block.trim();
    if (line.startsWith('|')) {
      if (/^\|[\s|:-]+\|?$/.test(line)) continue; // the header separator
      const cells = cellsOf(line);
      if (!header) {
        header = cells;
        group++;
      } else out.push({ text: tableRowSentence(header, cells), kind: 'row', group });
      continue;
    }
    header = null;
    const kind: Unit['kind'] = /^\d+\.\s+/.test(line) ? 'step' : /^[-*]\s+/.test(line) ? 'bullet' : 'sentence';
    if (kind !== inList) group++;
    inList = kind === 'sentence' ? null : kind;
    const plain = line.replace(/^[-*]\s+|^\d+\.\s+/, '').replace(/\*\*/g, '');
    // Split after sentence ends, but not after abbreviations such as "2 p.m." or "e.g.".
    const parts = plain.split(/(?<!\b(?:[ap]\.m|e\.g|i\.e|etc|vs|approx|incl|U\.S)\.)(?<=[.!?])\s+(?=[A-Z"(])/);
    for (const part of parts) {
      const t = part.trim();
      if (keep(t)) out.push({ text: t, kind, group });
    }
  }
  return withListIntros(out.filter((u) => keep(u.text)));
}

/**
 * A sentence that introduces a list ("Tracking numbers look like this:") says nothing alone: it is
 * read together with the list's items, as far as a sentence can hold them.
 */
function withListIntros(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const next = units[i + 1];
    if (!u.text.endsWith(':') || !next || next.kind === 'sentence') {
      out.push(u);
      continue;
    }
    let text = `${u.text} ${next.text.replace(/[.;]$/, '')}`;
    for (let j = i + 2; j < units.length && units[j]!.group === next.group; j++) {
      const more = `${text}; ${units[j]!.text.replace(/[.;]$/, '')}`;
      if (more.length > 300) break;
      text = more;
    }
    out.push({ text: `${text}.`, kind: 'sentence', group: u.group });
  }
  return out;
}

/** Splits a passage into answer-sized sentences; tables become one sentence per row. */
export function sentencesOf(text: string): string[] {
  return unitsOf(text).map((u) => u.text);
}
