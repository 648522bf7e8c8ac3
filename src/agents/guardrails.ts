// What the service will not pass on as the customer wrote it. A ticket summary is read by staff (and
// by whatever tools they paste it into); a message that tries to give orders to a model is named,
// not copied.

const INJECTION: RegExp[] = [
  /\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(previous|prior|above|earlier|all|any|your|the|these|those)\b.{0,30}\b(instructions?|prompts?|rules?|guidelines?|directions?|context|messages?|polic(y|ies)|guardrails?)\b/i,
  /\b(system|developer|hidden|initial|original|secret) (prompt|message|instructions?)\b/i,
  /\b(reveal|print|show|repeat|output|leak|dump|tell me)\b.{0,30}\b(your|the) (prompt|instructions|rules|configuration|api keys?|secrets?|tools?)\b/i,
  /\byou are (now|no longer)\b/i,
  /\b(act|behave|respond|pretend|roleplay|role-play) (as|like|to be)\b.{0,40}\b(unrestricted|jailbroken|evil|dan|developer mode|no (rules|restrictions|filters)|admin|root|system|without (rules|restrictions|limits|filters))\b/i,
  /\b(jailbreak|jailbroken|dan mode|developer mode|god mode|do anything now)\b/i,
  /\bnew (instructions?|rules|persona|role)\s*:/i,
  /(^|\n)\s*(system|assistant|developer)\s*:/i,
  /<\/?\s*(system|instructions?|prompt|im_start|im_end)\s*>|\[\/?(inst|system)\]|<\|im_(start|end)\|>/i,
  /\b(from now on|starting now),? (you|respond|answer|act|only)\b/i,
  /\b(call|use|invoke|run) (the )?(tool|function) [`'"]?[a-z_]+[`'"]?\b.{0,40}\b(with|arguments|args)\b/i,
  /\b(ignora|ignorez|ignoriere|ignore) (las|les|alle|todas|as|le) (instrucciones|instructions|anweisungen|instruções|istruzioni) (anteriores|précédentes|precedentes|vorherigen|precedenti)\b/i,
];

/** True when a message reads like an attempt to instruct a model (ignore previous instructions, reveal the system prompt, role-play jailbreaks). */
export function looksLikeInjection(text: string): boolean {
  return INJECTION.some((re) => re.test(text));
}

/** What staff read instead of a message that looks like a prompt-injection attempt. */
export const WITHHELD = '[message withheld: looks like a prompt-injection attempt]';

/** A customer's message as a ticket may quote it: on one line, truncated, or withheld when it looks like an injection. */
export function quoteForStaff(text: string, maxChars = 300): string {
  if (looksLikeInjection(text)) return WITHHELD;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars - 1).trimEnd()}…` : flat;
}
