/**
 * Slot extraction for the offline engine: invoice, order and ticket numbers, references in other
 * formats (8–15 digit purchase, order or bill numbers), plan names, dates, months, money amounts
 * and email addresses. Lenient in what it reads, canonical in what it returns (INV-YYYY-NNNNN,
 * ORD-NNNNNN, TCK-NNNNNN, yyyy-mm-dd, yyyy-mm, integer cents).
 */
import { normalizeText } from './text.js';

export const PLANS = ['starter', 'pro', 'business', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export interface Amount {
  cents: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

/** A reference number in a format other than ours ("purchase 3707955617"), with what the words around it say it is. */
export interface Reference {
  number: string;
  kind: 'order' | 'invoice' | 'unknown';
}

export interface Slots {
  invoiceNumbers: string[];
  orderNumbers: string[];
  ticketNumbers: string[];
  /** 8–15 digit numbers that are not ours in form but that a customer uses as a reference. */
  references: Reference[];
  plans: Plan[];
  /** ISO yyyy-mm-dd, in order of appearance. */
  dates: string[];
  /** Whole months named without a day ("the bill from March", "invoice for May 2026"), as yyyy-mm. */
  months: string[];
  amounts: Amount[];
  emails: string[];
}

/** Appends a value unless already present, keeping first-appearance order. */
function pushUnique<T>(list: T[], value: T, same: (a: T, b: T) => boolean = (a, b) => a === b): void {
  if (!list.some((x) => same(x, value))) list.push(value);
}

// ---------------------------------------------------------------- identifiers

interface Span {
  start: number;
  end: number;
}

const overlaps = (spans: Span[], s: Span): boolean => spans.some((t) => s.start < t.end && t.start < s.end);

const INVOICE_PATTERNS: RegExp[] = [
  // INV-2026-00042, inv 2026-42, INV202600042, inv#2026/42
  /\binv[\s#:.-]*(20\d\d)[\s/.-]*(\d{1,5})(?!\d)/g,
  // invoice #2026-00042, invoice no. 2026-42, factura 2026-00042, Rechnung Nr. 2026-00042
  /\b(?:invoice|factura|facture|rechnung)(?:\s*(?:no\.?|nr\.?|number|num|n°|nº|numero|#|:|is))*\s*#?\s*(20\d\d)[\s/.-]*(\d{1,5})(?!\d)/g,
];

const ORDER_PATTERNS: RegExp[] = [
  // ORD-104233, ord104233, ORD #104233
  /\bord[\s#:.-]*(\d{6})(?!\d)/g,
  // order 104233, order #104233, order number is 104233, pedido 104233, commande n° 104233
  /\b(?:order|pedido|commande|bestellung)(?:\s*(?:no\.?|nr\.?|number|num|id|n°|nº|numero|#|:|is))*\s*#?\s*(\d{6})(?!\d)/g,
];

const TICKET_PATTERNS: RegExp[] = [
  // TCK-000123, tck 123
  /\btck[\s#:.-]*(\d{1,6})(?!\d)/g,
  // ticket #123, ticket number 123, ticket 000123
  /\bticket(?:\s*(?:no\.?|nr\.?|number|num|id|#|:|is))*\s*#?\s*(\d{1,6})(?!\d)/g,
  // case #123, case number 123 (a bare "case 2" is too often just English)
  /\bcase\s*(?:#|no\.?|number|id)\s*#?\s*(\d{1,6})(?!\d)/g,
];

// "purchase 3707955617", "order #12345678", "my order number is 3707955617", "ref 55501234": a
// customer's own name for the number (from an email, a bank statement, a shop) decides what it is.
const REFERENCE =
  /\b(?:(order|purchase|shipment|package|parcel|delivery|tracking|pedido|commande|bestellung|invoice|bill|receipt|payment|charge|transaction|statement|factura|facture|rechnung|reference|ref|confirmation|booking)\b(?:\s*(?:no\.?|nr\.?|number|num|id|code|n°|nº|numero|#|:|is|was))*\s*#?\s*)?(?<![\d+.,/-])(\d{8,15})(?![\d.,/-]?\d)/g;
const ORDER_WORD = /^(?:order|purchase|shipment|package|parcel|delivery|tracking|pedido|commande|bestellung)$/;
const INVOICE_WORD = /^(?:invoice|bill|receipt|payment|charge|transaction|statement|factura|facture|rechnung)$/;
// A bare long number right after these is a phone or card number, not a reference.
const PHONE_BEFORE = /\b(?:call|phone|tel|telephone|mobile|cell|whatsapp|fax|sms|text me|reach me|number is|card|iban|account number)\b[^.?!\d]{0,12}$|\+\d{1,3}[\s-]*(?:\(0\)\s*)?$/;

function extractReferences(text: string, claimed: Span[]): Reference[] {
  const refs: Reference[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const number = m[2]!;
    const start = (m.index ?? 0) + m[0].length - number.length;
    const span = { start, end: start + number.length };
    if (overlaps(claimed, span)) continue;
    const word = m[1];
    if (!word && PHONE_BEFORE.test(text.slice(Math.max(0, start - 40), start))) continue;
    const kind: Reference['kind'] = word && ORDER_WORD.test(word) ? 'order' : word && INVOICE_WORD.test(word) ? 'invoice' : 'unknown';
    claimed.push(span);
    pushUnique(refs, { number, kind }, (a, b) => a.number === b.number);
  }
  return refs;
}

function extractIds(text: string, patterns: RegExp[], format: (m: RegExpExecArray) => string): string[] {
  const found: { index: number; id: string }[] = [];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) found.push({ index: m.index ?? 0, id: format(m) });
  }
  found.sort((a, b) => a.index - b.index);
  const ids: string[] = [];
  for (const { id } of found) pushUnique(ids, id);
  return ids;
}

// ---------------------------------------------------------------- plans

const PLAN_WORD = /\b(starter|pro|business|enterprise)\b/g;
const PLAN_CONTEXT_AFTER = /^[\s-]*(?:plan|tier|subscription|package|edition|license|licence|seat)/;
// Uses of the words that are not our plans: "pro-rated", "pro rata", "3 business days", "small business".
const NOT_A_PLAN_AFTER: Record<Plan, RegExp | undefined> = {
  starter: /^[\s-]*(?:kit|pack|guide)/,
  pro: /^(?:-|\s+)(?:rat|bono|forma|tip)/,
  business: /^[\s-]*(?:day|hour|week|working|trip|card|model|partner|owner|email|address|name|phone|number)/,
  enterprise: /^[\s-]*(?:customer|client|grade|software|level|ready)/,
};
// Generic uses before the word: "a small business", "my own business", "an enterprise".
const NOT_A_PLAN_BEFORE: Record<Plan, RegExp | undefined> = {
  starter: /\b(?:sourdough|conversation|car|self)\s+$/,
  pro: undefined,
  business: /\b(?:small|own|a|local|family|my|our|of|doing|run|running|growing)\s+$/,
  enterprise: /\b(?:an|small|large|big|our|my|whole)\s+$/,
};

/**
 * Finds plan names. `cased` is the accent-folded text before lowercasing, index-aligned with
 * `normalized` when given: a capitalised "Business" mid-sentence is read as the plan name.
 */
function extractPlans(normalized: string, cased: string | undefined): Plan[] {
  const plans: Plan[] = [];
  for (const m of normalized.matchAll(PLAN_WORD)) {
    const plan = m[1] as Plan;
    const start = m.index ?? 0;
    const before = normalized.slice(Math.max(0, start - 24), start);
    const after = normalized.slice(start + plan.length, start + plan.length + 24);
    if (PLAN_CONTEXT_AFTER.test(after)) {
      pushUnique(plans, plan);
      continue;
    }
    if (NOT_A_PLAN_AFTER[plan]?.test(after)) continue;
    const capitalised = cased !== undefined && /\p{Lu}/u.test(cased[start]) && /[\p{L}\p{N},]\s+$/u.test(before);
    if (!capitalised && NOT_A_PLAN_BEFORE[plan]?.test(before)) continue;
    pushUnique(plans, plan);
  }
  return plans;
}

// ---------------------------------------------------------------- dates

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const MONTH_NAME = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';

function iso(year: number, month: number, day: number): string | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d.toISOString().slice(0, 10);
}

function shiftDays(now: Date, days: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}

function firstOfMonth(now: Date, monthOffset: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthOffset, 1)).toISOString().slice(0, 10);
}

interface DateRule {
  pattern: RegExp;
  toIso(m: RegExpExecArray, now: Date): string | undefined;
}

const year4 = (s: string | undefined, now: Date): number => (s ? Number(s) : now.getUTCFullYear());

// Order matters: earlier rules claim their span first, so "2026-03-15" is not also read as "03-15".
const DATE_RULES: DateRule[] = [
  { pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, toIso: (m) => iso(Number(m[1]), Number(m[2]), Number(m[3])) },
  {
    // 03/15/2026 (US); 15/03/2026 when the first number cannot be a month
    pattern: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g,
    toIso: (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      return a > 12 ? iso(Number(m[3]), b, a) : iso(Number(m[3]), a, b);
    },
  },
  {
    // 3 March 2026, 3rd of march, 15 mar
    pattern: new RegExp(`\\b${DAY}(?:\\s+of)?\\s+${MONTH_NAME}(?:,?\\s+(\\d{4}))?\\b`, 'g'),
    toIso: (m, now) => iso(year4(m[3], now), MONTHS[m[2]], Number(m[1])),
  },
  {
    // March 3, March 3rd 2026, Mar. 3, 2026
    pattern: new RegExp(`\\b${MONTH_NAME}\\s+${DAY}(?:,?\\s+(\\d{4}))?\\b`, 'g'),
    toIso: (m, now) => iso(year4(m[3], now), MONTHS[m[1]], Number(m[2])),
  },
  { pattern: /\b(?:today|tonight|this morning|this afternoon)\b/g, toIso: (_m, now) => shiftDays(now, 0) },
  { pattern: /\byesterday\b/g, toIso: (_m, now) => shiftDays(now, -1) },
  { pattern: /\btomorrow\b/g, toIso: (_m, now) => shiftDays(now, 1) },
  { pattern: /\b(\d{1,3}) days? ago\b/g, toIso: (m, now) => shiftDays(now, -Number(m[1])) },
  { pattern: /\blast month\b/g, toIso: (_m, now) => firstOfMonth(now, -1) },
  { pattern: /\bthis month\b/g, toIso: (_m, now) => firstOfMonth(now, 0) },
  { pattern: /\bnext month\b/g, toIso: (_m, now) => firstOfMonth(now, 1) },
];

function extractDates(normalized: string, now: Date, claimed: Span[]): string[] {
  const found: { index: number; date: string }[] = [];
  for (const rule of DATE_RULES) {
    for (const m of normalized.matchAll(rule.pattern)) {
      const span = { start: m.index ?? 0, end: (m.index ?? 0) + m[0].length };
      if (overlaps(claimed, span)) continue;
      const date = rule.toIso(m, now);
      if (!date) continue;
      claimed.push(span);
      found.push({ index: span.start, date });
    }
  }
  found.sort((a, b) => a.index - b.index);
  const dates: string[] = [];
  for (const { date } of found) pushUnique(dates, date);
  return dates;
}

// "the bill from March", "invoice for May 2026", "my March invoice": a month without a day. "May" and
// "March" are also words, so a bare month name counts only after a preposition, before a year or
// before a billing word.
const MONTH_RULES: RegExp[] = [
  new RegExp(`\\b(?:from|in|for|of|since|during|dated)\\s+(?:the\\s+)?(?:month\\s+of\\s+)?${MONTH_NAME}(?:,?\\s+(\\d{4}))?(?![\\s,]*\\d{1,2}\\b(?!\\d))(?![\\p{L}])`, 'gu'),
  new RegExp(`\\b${MONTH_NAME}(?:\\s+(\\d{4}))?(?:'s)?\\s+(?=(?:bill|invoice|statement|charge|payment|receipt|renewal)s?\\b)`, 'g'),
  new RegExp(`\\b${MONTH_NAME},?\\s+(\\d{4})\\b`, 'g'),
];

/** The most recent month of that name up to `now` when no year is given. */
function monthIso(name: string, year: string | undefined, now: Date): string {
  const month = MONTHS[name]!;
  const y = year ? Number(year) : month > now.getUTCMonth() + 1 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
  return `${y}-${String(month).padStart(2, '0')}`;
}

function extractMonths(normalized: string, now: Date, claimed: Span[]): string[] {
  const found: { index: number; month: string }[] = [];
  for (const rule of MONTH_RULES) {
    for (const m of normalized.matchAll(rule)) {
      const at = (m.index ?? 0) + m[0].indexOf(m[1]!);
      const span = { start: at, end: at + m[1]!.length };
      if (overlaps(claimed, span)) continue;
      claimed.push(span);
      found.push({ index: at, month: monthIso(m[1]!.replace(/\.$/, ''), m[2], now) });
    }
  }
  found.sort((a, b) => a.index - b.index);
  const months: string[] = [];
  for (const { month } of found) pushUnique(months, month);
  return months;
}

// ---------------------------------------------------------------- amounts

const NUMBER = '(\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?)';
const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP' };
const WORDS: Record<string, string> = {
  usd: 'USD',
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  gbp: 'GBP',
  pound: 'GBP',
  pounds: 'GBP',
  '€': 'EUR',
  $: 'USD',
  '£': 'GBP',
};
const AMOUNT_RULES: { pattern: RegExp; number: number; currency: number }[] = [
  { pattern: new RegExp(`([$€£])\\s?${NUMBER}`, 'g'), number: 2, currency: 1 },
  { pattern: new RegExp(`\\b(usd|eur|gbp)\\s?${NUMBER}`, 'g'), number: 2, currency: 1 },
  {
    pattern: new RegExp(`\\b${NUMBER}\\s?(usd|eur|gbp|dollars?|bucks|euros?|pounds?|€|\\$|£)(?![\\p{L}\\p{N}])`, 'gu'),
    number: 1,
    currency: 2,
  },
];

/** Parses "1,299.50", "49", "12,50" into integer cents without floating-point rounding. */
function toCents(raw: string): number {
  let s = raw;
  if (/^\d+,\d{1,2}$/.test(s)) s = s.replace(',', '.'); // European decimal comma
  s = s.replace(/,/g, '');
  const [whole, fraction = ''] = s.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}

function extractAmounts(normalized: string, claimed: Span[]): Amount[] {
  const found: { index: number; amount: Amount }[] = [];
  for (const rule of AMOUNT_RULES) {
    for (const m of normalized.matchAll(rule.pattern)) {
      const span = { start: m.index ?? 0, end: (m.index ?? 0) + m[0].length };
      if (overlaps(claimed, span)) continue;
      const symbol = m[rule.currency];
      const currency = SYMBOLS[symbol] ?? WORDS[symbol];
      if (!currency) continue;
      claimed.push(span);
      found.push({ index: span.start, amount: { cents: toCents(m[rule.number]), currency } });
    }
  }
  found.sort((a, b) => a.index - b.index);
  const amounts: Amount[] = [];
  for (const { amount } of found) {
    pushUnique(amounts, amount, (a, b) => a.cents === b.cents && a.currency === b.currency);
  }
  return amounts;
}

// ---------------------------------------------------------------- emails

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/g;

// ---------------------------------------------------------------- entry point

// Every rule above needs one of these (a digit, '@', a currency sign, a plan name or a relative-date
// word); most messages have none, and then the rules need not run at all.
const MAY_HAVE_SLOTS = /[\d@$€£]|starter|pro|business|enterprise|today|tonight|morning|afternoon|yesterday|tomorrow|month|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;

const noSlots = (): Slots => ({
  invoiceNumbers: [],
  orderNumbers: [],
  ticketNumbers: [],
  references: [],
  plans: [],
  dates: [],
  months: [],
  amounts: [],
  emails: [],
});

/**
 * Pulls the structured values an agent or tool needs out of a customer message.
 * Relative dates ("yesterday", "last month") are resolved against `now` in UTC; a day
 * and month without a year take the year of `now`.
 */
export function extractSlots(text: string, now: Date = new Date()): Slots {
  if (!MAY_HAVE_SLOTS.test(text)) return noSlots();
  const normalized = normalizeText(text);
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '');
  const cased = folded.length === normalized.length ? folded : undefined;

  const emails: string[] = [];
  const claimed: Span[] = [];
  for (const m of normalized.matchAll(EMAIL)) {
    pushUnique(emails, m[0]);
    claimed.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
  }
  // identifiers and emails claim their characters so their digits are not read as dates or money
  const withoutEmails = claimed.reduce((s, span) => s.slice(0, span.start) + ' '.repeat(span.end - span.start) + s.slice(span.end), normalized);

  const claim = (patterns: RegExp[]): void => {
    for (const pattern of patterns) {
      for (const m of withoutEmails.matchAll(pattern)) {
        claimed.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
      }
    }
  };
  const invoiceNumbers = extractIds(withoutEmails, INVOICE_PATTERNS, (m) => `INV-${m[1]}-${m[2].padStart(5, '0')}`);
  const orderNumbers = extractIds(withoutEmails, ORDER_PATTERNS, (m) => `ORD-${m[1]}`);
  const ticketNumbers = extractIds(withoutEmails, TICKET_PATTERNS, (m) => `TCK-${m[1].padStart(6, '0')}`);
  claim(INVOICE_PATTERNS);
  claim(ORDER_PATTERNS);
  claim(TICKET_PATTERNS);

  const references = extractReferences(withoutEmails, claimed);

  const dates = extractDates(withoutEmails, now, claimed);
  const months = extractMonths(withoutEmails, now, claimed);
  const amounts = extractAmounts(withoutEmails, claimed);
  const plans = extractPlans(withoutEmails, cased);

  return { invoiceNumbers, orderNumbers, ticketNumbers, references, plans, dates, months, amounts, emails };
}
