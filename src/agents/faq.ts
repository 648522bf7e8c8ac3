import type { Citation } from '../db/schema.js';
import type { Agent, Checked } from './agent.js';
import type { RetrievedPassage, TurnContext } from './context.js';
import { offline } from './offline/faq-answer.js';
import { searchKnowledgeTool } from './tools/knowledge-tools.js';

const name = 'faq';
const description = "Answers general questions from the company's help-center articles (shipping, returns, billing policy, plans, security, API, troubleshooting) and cites them.";

/** Instructions for an LLM running this agent. */
function instructions(): string {
  return [
    'You answer customer questions for Switchboard Demo Co using ONLY the passages returned by the search_knowledge tool.',
    'Always call search_knowledge first. After each sentence that uses a passage, cite it by its ref number in brackets, e.g. [2]. Do not add a list of sources; it is added for you.',
    'If the passages do not answer the question, say plainly that you could not find it in the help center and offer to connect the customer with a person.',
    'Be concise and friendly. Never invent policies, prices or numbers.',
  ].join('\n');
}

// [2], [2, 5], [chunk uuid]: what a citation looks like in an answer.
const MARKER = /\[((?:\d{1,3}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\s*,\s*(?:\d{1,3}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))*)\]/gi;
// A "Sources" list the model wrote itself (the check writes the real one).
const SOURCES_LIST = /\n+\s*(?:\*\*|#+\s*)?sources?:?(?:\*\*)?\s*\n[\s\S]*$/i;
// An answer that says the help center has nothing on the question (it needs no citation).
const SAYS_NO_ANSWER =
  /\b(couldn'?t|could not|can'?t|cannot|unable to|did not|didn'?t|don'?t|do not)\b[^.]{0,40}\b(find|locate|cover|have (any )?information)|\bnot (covered|mentioned|in (our|the) help ?cent(er|re))|\bno information\b/i;

/**
 * Checks an answer's citations against the passages this turn's searches returned: every [n] (or
 * [chunk id]) must be one of them, and an answer that cites nothing must be a plain "not found".
 * A good answer is renumbered [1], [2], ... in order of use, with its sources listed.
 */
function check(ctx: TurnContext, text: string): Checked {
  const body = text.replace(SOURCES_LIST, '').trim();
  const used: RetrievedPassage[] = [];
  const unknown: string[] = [];
  const renumbered = body.replace(MARKER, (_m, ids: string) => {
    const nums = ids.split(/\s*,\s*/).map((id) => {
      const p = /^\d+$/.test(id) ? ctx.retrieved.byRef(Number(id)) : ctx.retrieved.byChunkId(id);
      if (!p) {
        unknown.push(id);
        return id;
      }
      if (!used.includes(p)) used.push(p);
      return String(used.indexOf(p) + 1);
    });
    return `[${nums.join('][')}]`;
  });
  const valid = ctx.retrieved.size ? `the passages you retrieved have refs ${Array.from({ length: ctx.retrieved.size }, (_, i) => i + 1).join(', ')}` : 'you have not retrieved any passage';
  if (unknown.length > 0) {
    return { ok: false, feedback: `Check failed: your answer cites [${unknown.join('], [')}], which search_knowledge did not return; ${valid}. Answer again, citing only those passages.` };
  }
  if (used.length === 0) {
    if (SAYS_NO_ANSWER.test(body)) return { ok: true, content: body, citations: [] };
    return {
      ok: false,
      feedback: `Check failed: your answer cites no passage. Answer only from passages search_knowledge returned and cite each one you use as [ref] (${valid}); if they do not answer the question, say you could not find it and offer a person.`,
    };
  }
  const citations: Citation[] = used.map((p) => ({ document_id: p.documentId, chunk_id: p.chunkId, title: p.title, slug: p.slug, snippet: p.content.slice(0, 240), score: p.score }));
  const sources = used.map((p, i) => `[${i + 1}] ${p.title}`).join('\n');
  return { ok: true, content: `${renumbered}\n\nSources:\n${sources}`, citations };
}

/** The FAQ agent. */
export const faq: Agent = { name, description, instructions, tools: [searchKnowledgeTool], maxSteps: 4, check, offline };
