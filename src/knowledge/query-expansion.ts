/**
 * A small support-domain thesaurus for full-text search: customers ask "how long", articles say
 * "delivery time" and "business days". Each entry adds terms when its pattern appears in a question.
 */
const EXPANSIONS: [RegExp, string[]][] = [
  [/\bhow long\b|\bhow many days\b|\bwhen will\b|\bhow soon\b|\bhow fast\b/i, ['time', 'days']],
  [/\b(how long|how many days|when will)\b.*\b(ship|deliver|arriv|order|package|parcel)/i, ['delivery', 'transit']],
  [/\bhow much\b|\bprice|\bcost/i, ['cost', 'price', 'fee']],
  [/\bmoney back\b|\breimburse/i, ['refund']],
  [/\bsend (it |them )?back\b/i, ['return']],
  [/\barriv|\bget here\b|\bdeliver/i, ['delivery', 'shipping']],
  [/\blog ?in\b|\bsign ?in\b|\blocked out\b/i, ['login', 'password', 'sign']],
  [/\b2fa\b|\bmfa\b|\btwo[- ]step\b/i, ['two-factor', 'authentication']],
  [/\bsso\b|\bsaml\b|\bokta\b|\bazure ad\b/i, ['single', 'sign-on', 'saml']],
  [/\bpay(ing)? with\b|\bcredit card\b|\bpaypal\b|\bwire\b/i, ['payment', 'methods']],
  [/\bbroken\b|\bdamaged\b|\bdefective\b|\bdoesn'?t work\b/i, ['damaged', 'defective', 'warranty']],
  [/\bswap\b|\bexchange\b|\bdifferent size\b/i, ['exchange']],
  [/\bdelete my\b|\berase\b|\bforget me\b/i, ['deletion', 'gdpr']],
  [/\bthrottl|\btoo many requests\b|\b429\b/i, ['rate', 'limits']],
  [/\bmic\b|\bmicrophone\b|\bcan'?t hear\b|\bno sound\b/i, ['audio', 'headset']],
];

/** Extra search terms the question implies. */
export function expansionTerms(question: string): string[] {
  const out: string[] = [];
  for (const [pattern, terms] of EXPANSIONS) if (pattern.test(question)) out.push(...terms);
  return out;
}
