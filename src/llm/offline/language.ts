/**
 * The language of a customer's message, told only when it is confidently not English. The offline
 * engine answers in English; a message in another language gets a notice instead of a guess, and an
 * LLM gets the language as a hint. A wrong "not English" would put that notice in front of an
 * English customer, so the rule leans hard towards English: short messages, references, greetings
 * and typos stay English, and only what the detector and the script both make clear is another
 * language.
 */

/** A message's language when it is confidently not English. */
export interface DetectedLanguage {
  /** ISO 639-1 code, e.g. `es`. */
  code: string;
  /** Its English name, e.g. `Spanish`. */
  name: string;
}

interface Eld {
  detect(text: string): { language: string; getScores(): Record<string, number>; isReliable(): boolean };
}

// eld (Efficient Language Detector, n-gram tables for 60 languages), its `small` table: on the
// evaluation's short messages it is within a point of `large` and loads in ~1.4 s and 56 MB instead
// of ~8 s and 160 MB. Loaded on first need, so a process that never sees a long message never pays.
let detector: Promise<Eld> | undefined;
function loadDetector(): Promise<Eld> {
  detector ??= import('eld/small').then((m) => m.eld as Eld);
  return detector;
}

// Below this many Latin letters the n-grams say too little: "gracias", "ok thanks", "refnd pls" stay English.
const MIN_LATIN_LETTERS = 15;
// How far the best language's score must lead English's (the detector's own scale): set on the
// public sets' validation splits for no more than one English message in a thousand called foreign.
const MIN_LEAD_OVER_ENGLISH = 0.12;

// Scripts that are never English. Han, kana and hangul carry a word or more per character, so they
// weigh more than a Latin letter when a message mixes scripts ("播放 All Things Must Pass").
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const WIDE_WEIGHT = 3;
const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;
/** What a script alone says when the detector has no opinion on the non-Latin part. */
const SCRIPT_LANGUAGE: [RegExp, string][] = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Hangul}/u, 'ko'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Cyrillic}/u, 'ru'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Devanagari}/u, 'hi'],
];

// Parts of a message that are in no language: links, email addresses, and words with digits
// (INV-2026-00042, ORD-104233, 1080p, 2FA).
const NO_LANGUAGE = /https?:\/\/\S+|www\.\S+|\S+@\S+\.\S+|\S*\d\S*/gi;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

const names = new Intl.DisplayNames(['en'], { type: 'language' });

function detected(code: string): DetectedLanguage {
  return { code, name: names.of(code) ?? code };
}

/**
 * The language of `text` when it is confidently not English; null when it is English, too short
 * to tell, or unclear. A message mostly in a non-Latin script is that script's language; a Latin
 * one needs enough letters, the detector's reliable verdict and a clear lead over English.
 */
export async function detectLanguage(text: string): Promise<DetectedLanguage | null> {
  const words = text.replace(NO_LANGUAGE, ' ');
  const latin = count(words, LATIN_LETTER);
  const wide = count(words, WIDE);
  const otherNonLatin = count(words, NON_LATIN_LETTER) - wide;
  const nonLatinWeight = wide * WIDE_WEIGHT + otherNonLatin;

  if (nonLatinWeight >= Math.max(4, latin)) {
    // Judge by the non-Latin part alone: English names inside ("给 The Broken Window 打 四 颗 星") would pull it to English.
    const part = words.replace(/\p{Script=Latin}+/gu, ' ');
    const byScript = SCRIPT_LANGUAGE.find(([re]) => re.test(part))?.[1];
    // Kana is Japanese, hangul Korean, han without either Chinese: surer than n-grams of a few characters.
    if (wide > 0 && byScript) return detected(byScript);
    const eld = await loadDetector();
    const { language } = eld.detect(part);
    if (language && language !== 'en') return detected(language);
    return byScript ? detected(byScript) : null;
  }

  if (latin < MIN_LATIN_LETTERS) return null;
  const eld = await loadDetector();
  const result = eld.detect(words);
  const { language } = result;
  if (!language || language === 'en' || !result.isReliable()) return null;
  const scores = result.getScores();
  if ((scores[language] ?? 0) - (scores.en ?? 0) < MIN_LEAD_OVER_ENGLISH) return null;
  return detected(language);
}
