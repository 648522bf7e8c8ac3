import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { AppError } from '../errors.js';

/** An article taken out of a file or a web page, as markdown the chunker splits along its headings. */
export interface ExtractedArticle {
  title: string;
  markdown: string;
  format: 'markdown' | 'html' | 'text' | 'pdf';
}

/** File types an administrator can import, by extension. */
export const IMPORT_EXTENSIONS = ['.md', '.markdown', '.html', '.htm', '.txt', '.pdf'] as const;

const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
turndown.remove(['script', 'style', 'noscript', 'iframe', 'form']);

const tidy = (markdown: string) =>
  markdown
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** A readable title from a file name: "return-policy_v2.md" → "Return policy v2". */
export function titleFromFilename(filename: string): string {
  const base = filename
    .replace(/^.*[\\/]/, '')
    .replace(/\.[a-z0-9]+$/i, '')
    .replace(/[-_.]+/g, ' ')
    .trim();
  return base ? base.charAt(0).toUpperCase() + base.slice(1) : 'Imported document';
}

/** A leading `# Title` becomes the document's title (the chunker names passages after it already). */
function splitTitle(markdown: string): { title: string | null; body: string } {
  const m = /^\s*#\s+(.+?)\s*#*\s*\n/.exec(`${markdown}\n`);
  return m ? { title: m[1]!.trim(), body: markdown.slice(m[0].length) } : { title: null, body: markdown };
}

/**
 * The readable part of an HTML page (Mozilla Readability, the Firefox reader view's extractor, on a
 * linkedom DOM) as markdown: navigation, scripts and page furniture left out. A page too short for
 * Readability to judge keeps its whole body.
 */
export function extractHtml(html: string): { title: string | null; markdown: string } {
  const { document } = parseHTML(html);
  const pageTitle = document.querySelector('title')?.textContent?.trim() || null;
  const h1 = document.querySelector('h1')?.textContent?.trim() || null;
  // Readability changes the document it reads: give it its own copy, keep the original for the fallback.
  const article = new Readability(parseHTML(html).document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 200 }).parse();
  const body = article?.content ?? document.querySelector('main')?.innerHTML ?? document.body?.innerHTML ?? html;
  const markdown = tidy(turndown.turndown(body));
  const split = splitTitle(markdown);
  const readable = article?.title?.trim() || null;
  // "Warranty · Acme help" is the page's title; its heading "Warranty" is the article's.
  const title = (h1 && readable?.includes(h1) ? h1 : readable) || h1 || pageTitle || split.title || null;
  // A heading that only repeats the title is dropped.
  return { title, markdown: split.title && split.title === title ? tidy(split.body) : markdown };
}

/** PDF text lines as paragraphs: a page is at least one, long runs break after a sentence. */
function pdfParagraphs(pages: string[]): string {
  const out: string[] = [];
  for (const page of pages) {
    let current = '';
    for (const raw of page.split('\n')) {
      const line = raw.replace(/\s+/g, ' ').trim();
      if (!line) {
        if (current) out.push(current);
        current = '';
        continue;
      }
      current = current ? `${current} ${line}` : line;
      if (current.length >= 400 && /[.!?:]$/.test(line)) {
        out.push(current);
        current = '';
      }
    }
    if (current) out.push(current);
  }
  return out.join('\n\n');
}

async function extractPdf(bytes: Uint8Array): Promise<{ title: string | null; markdown: string }> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch (err) {
    throw new AppError('import_unreadable', 400, `The PDF could not be read: ${(err as Error).message}`);
  }
  try {
    const [{ text }, meta] = await Promise.all([extractText(pdf, { mergePages: false }), getMeta(pdf).catch(() => null)]);
    const info = (meta?.info ?? {}) as { Title?: unknown };
    return { title: typeof info.Title === 'string' && info.Title.trim() ? info.Title.trim() : null, markdown: pdfParagraphs(text) };
  } finally {
    await pdf.destroy();
  }
}

/** Text of a file an administrator imports (.md, .html, .txt or .pdf) as a knowledge article. */
export async function extractFile(filename: string, bytes: Uint8Array): Promise<ExtractedArticle> {
  const ext = (/\.[a-z0-9]+$/i.exec(filename)?.[0] ?? '').toLowerCase();
  const fallbackTitle = titleFromFilename(filename);
  const text = () => new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  let out: { title: string | null; markdown: string; format: ExtractedArticle['format'] };
  if (ext === '.pdf') out = { ...(await extractPdf(bytes)), format: 'pdf' };
  else if (ext === '.html' || ext === '.htm') out = { ...extractHtml(text()), format: 'html' };
  else if (ext === '.md' || ext === '.markdown') {
    const split = splitTitle(tidy(text()));
    out = { title: split.title, markdown: tidy(split.body), format: 'markdown' };
  } else if (ext === '.txt') out = { title: null, markdown: tidy(text()), format: 'text' };
  else throw new AppError('import_unsupported_type', 415, `Files of type "${ext || filename}" cannot be imported; use ${IMPORT_EXTENSIONS.join(', ')}`);
  if (out.markdown.length < 10) throw new AppError('import_empty', 422, `No text was found in ${filename}`);
  return { title: out.title ?? fallbackTitle, markdown: out.markdown, format: out.format };
}
