import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const begin = (key: string) => `<!-- section:${key} -->`;
const end = (key: string) => `<!-- /section:${key} -->`;

/**
 * Replaces one marked section of a generated markdown document under a fresh `preamble`, so running one benchmark or evaluation alone keeps the others' numbers.
 * Sections are kept in the order of `order`; unknown keys go last.
 */
export function writeSection(file: string, preamble: string, key: string, body: string, order: readonly string[] = []): void {
  const sections = new Map<string, string>();
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/<!-- section:([\w-]+) -->\n([\s\S]*?)\n<!-- \/section:\1 -->/g)) sections.set(m[1]!, m[2]!);
  }
  sections.set(key, body.trim());
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const keys = [...sections.keys()].sort((a, b) => rank(a) - rank(b));
  const out = [preamble.trimEnd(), ...keys.map((k) => `${begin(k)}\n${sections.get(k)}\n${end(k)}`)].join('\n\n');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${out}\n`);
}
