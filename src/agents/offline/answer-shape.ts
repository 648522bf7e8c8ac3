/**
 * What shape of answer a help-center question asks for, and how well a sentence of a passage has
 * that shape: "how long" wants a duration, "how much" a price, "when are you open" hours, "how do
 * I" steps, "do you ship to Canada" the sentence about Canada. The offline FAQ answer leads with
 * the sentence (or table row) that fits best.
 */

export type QuestionType = 'duration' | 'frequency' | 'price' | 'hours' | 'list' | 'steps' | 'yesno' | 'general';

export interface QuestionShape {
  type: QuestionType;
  /** Words a fitting sentence names: places (with the region a table row uses for them), plans, models. */
  entities: string[];
  /** "Can we …?", "Could I …?": a sentence saying what one can or cannot do answers it. */
  ability: boolean;
}

const HOURS_Q =
  /\b(?:support|opening|office|business|service|working) hours\b|\bwhen (?:are|is) (?:you|your (?:support|team|office)|support)\b|\bwhat time\b|\b(?:open|available|reach (?:you|a (?:person|human)))\b.*\b(?:weekends?|saturday|sunday|nights?|24\/7|holidays?)\b/i;
const PRICE_Q = /\b(?:price|prices|pricing|cost|costs|fee|fees|how much|charge for|expensive|cheap)\b/i;
const DURATION_Q =
  /\bhow (?:long|soon|quickly|fast)\b|\bhow many (?:business |working )?(?:days|hours|weeks|minutes|months)\b|\bwhen will\b.*\b(?:arrive|ship|get here|reach|come)\b|\buntil\b.*\b(?:arrive|reach)|\btransit time\b|\bdelivery time\b/i;
const STEPS_Q = /\bhow (?:do|can|should|would) (?:i|we|you)\b|\bhow to\b|\bsteps?\b|\bset ?up\b|\bwhat should i do\b|\bwhat do i do\b/i;
const FREQUENCY_Q = /\bhow (?:often|many times)\b|\bhow frequently\b/i;
// "Which cards / browsers / identity providers …", "what kinds of": a list of names answers.
const LIST_Q =
  /^(?:which|what (?:kinds?|types?|sorts?) of)\b|^what (?:\w+ ){0,3}(?:(?:do|does) (?:you|it|the \w+(?: \w+)?) (?:support|accept|offer|have)|are (?:supported|available|accepted))\b|^what (?:\w+ ){1,2}can (?:a|an|the|i|we|my|our) (?:\w+ ){0,2}(?:have|use|choose|get)\b|^what (?:does|do|will) (?:\w+ ){1,4}(?:contain|include)\b/i;
const YESNO_Q = /^(?:do|does|did|can|could|is|are|will|would|should|may|has|have)\b/i;
const ABILITY_Q = /^(?:can|could) (?:i|we|you|my|our|the|a|an)\b/i;
const ABILITY = /\b(?:you|we|they|members?|owners?|admins?|it) can\b|\bcan(?:'t|not| be| only)\b/i;

/** Reads what kind of answer a question asks for. Order matters: "how long ... cost" is a price first. */
export function questionShape(question: string): QuestionShape {
  const q = question.trim();
  const type: QuestionType = HOURS_Q.test(q)
    ? 'hours'
    : PRICE_Q.test(q)
      ? 'price'
      : FREQUENCY_Q.test(q)
        ? 'frequency'
        : DURATION_Q.test(q)
          ? 'duration'
          : LIST_Q.test(q)
            ? 'list'
            : STEPS_Q.test(q)
              ? 'steps'
              : YESNO_Q.test(q)
                ? 'yesno'
                : 'general';
  return { type, entities: entitiesOf(q), ability: ABILITY_Q.test(q) };
}

const DURATION =
  /\b\d+(?:[.,]\d+)?\s*(?:[–-]|to)?\s*\d*\s*(?:business |working |calendar )?(?:days?|hours?|minutes?|weeks?|months?|years?|seconds?)\b|\b(?:same|next) (?:business )?day\b|\bimmediately\b/i;
const MONEY = /[$€£]\s?\d|\bfree\b/i;
const FREQUENCY =
  /\b(?:(?:every|each) (?:\d+ |other )?(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|morning|evening|time)|daily|weekly|monthly|hourly|nightly|up to \d+ times|\d+ times|(?:once|twice) a)\b/i;
// Three or more names in a row (capitalised words, `code` or /commands), or two joined by and/or.
// A name may carry a parenthesis: "Microsoft Entra ID (Azure AD)".
const NAME = String.raw`(?:[A-Z0-9][\w.+-]*[A-Za-z][\w.+-]*(?: [A-Z0-9][\w.+-]*)*(?: \([^)]{1,30}\))?|\`[^\`]+\`|\/[a-z]+)`;
// ... or two or more `codes` or /commands anywhere (a header list, a list of slash commands).
// A list item that is a `code` or a /command, or a colon followed by words joined by and/or ("scopes: read, write, or both").
const LIST_ITEM = /^(?:`[^`]+`|\/[a-z]+\b)|:\s*\w+(?:, \w+)+,? (?:and|or) \w+/;
const LIST = new RegExp(`${NAME}(?:, ${NAME})+,? (?:and|or) ${NAME}|${NAME}, ${NAME}, ${NAME}|(?:\`[^\`]+\`|(?<!w)/[a-z]+\b)[^\`]*?(?:\`[^\`]+\`|(?<!w)/[a-z]+\b)`);
const HOURS = /\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)(?!\w)|\b24\/7\b|\baround the clock\b|\bmonday\b|\bweekdays?\b/i;

/** Whether a sentence has the shape the question asks for (a duration, a price, hours). */
export function fitsShape(shape: QuestionShape, sentence: string): boolean {
  switch (shape.type) {
    case 'duration':
      return DURATION.test(sentence);
    case 'price':
      return MONEY.test(sentence);
    case 'hours':
      return HOURS.test(sentence);
    case 'frequency':
      return FREQUENCY.test(sentence);
    case 'list':
      return LIST.test(sentence) || LIST_ITEM.test(sentence);
    default:
      return true;
  }
}

/** Whether a sentence names one of the question's places, plans or models (or the region a table uses for it). */
export function namesEntity(shape: QuestionShape, sentence: string): boolean {
  const s = sentence.toLowerCase();
  return shape.entities.some((e) => (e === 'business' ? /\bBusiness\b(?! days?| hours?)/.test(sentence) : new RegExp(`\\b${escapeRegExp(e)}\\b`).test(s)));
}

/** Whether a text is about an exception to the common case (abroad, Canada, Alaska ...) that a question naming no place does not ask about. */
export function aboutOtherPlace(shape: QuestionShape, text: string): boolean {
  return shape.entities.length === 0 && OTHER_PLACE.test(text);
}

/** The extra score a sentence gets for having the answer's shape and naming what the question names. */
export function shapeBonus(shape: QuestionShape, sentence: string, isStep: boolean): number {
  let bonus = 0;
  if (shape.type === 'frequency') {
    // "How often" wants a count or a rhythm ("up to 8 times", "every day"); a bare duration is half an answer.
    bonus += FREQUENCY.test(sentence) ? 0.3 : DURATION.test(sentence) ? 0.1 : 0;
  } else if (shape.type === 'duration' || shape.type === 'price' || shape.type === 'hours' || shape.type === 'list') {
    if (fitsShape(shape, sentence)) bonus += 0.3;
  } else if (shape.type === 'steps' && (isStep || IMPERATIVE.test(sentence))) bonus += 0.2;
  if (shape.type === 'hours' && TIME_OF_DAY.test(sentence)) bonus += 0.15;
  if (shape.ability && ABILITY.test(sentence)) bonus += ABILITY_BONUS;
  if (shape.entities.length > 0 && namesEntity(shape, sentence)) bonus += 0.35;
  // A question naming no place is about the common case: a sentence about abroad, Canada or
  // Alaska is an exception to it ("How long does shipping take?" is not about international orders).
  else if (aboutOtherPlace(shape, sentence)) bonus -= 0.3;
  // Sentences about the article rather than the subject answer nothing.
  if (META.test(sentence)) bonus -= 0.3;
  return bonus;
}

// Small: it decides between close sentences ("you can turn on Require SSO" over "members then have
// to sign in through the identity provider"), not against a sentence about the question's subject.
const ABILITY_BONUS = 0.15;
const TIME_OF_DAY = /\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)(?!\w).*\b(?:monday|weekdays?|friday)\b|\b(?:monday|weekdays?)\b.*\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)(?!\w)/i;
export const META = /^(?:these steps|this article|the steps below|for (?:prices|more|details)|see ")|\bwork through these steps\b|^(?:[^.]*\.)?\s*see "[^"]+"(?: for [^.]*)?\.?$/i;

const IMPERATIVE = /^(?:click|go|open|select|choose|enter|sign|tap|type|press|visit|contact|send|use|turn|add|pick|follow|hold|plug|check|make sure)\b|→/i;

/** Whether a sentence tells the reader what to do ("Click ...", "Re-pair a headset: hold the power button ..."). */
export function isInstruction(sentence: string): boolean {
  const colon = sentence.indexOf(': ');
  return IMPERATIVE.test(sentence) || (colon !== -1 && IMPERATIVE.test(sentence.slice(colon + 2)));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Places customers name, with the words the help center's tables and sentences use for them.
const US_STATES =
  'alabama|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington|west virginia|wisconsin|wyoming|chicago|boston|seattle|denver|austin|miami|atlanta|dallas|columbus';
const PLACES: [RegExp, string[]][] = [
  [
    new RegExp(`\\b(?:${US_STATES})\\b|\\b(?:continental|contiguous|mainland|inside the|within the) (?:us|usa|united states)\\b|\\bdomestic(?:ally)?\\b`, 'i'),
    ['contiguous united states', 'domestic'],
  ],
  [/\b(?:alaska|anchorage)\b/i, ['alaska']],
  [/\b(?:hawaii|honolulu|maui)\b/i, ['hawaii']],
  [/\b(?:puerto rico|san juan)\b/i, ['puerto rico']],
  [/\b(?:canada|canadian|toronto|vancouver|montreal|quebec|ontario)\b/i, ['canada']],
  [/\b(?:mexico|mexican)\b/i, ['mexico']],
  [/\b(?:uk|united kingdom|britain|england|scotland|wales|london)\b/i, ['united kingdom', 'uk']],
  [
    /\b(?:germany|german|france|french|spain|spanish|italy|italian|netherlands|dutch|belgium|austria|ireland|portugal|sweden|denmark|finland|poland|europe|eu)\b/i,
    ['european union', 'eu', 'rest of the world', 'international'],
  ],
  [/\b(?:australia|new zealand|japan|china|india|singapore|brazil|south africa|korea)\b/i, ['rest of the world', 'international']],
  [/\bpo box(?:es)?\b/i, ['po box', 'po boxes']],
  // Days the help center speaks of as "weekend" (not a place, but named the same way).
  [/\b(?:saturday|sunday)s?\b/i, ['weekend']],
];
const OTHER_PLACE =
  /\b(?:[Ii]nternational(?:ly)?|[Aa]broad|[Oo]verseas|outside the (?:US|United States)|Canada|Mexico|Alaska|Hawaii|Puerto Rico|PO [Bb]ox(?:es)?|European Union|EU|United Kingdom|UK|[Rr]est of the world)\b/;
const PLAN_NAMES = /\b(starter|pro|business|enterprise)\b(?! days?| hours?)/gi;
// Platforms a requirement is stated for ("What minimum iOS version ...").
const PLATFORMS = /\b(?:iOS|iPadOS|Android|macOS|Windows|Linux|ChromeOS|Safari|Chrome|Firefox|Edge)\b/g;
const MODEL = /\b(?:hs|dp|wc)-?\s?(?:\d{3}|4k|1080)\b/gi;

function entitiesOf(question: string): string[] {
  const out = new Set<string>();
  for (const [pattern, words] of PLACES) if (pattern.test(question)) for (const w of words) out.add(w);
  for (const m of question.matchAll(PLAN_NAMES)) {
    // "business" in lower case mid-sentence is usually the word, not the plan
    if (m[1] === 'business') continue;
    out.add(m[1]!.toLowerCase());
  }
  for (const m of question.matchAll(PLATFORMS)) out.add(m[0].toLowerCase());
  for (const m of question.matchAll(MODEL))
    out.add(
      m[0]
        .toLowerCase()
        .replace(/\s/, '-')
        .replace(/^(hs|dp|wc)(?=\d|4k)/, '$1-'),
    );
  return [...out];
}
