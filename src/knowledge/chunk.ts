/** A passage of a knowledge article, the unit of retrieval. */
export interface Chunk {
  heading: string;
  content: string;
}

const TARGET_CHARS = 700;

/**
 * Splits a markdown article into passages along its `##` sections; long sections are cut at
 * paragraph boundaries near TARGET_CHARS so each passage stays about one topic.
 */
export function chunkArticle(title: string, markdown: string): Chunk[] {
  const sections: { heading: string; body: string[] }[] = [{ heading: title, body: [] }];
  for (const line of markdown.split(/\r?\n/)) {
    const m = /^#{1,3}\s+(.*)$/.exec(line);
    if (m) sections.push({ heading: `${title} — ${m[1]!.trim()}`, body: [] });
    else sections[sections.length - 1]!.body.push(line);
  }
  const chunks: Chunk[] = [];
  for (const s of sections) {
    const paragraphs = s.body
      .join('\n')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    let current = '';
    for (const p of paragraphs) {
      if (current && current.length + p.length + 2 > TARGET_CHARS) {
        chunks.push({ heading: s.heading, content: current });
        current = '';
      }
      current = current ? `${current}\n\n${p}` : p;
    }
    if (current) chunks.push({ heading: s.heading, content: current });
  }
  return chunks;
}
