/**
 * The FAQ agent's offline behaviour (no LLM): search the help center for the question, then answer
 * extractively — the sentence, table row or steps that fit the question lead, each cited. The
 * agent's definition (name, instructions, tools, citation check) is in ../faq.ts.
 */
import { expansionsOf } from '../../knowledge/query-expansion.js';
import { cosine } from '../../llm/embeddings.js';
import type { OfflineBehaviour, OfflineRequest } from '../../llm/offline/offline-model.js';
import { contentWords } from '../../llm/offline/text.js';
import type { OfflineServices } from '../context.js';
import { type PassageView, searchKnowledgeTool } from '../tools/knowledge-tools.js';
import type { Unit } from './faq-answer-units.js';
import { cachedUnits, cachedWords, knowledgeVectors, passageText } from './knowledge-cache.js';
import { aboutOtherPlace, fitsShape, isInstruction, META, namesEntity, questionShape, shapeBonus } from './answer-shape.js';

export { sentencesOf } from './faq-answer-units.js';

// Below this cosine similarity (and with no full-text match) a passage is not about the question.
const MIN_SIMILARITY = 0.2;
const MAX_SENTENCES = 3;

/** Answer when the knowledge base has nothing on the question. */
export const NO_ANSWER = "I couldn't find an answer to that in our help center. Would you like me to connect you with someone from our support team?";

function coverage(query: Set<string>, text: Set<string>): number {
  if (query.size === 0) return 0;
  let n = 0;
  for (const w of query) if (text.has(w)) n++;
  return n / query.size;
}

/** The passages this turn's searches returned, in the order the model saw them (each once). */
function passagesOf(req: OfflineRequest): PassageView[] {
  const seen = new Map<number, PassageView>();
  for (const r of req.toolResults) {
    if (r.toolName !== searchKnowledgeTool.name || r.isError) continue;
    for (const p of (r.output as { passages?: PassageView[] }).passages ?? []) if (!seen.has(p.ref)) seen.set(p.ref, p);
  }
  return [...seen.values()];
}

const MAX_STEPS = 6;
/** A numbered list answers a how-to question only when its best step scores this share of the lead (a list for another task does not). */
const STEP_SCORE = 0.5;

interface Candidate {
  unit: Unit;
  score: number;
  /** Coverage of the question's own words (no thesaurus terms) by the sentence and its passage heading. */
  cov: number;
  passage: number;
  order: number;
  /** The heading of the passage the unit is in. */
  heading: string;
  /** The unit's content words. */
  words: Set<string>;
  /** Share of the question's word weight (rarer words weigh more; thesaurus terms included) the unit holds. */
  focus: number;
}

/**
 * The extractive answer: rerank the passages by how much of the question (and the terms the
 * thesaurus adds) they cover; score the sentences of the best few by closeness to the question and
 * by the answer's shape (a duration for "how long", a price for "how much", hours for "when are you
 * open", the row or sentence naming the question's place or plan, steps for "how do I"). The answer
 * leads with the best sentence; steps come as the numbered list they are in. When no sentence
 * answers, it says so and offers a person.
 */
export async function extractiveAnswer(services: OfflineServices, question: string, passages: PassageView[]): Promise<string> {
  if (passages.length === 0) return NO_ANSWER;
  const expansions = expansionsOf(question).map((e) => ({ matched: contentWords(e.matched), add: contentWords(e.add.join(' ')) }));
  const qWords = contentWords(`${question} ${expansions.flatMap((e) => [...e.add]).join(' ')}`);
  const ownWords = contentWords(question);
  // Coverage of the question's own words, where a word the thesaurus matched counts when a term it stands for is there ("box" by "packaging").
  const ownCoverage = (text: Set<string>): number =>
    ownWords.size === 0 ? 0 : [...ownWords].filter((w) => text.has(w) || expansions.some((e) => e.matched.has(w) && [...e.add].some((a) => text.has(a)))).length / ownWords.size;
  const texts = passages.map(passageText);
  const shape = questionShape(question);
  // Knowledge text is embedded once (at start, or on first use after an edit): only the question here.
  const [[qVec], pVecs] = await Promise.all([services.embedder.embed([question]), knowledgeVectors(services.embedder, texts)]);
  const ranked = passages
    .map((p, i) => {
      const sim = cosine(qVec!, pVecs[i]!);
      const cov = coverage(qWords, cachedWords(texts[i]!));
      const heading = cachedWords(p.heading);
      const headCov = coverage(qWords, heading);
      // An article about abroad is not the answer to a question naming no place.
      const elsewhere = aboutOtherPlace(shape, p.heading) ? 0.2 : 0;
      // A heading holding a good part of the question ("Damaged in transit" for "How soon must I
      // tell you about transit damage?") says the passage is about it, however its wording differs.
      const held = (words: Set<string>) => [...words].filter((w) => heading.has(w)).length;
      const ownHeld = held(ownWords);
      const titled = (ownHeld >= 2 && ownHeld >= ownWords.size / 3) || (held(qWords) >= 3 && headCov >= 0.4);
      // Fused rank order is a prior; coverage of the question decides between close candidates.
      return { p, i, sim, cov, titled, score: sim + 0.6 * cov + 0.4 * headCov - 0.02 * i - elsewhere };
    })
    .sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  if (!ranked.slice(0, 3).some((r) => r.sim >= MIN_SIMILARITY || r.cov >= 0.5 || r.titled)) return NO_ANSWER;
  // Sentences from the best passages: the runners-up may hold the sentence of the right shape.
  // The best passages, and every other retrieved passage of the best one's article: an article's
  // introduction says "work through these steps", its next section holds them.
  const top = ranked.filter((r, i) => i === 0 || (i < 6 && r.score >= best.score * 0.7) || r.p.title === best.p.title);
  const sources = top.map((r) => r.p);
  const unitLists = sources.map((p) => cachedUnits(p.content));
  const flat = unitLists.flat();
  if (flat.length === 0) return NO_ANSWER;
  const vectors = await knowledgeVectors(
    services.embedder,
    flat.map((u) => u.text),
  );
  const action = actionOf(question);
  // The question's rarer words (over every retrieved sentence) are its focus: "iOS" in "what iOS
  // version do you support" matters more than "support".
  const unitWords = flat.map((u) => cachedWords(u.text));
  const idf = (w: string) => Math.log((unitWords.length + 1) / (unitWords.filter((ws) => ws.has(w)).length + 0.5));
  const focusTotal = [...qWords].reduce((sum, w) => sum + idf(w), 0);
  const focus = (words: Set<string>) => (focusTotal > 0 ? [...qWords].reduce((sum, w) => sum + (words.has(w) ? idf(w) : 0), 0) / focusTotal : 0);
  const candidates: Candidate[] = [];
  let k = 0;
  unitLists.forEach((list, passage) => {
    const heading = cachedWords(sources[passage]!.heading);
    const section = cachedWords(sectionOf(sources[passage]!.heading));
    list.forEach((unit, order) => {
      const words = unitWords[k]!;
      const sim = cosine(qVec!, vectors[k++]!);
      const own = ownCoverage(new Set([...words, ...heading]));
      const score =
        sim +
        0.35 * coverage(qWords, words) +
        0.35 * focus(words) +
        0.1 * coverage(qWords, heading) +
        0.2 * coverage(qWords, section) +
        // "How do I pair ...": the answer is about pairing.
        (action && (words.has(action) || section.has(action)) ? 0.25 : 0) +
        shapeBonus(shape, unit.text, unit.kind === 'step') +
        // A table leads with its common case: with no place or plan named, its first row answers.
        (shape.entities.length === 0 && unit.kind === 'row' && list[order - 1]?.group !== unit.group ? 0.15 : 0) -
        0.02 * order +
        0.9 * (top[passage]!.score - best.score);
      candidates.push({ unit, score, cov: own, passage, order, heading: sources[passage]!.heading, words, focus: focus(words) });
    });
  });
  candidates.sort((a, b) => b.score - a.score);
  const lead = leadOf(candidates, shape);
  // No sentence of the shape asked for (no hours for "when are you open") and a lead with no more
  // than half the question's words, or no sentence with any of them: the help center does not answer it.
  const typed = shape.type === 'duration' || shape.type === 'price' || shape.type === 'hours';
  const shaped = candidates.some((c) => fitsShape(shape, c.unit.text) && c.cov > 0);
  if (typed ? !shaped && lead.cov <= 0.5 : !candidates.some((c) => c.cov > 0)) return NO_ANSWER;
  const cite = (c: Candidate) => `[${sources[c.passage]!.ref}]`;

  // Steps: the numbered list the best step is in, in order, from its first step.
  // (Not when the lead is a single instruction for the very action asked about and the step is
  // not: "Re-pair a wireless headset: hold the power button ..." for "How do I pair ...".)
  const does = (c: Candidate) => action !== undefined && c.words.has(action);
  const instruction = lead.unit.kind !== 'step' && isInstruction(lead.unit.text) && does(lead);
  const bestStep = shape.type === 'steps' ? candidates.slice(0, 3).find((c) => c.unit.kind === 'step' && c.score >= lead.score * STEP_SCORE && !(instruction && !does(c))) : undefined;
  // Troubleshooting articles number their sections ("1. Check power and the network cable"):
  // when the article's introduction is the best answer, its numbered sections are the steps.
  if (shape.type === 'steps' && META.test(lead.unit.text)) {
    const article = sources[lead.passage]!.title;
    const numbered = sources
      .map((p, i) => ({ p, first: unitLists[i]![0]?.text ?? '', m: /^(\d+)\.\s+(.*)$/.exec(sectionOf(p.heading)) }))
      .filter((x) => x.p.title === article && x.m !== null)
      .sort((a, b) => Number(a.m![1]) - Number(b.m![1]));
    if (numbered.length >= 2) {
      return numbered
        .slice(0, MAX_STEPS)
        .map((x, i) => `${i + 1}. ${x.m![2]}: ${x.first.replace(/^./, (c) => c.toLowerCase())} [${x.p.ref}]`)
        .join('\n');
    }
  }
  if (bestStep) {
    const steps = candidates
      .filter((c) => c.passage === bestStep.passage && c.unit.group === bestStep.unit.group)
      .sort((a, b) => a.order - b.order)
      .slice(0, MAX_STEPS);
    return steps.map((c, i) => `${i + 1}. ${c.unit.text} ${cite(c)}`).join('\n');
  }
  // The lead first, then the next best sentences in the order they stand in their passages.
  const rest = candidates
    .filter((c) => c !== lead)
    .filter((c) => c.score >= lead.score * 0.6)
    .slice(0, MAX_SENTENCES - 1)
    .sort((a, b) => a.passage - b.passage || a.order - b.order);
  return [lead, ...rest].map((c) => `${c.unit.text} ${cite(c)}`).join(' ');
}

/** The section part of a passage heading ("Creating a key" of "Creating and managing API keys — Creating a key"; an introduction's is the title). */
function sectionOf(heading: string): string {
  const at = heading.lastIndexOf(' — ');
  return at === -1 ? heading : heading.slice(at + 3);
}

/** The verb of a how-to question, stemmed: "pair" in "How do I pair the wireless headset again?". */
function actionOf(question: string): string | undefined {
  const m = /\bhow (?:do|can|should|would|could) (?:i|we|you)\s+(?:\w+ly\s+)?([a-z][\w-]*)|\bhow to\s+([a-z][\w-]*)/i.exec(question);
  const verb = m?.[1] ?? m?.[2];
  return verb ? [...contentWords(verb)][0] : undefined;
}

// An example illustrates the rule; it is not the rule ("Example: you're on Pro with 2 seats ...").
const EXAMPLE = /^(?:example|for example|for instance|e\.g\.)\b/i;
const TYPED = new Set(['duration', 'price', 'hours', 'frequency', 'list']);
/** How close (a share of the lead's score) and how much more covering a runner-up must be to lead instead. */
const COVERING = { score: 0.6, margin: 0.15 } as const;
/** How much more of the question's word weight a close sentence of the asked shape must hold to lead instead. */
const FOCUSED = 0.15;

/**
 * The sentence the answer leads with: the best candidate, except that a question asking for a
 * duration, price, hours, count or list leads with the best sentence of that shape when one scores
 * close enough, and an example never leads when a sentence stating the rule is there.
 */
function leadOf(candidates: Candidate[], shape: ReturnType<typeof questionShape>): Candidate {
  const top = candidates[0]!;
  let pool = candidates.filter((c) => !EXAMPLE.test(c.unit.text) && c.score >= top.score * 0.3);
  const close = (c: Candidate) => c.score >= top.score * 0.45;
  // A question naming a place, plan, model or platform is answered by a sentence naming it.
  const named = shape.entities.length > 0 ? pool.filter((c) => close(c) && namesEntity(shape, `${c.heading}: ${c.unit.text}`)) : [];
  if (named.length > 0) pool = named;
  const shapedAll = TYPED.has(shape.type) ? pool.filter((c) => close(c) && fitsShape(shape, c.unit.text)) : [];
  // Of the close sentences of that shape, one holding clearly more of the question's rarer words is
  // about what was asked ("try ... free for 14 days" for "How long is the trial?", not "extend a trial ... by 7 days").
  const shaped = shapedAll.find((c) => c.focus >= (shapedAll[0]?.focus ?? 0) + FOCUSED && !aboutOtherPlace(shape, c.unit.text)) ?? shapedAll[0];
  const lead = shaped ?? pool[0] ?? top;
  // A close runner-up that holds clearly more of the question's own words answers it better ("What
  // does a webhook payload contain?": the sentence about the payload, not the one about webhooks).
  const covering = pool.find(
    (c) => c.score >= lead.score * COVERING.score && c.cov >= lead.cov + COVERING.margin && (!shaped || fitsShape(shape, c.unit.text)) && !aboutOtherPlace(shape, c.unit.text),
  );
  return covering ?? lead;
}

/** The question a search answered: the salient part the tool searched for a long message, else the message. */
function searchedQuestion(req: OfflineRequest): string {
  for (const r of req.toolResults) {
    const searchedFor = r.toolName === searchKnowledgeTool.name && !r.isError ? (r.output as { searched_for?: string }).searched_for : undefined;
    if (searchedFor) return searchedFor;
  }
  return req.userText;
}

/** Offline: search for the question first; with the passages in hand, answer extractively. */
export function offline(services: OfflineServices): OfflineBehaviour {
  return async (req) => {
    const searched = req.toolResults.some((r) => r.toolName === searchKnowledgeTool.name);
    // The whole message goes to the tool: a long one is condensed there, where the knowledge base's vocabulary is known.
    if (!searched) return { toolCalls: [{ toolName: searchKnowledgeTool.name, input: { query: req.userText, limit: 8 } }] };
    return { text: await extractiveAnswer(services, searchedQuestion(req), passagesOf(req)) };
  };
}
