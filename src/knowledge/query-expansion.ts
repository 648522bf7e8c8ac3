/**
 * A small support-domain thesaurus for full-text search: customers ask "how long", articles say
 * "delivery time" and "business days". Each entry adds terms when its pattern appears in a question
 * and its `unless` pattern does not (webhook "deliveries" are not parcels).
 */
interface Expansion {
  when: RegExp;
  add: string[];
  unless?: RegExp;
}

const PARCEL_CONTEXT = /\b(ship|deliver|arriv|order|package|parcel|headset|phone|webcam|hardware|refund|return)/i;
const NOT_PARCELS = /\bwebhooks?\b|\bevents?\b|\bapi\b|\bemails?\b|\bnotifications?\b/i;
const COUNTRIES =
  /\b(abroad|overseas|international(ly)?|outside the (us|usa|united states)|canada|mexico|brazil|argentina|chile|colombia|uk|united kingdom|england|ireland|france|germany|spain|italy|portugal|netherlands|belgium|switzerland|austria|sweden|norway|denmark|finland|poland|europe|eu|australia|new zealand|japan|china|india|singapore|korea|south africa|nigeria|kenya|uae|dubai|israel|turkey)\b/i;

/**
 * Countries and regions by their other names: customers write "UK", articles "United Kingdom".
 * Each group's names stand for one another. "US" is matched in capitals only ("email us" is not a
 * country); the rest in any case.
 */
const PLACE_NAMES: { when: RegExp; names: string[] }[] = [
  { when: /\b(?:uk|u\.k\.|united kingdom|great britain|britain|british)(?!\w)/i, names: ['united kingdom', 'uk', 'britain'] },
  { when: /\b(?:US|U\.S\.|USA|U\.S\.A\.|[Uu]nited [Ss]tates|[Aa]merica)(?!\w)/, names: ['united states', 'us', 'usa'] },
  { when: /\b(?:eu|european union)\b/i, names: ['european union', 'eu'] },
  { when: /\b(?:uae|united arab emirates|emirates)\b/i, names: ['united arab emirates', 'uae'] },
  { when: /\b(?:nz|new zealand)\b/i, names: ['new zealand', 'nz'] },
];

const EXPANSIONS: Expansion[] = [
  // A place by its other names (the full-text query then matches either spelling).
  ...PLACE_NAMES.map(({ when, names }) => ({ when, add: names.flatMap((n) => n.split(' ')) })),
  // "how long" is about time only for parcels and refunds; for links, sessions or batteries it is noise
  { when: /\bhow long\b|\bhow many days\b|\bwhen will\b|\bhow soon\b|\bhow fast\b/i, add: ['time', 'days'], unless: new RegExp(`^(?!.*${PARCEL_CONTEXT.source})`, 'i') },
  { when: /\b(how long|how many days|when will)\b.*\b(ship|deliver|arriv|order|package|parcel)/i, add: ['delivery', 'transit'] },
  { when: /\bhow much\b|\bprice|\bcost/i, add: ['cost', 'price', 'fee'] },
  { when: /\bmoney back\b|\breimburse/i, add: ['refund'] },
  { when: /\bsend(?: \w+){0,2} back\b|\bship(?: \w+){0,2} back\b/i, add: ['return'] },
  { when: /\b(?:saturdays?|sundays?)\b/i, add: ['weekend'] },
  // "the trial": the articles say "try ... free for 14 days".
  { when: /\btrials?\b/i, add: ['try'] },
  { when: /\b(?:box|boxes|wrapping|packing)\b/i, add: ['packaging'], unless: /\bpo box/i },
  // "make 2FA mandatory", "force everyone to use SSO": the articles say "Require ...".
  { when: /\bmandatory\b|\bcompulsory\b|\bforce\b|\benforc|\bobligatory\b|\bmust (?:all )?(?:use|sign|log)\b/i, add: ['require', 'enforce'] },
  { when: /\barriv|\bget here\b|\bdeliver/i, add: ['delivery', 'shipping'], unless: NOT_PARCELS },
  { when: /\bovernight\b|\bnext[- ]day\b|\bfaster (shipping|delivery)\b/i, add: ['express', 'next-day'] },
  { when: COUNTRIES, add: ['international', 'customs', 'countries'], unless: /\b(vat|tax|data|servers?|hosting|residency|gdpr)\b/i },
  { when: /\blog ?in\b|\bsign ?in\b|\blocked out\b/i, add: ['login', 'password', 'sign'] },
  { when: /\b2fa\b|\bmfa\b|\btwo[- ]step\b/i, add: ['two-factor', 'authentication'] },
  { when: /\bsso\b|\bsaml\b|\bokta\b|\bazure ad\b/i, add: ['single', 'sign-on', 'saml', 'sso'] },
  { when: /\bpre-?paid\b|\bprepay/i, add: ['paid'] },
  { when: /\bpay(ing)? with\b|\bcredit card\b|\bpaypal\b|\bwire\b/i, add: ['payment', 'methods'] },
  { when: /\bdeclined\b|\bbounced\b|\bcard (didn'?t|did not|was not|wasn'?t) (go through|accepted|charged)\b|\bpayment (failed|didn'?t go through)\b/i, add: ['failed', 'payment', 'retry'] },
  {
    when: /\bbroken\b|\bdamaged\b|\bdefective\b|\bdoesn'?t work\b|\bcracked\b|\bsmashed\b|\bshattered\b|\bdented\b|\bstopped working\b|\bdead on arrival\b/i,
    add: ['damaged', 'defective', 'warranty'],
  },
  { when: /\bswap\b|\bexchange\b|\bdifferent size\b/i, add: ['exchange'] },
  { when: /\bdelete my\b|\berase\b|\bforget me\b/i, add: ['deletion', 'gdpr'] },
  { when: /\bthrottl|\btoo many requests\b|\b429\b/i, add: ['rate', 'limits'] },
  { when: /\bmic\b|\bmicrophone\b|\bcan'?t hear\b|\bno sound\b|\becho\b|\bcrackl|\bchoppy\b|\brobotic\b|\bhear me\b/i, add: ['audio', 'headset'] },
  { when: /\bdata ?cent(er|re)s?\b|\bservers?\b|\bhosted\b|\bhosting\b|\bwhere is (my|our) data\b/i, add: ['hosting', 'region', 'residency'] },
  { when: /\binternet explorer\b|\bie11\b|\bsafari\b|\bchrome\b|\bfirefox\b|\bedge\b|\bbrowsers?\b/i, add: ['browser', 'supported'] },
];

/** Extra search terms the question implies. */
export function expansionTerms(question: string): string[] {
  return expansionsOf(question).flatMap((e) => e.add);
}

/** Each thesaurus entry a question triggers: the words of the question it matched and the terms they stand for. */
export function expansionsOf(question: string): { matched: string; add: string[] }[] {
  const out: { matched: string; add: string[] }[] = [];
  for (const { when, add, unless } of EXPANSIONS) {
    const m = when.exec(question);
    if (m && !unless?.test(question)) out.push({ matched: m[0], add });
  }
  return out;
}
