import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/** Raw HTML in a message is shown as text, never parsed: only markdown's own constructs render. */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    // Every link that leaves the page opens in a new tab without handing it our window.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName !== 'A') return;
      const href = node.getAttribute('href') ?? '';
      if (href.startsWith('#')) return;
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    });
    hooked = true;
  }
  return DOMPurify;
}

/** A citation marker's link, or null to leave `[n]` as written. */
export type MarkerLink = (n: number) => { href: string; label: string; text: string } | null;

/**
 * Markdown (GFM: headings, emphasis, lists, tables, code, autolinked URLs) to sanitised HTML.
 * Citation markers `[n]` outside code become links made by `marker`.
 */
export function renderMarkdown(text: string, marker: MarkerLink = () => null): string {
  const html = (marked.parse(text, { async: false }) as string).replace(/(<code[\s\S]*?<\/code>)|\[(\d{1,2})\]/g, (all, code: string | undefined, d: string | undefined) => {
    if (code || !d) return all;
    const m = marker(Number(d));
    // Out of the tab order: each source is one tab stop, in the source list, however often it is cited.
    return m ? `<a class="marker" tabindex="-1" href="${escapeHtml(m.href)}" title="${escapeHtml(m.label)}" aria-label="${escapeHtml(m.label)}">${escapeHtml(m.text)}</a>` : all;
  });
  return purifier().sanitize(html.trim(), { ADD_ATTR: ['target'], FORBID_TAGS: ['style', 'form', 'input', 'img', 'iframe'] });
}

/** What `marked`'s lexer gives: the fields a snippet reads. */
interface Token {
  type: string;
  raw?: string;
  text?: string;
  tokens?: Token[];
  items?: Token[];
  header?: Token[];
  rows?: Token[][];
}

/** Inline markdown as its words: emphasis, code spans and links keep their text, the syntax goes. */
function inlineText(tokens: Token[] | undefined, fallback = ''): string {
  if (!tokens) return fallback;
  return tokens.map((t) => (t.type === 'br' ? ' ' : t.tokens ? inlineText(t.tokens, t.text) : (t.text ?? t.raw ?? ''))).join('');
}

/** Block markdown as lines of text: a heading or paragraph a line, a table row its cells joined by " · ", list items with "•". */
function blockLines(tokens: Token[]): string[] {
  const lines: string[] = [];
  for (const t of tokens) {
    if (t.type === 'space' || t.type === 'hr') continue;
    if (t.type === 'table') {
      for (const row of [t.header ?? [], ...(t.rows ?? [])]) lines.push(row.map((cell) => inlineText(cell.tokens, cell.text).trim()).join(' · '));
    } else if (t.type === 'list') {
      for (const item of t.items ?? []) lines.push(`• ${blockLines(item.tokens ?? []).join(' ')}`);
    } else if (t.type === 'blockquote') {
      lines.push(...blockLines(t.tokens ?? []));
    } else if (t.type === 'code' || t.type === 'html') {
      lines.push((t.text ?? t.raw ?? '').trim());
    } else {
      lines.push(inlineText(t.tokens, t.text ?? t.raw ?? '').trim());
    }
  }
  return lines.filter(Boolean);
}

/**
 * A source's quoted passage (markdown, cut at a fixed length by the server) as plain readable text:
 * no `##`, `**`, table pipes or code fences; one line per heading, paragraph, table row or list item
 * (shown with `white-space: pre-line`). React renders it as text, so nothing in it is parsed as HTML.
 */
export function snippetText(markdown: string): string {
  return blockLines(marked.lexer(markdown) as Token[]).join('\n');
}
