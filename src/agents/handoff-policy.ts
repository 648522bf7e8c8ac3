import { z } from 'zod';

// When a conversation goes to a person. A ticket is opened only when the customer asks for a person,
// accepts the assistant's offer of one, or a written policy below demands it; anything else routed
// to escalation gets help and the offer. The server decides this for every turn (decideHandoff), and
// create_ticket refuses without that decision, so no model can open a ticket on its own word.

/** The written policies that put a person on a conversation at once, each its reason code. */
export const POLICY_REASONS = ['legal_threat', 'security_incident', 'payment_dispute', 'data_protection', 'service_outage'] as const;
export type PolicyReason = (typeof POLICY_REASONS)[number];

/**
 * Why a conversation is handed to a human (the handoff reasons analytics count). The first four are
 * what tickets opened before the policy carry; new tickets get a policy reason, customer_request or
 * accepted_offer.
 */
export const HANDOFF_REASONS = ['billing_dispute', 'account_change', 'dissatisfied', 'urgent_issue', ...POLICY_REASONS, 'customer_request', 'accepted_offer'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** What a ticket's reason means, for the summary staff read. */
export const REASON_LABELS: Record<HandoffReason, string> = {
  billing_dispute: 'Billing dispute',
  account_change: 'Account change',
  dissatisfied: 'Dissatisfied customer',
  urgent_issue: 'Urgent issue',
  legal_threat: 'Legal threat (policy: a person at once)',
  security_incident: 'Security incident (policy: a person at once)',
  payment_dispute: 'Payment dispute: chargeback, fraud or unauthorised charge (policy: a person at once)',
  data_protection: 'Data-protection request: erasure or access (policy: a person at once)',
  service_outage: 'Service outage (policy: a person at once)',
  customer_request: 'The customer asked for a person',
  accepted_offer: 'The customer accepted the offer of a person',
};

/** The question that ends the assistant's offer of a person, and its quick replies. */
export const OFFER_QUESTION = 'Would you like me to connect you with someone?';
export const OFFER_QUICK_REPLIES = ['Yes, connect me', 'No, thanks'] as const;

/** What the assistant's message waits for from the customer's next one (stored as messages.follow_up). */
export const followUpSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('handoff_offer') }),
  z.object({ kind: z.literal('ask_email'), reason: z.enum(HANDOFF_REASONS), attempt: z.number().int().min(0) }),
]);
export type FollowUp = z.output<typeof followUpSchema>;

const POLICIES: { reason: PolicyReason; patterns: RegExp[] }[] = [
  {
    reason: 'legal_threat',
    patterns: [
      /\b(my |our )?(lawyers?|attorneys?|solicitors?)\b/i,
      /\b(legal action|legal proceedings|lawsuits?|law suit|class action|small claims( court)?)\b/i,
      /\b(sue|suing) (you|your|the company|switchboard)\b/i,
      /\b(take|taking|see) (you|this|it|them) (to|in) court\b/i,
      /\b(abogad[oa]s?|demandar(les|los)?|avocats?|poursuites? judiciaires?|anwalt|anw[aä]ltin|verklagen|advogad[oa]s?|processar|avvocat[oi]|advocaat|rechtszaak)\b/i,
    ],
  },
  {
    reason: 'security_incident',
    patterns: [
      /\b(was|been|got|is|has been|were|have been) (hacked|compromised)\b/i,
      /\b(hacked|compromised) (account|accounts|password|api key)\b/i,
      /\bunauthori[sz]ed (access|log ?ins?|logins?|sign[- ]?ins?|activity|users?|devices?)\b/i,
      /\bsomeone (else )?(has )?(logged in(to)?|log(ged)? into|signed in(to)?|accessed|got into|broke into|is using|has access to) (to |into )?(my|our)\b/i,
      /\b(leaked|exposed|stolen) (my |our )?(passwords?|credentials|api keys?|tokens?|customer data)\b/i,
      /\b(phishing|phished)\b/i,
      /(?<!(against|prevent|prevents|handle|about|policy on|policy for) (a |an )?)\b(security (breach|incident)|data breach)\b/i,
      /\b(gehackt|hackeado|hackeada|me hackearon|piraté|pirate|hackerato|invadida)\b/i,
    ],
  },
  {
    reason: 'payment_dispute',
    patterns: [
      /\bcharge ?backs?\b/i,
      /(?<!(against|prevent|prevention of|about) )\bfraud(ulent)?\b/i,
      /\bunauthori[sz]ed (charges?|payments?|transactions?|debits?|purchases?|withdrawals?)\b/i,
      /\b(charges?|payments?|transactions?|purchases?|debits?) (that )?(i|we) (didn'?t|did not|never) (make|made|authori[sz]e|recogni[sz]e|approve)\b/i,
      /\b(don'?t|do not) recogni[sz]e (this|the|a|that|these) (charges?|payments?|transactions?)\b/i,
      /\bdispute (the|this|a|my|that) (charge|payment|transaction|bill|debit)\b/i,
      /\b(card|credit card) (was|has been|got) stolen\b/i,
      /\b(contracargos?|fraude|cargo no autorizado|pr[ée]l[èe]vement non autoris[ée]|r[ée]trofacturation|betrug|nicht autorisierte (abbuchung|zahlung)|r[üu]ckbuchung|estorno|frode|addebito non autorizzato|terugboeking)\b/i,
    ],
  },
  {
    reason: 'data_protection',
    patterns: [
      /\b(gdpr|dsgvo|rgpd|ccpa|avg)\b.*\b(delete|deletion|erase|erasure|remove|access|copy|export|request|forget|forgotten|my data|art(icle)?\.? ?(15|17))\b/i,
      /\b(delete|deletion|erase|erasure|remove|access|copy|export|request|forget|forgotten|my data)\b.*\b(gdpr|dsgvo|rgpd|ccpa)\b/i,
      /\bright (to be forgotten|to erasure|of access|to access my)\b/i,
      /\b(data subject access request|subject access request|dsar)\b/i,
      /\b(delete|erase|remove|wipe|purge) (all )?(of )?(my|our) (personal )?(data|information|info|details)\b/i,
      /\b(copy|export) of (all )?(my|the) personal (data|information)\b/i,
      /\bwhat (personal )?(data|information) (do you|you) (hold|have|store|keep) (on|about) (me|us)\b/i,
    ],
  },
  {
    reason: 'service_outage',
    patterns: [
      /\b(outage|outages)\b/i,
      /\b(site|website|service|app|api|dashboard|platform|switchboard|everything|server|servers|login page|checkout)( is| are| seems| seem| has| went| keeps going)?( to be)?( completely| totally)? (down|offline|unreachable)\b/i,
      /\bdown for (everyone|all of us|the whole team|all users)\b/i,
      /\b(50[023]|internal server) errors?\b.*\b(everywhere|all|every|whole|nothing)\b/i,
      /\b(ausfall|störung|st[oö]rung|ca[ií]da del servicio|panne|fora do ar|disservizio|storing)\b/i,
    ],
  },
];

// A how-to question about data protection is the help center's ("how do I delete my data?"); a request is a person's.
const HOW_TO = /^\s*(how (do|can|would|should) (i|we|you)|is there a way|what is your|what's your|do you have a)\b/i;

/** The written policy a message falls under, if any (the reason a person must take it at once). */
export function policyReason(text: string): PolicyReason | null {
  for (const p of POLICIES) {
    if (p.reason === 'data_protection' && HOW_TO.test(text)) continue;
    if (p.patterns.some((re) => re.test(text))) return p.reason;
  }
  return null;
}

// Explicit requests for a person, clause by clause, in the languages customers write in most.
const WHO_EN =
  '(a |an |the |your |some |one of your |a real |a live |an actual |real |live )?(human( being)?|person|agent|representative|rep|operator|manager|supervisor|someone|somebody|staff|employee|member of (your|the) (team|staff)|support (team|agent|person)|team member|customer (service|support)( team| agent)?)';
// After "I want / I need": a person, not "the manager role" or "the staff to have access".
const WHO_ASKED =
  '(a |an |some |a real |a live |an actual |real |live )?(human( being)?|person|agent|representative|rep|operator|manager|supervisor|someone|somebody|support (agent|person)|customer (service|support) (agent|rep|representative))\\b(?! (role|roles|access|permissions?|account|seat|seats|invite|to have))';
const ASK_PATTERNS: RegExp[] = [
  // English
  new RegExp(`\\b(speak|talk|chat|connect|transfer|put|pass|hand|forward|escalate|redirect|route)( me| this| it| my (case|issue|request))?( over)? (to|with|through to|me to)? ?${WHO_EN}\\b`, 'i'),
  new RegExp(`\\b(want|need|request|prefer|like|get me|give me|find me)( to have| to get)? ${WHO_ASKED}`, 'i'),
  /\b(real|live|actual) (person|human|agent|people)\b/i,
  /\b(human|live) (agent|support|being|help)\b/i,
  /^\s*(a )?(human|person|agent|representative|operator|real person|someone)( please| pls| plz| now)?[.!\s]*$/i,
  /\b(human|agent|representative|operator|person) (please|pls|plz|now)\b/i,
  /\b(call|phone|ring) me( back)?\b/i,
  /\bcan (someone|somebody|a person|a human|your team|someone from your team) (call|contact|email|help|get back to|reach) (me|us)\b/i,
  /\bescalate (this|my|it|the)\b/i,
  // Spanish
  /\b(hablar|comunicarme|contactar|chatear) con (una persona|un humano|un ser humano|un agente|alguien|un representante|un asesor|un operador|una persona real|atenci[oó]n al cliente)\b/i,
  /\b(quiero|necesito|prefiero) (una persona|un humano|un agente|un asesor|un operador|un representante)\b/i,
  /\bp[aá]s[ae]me con\b/i,
  /\batenci[oó]n humana\b/i,
  // French
  /\bparler (à|a|avec) (une personne|un humain|un [eê]tre humain|un agent|quelqu['’]un|un conseiller|une conseill[eè]re|un op[ée]rateur|une vraie personne|le service client)\b/i,
  /\b(je veux|je voudrais|j['’]aimerais|il me faut) (un humain|un conseiller|une personne|un agent|un op[ée]rateur)\b/i,
  /\b(mettez|mets)[- ]moi en (relation|contact) avec\b/i,
  /\bpasse[rz]?[- ]moi (un|une) (conseill|agent|humain|personne)/i,
  // German
  /\bmit (einem (echten )?(menschen|mitarbeiter|berater|kundenberater|agenten|support-mitarbeiter)|einer (echten )?(person|mitarbeiterin|beraterin)|jemandem)\b.{0,30}\b(sprechen|reden|verbinden|chatten|verbunden)\b/i,
  /\b(verbinden sie mich|verbinde mich)\b/i,
  /\bich (will|möchte|moechte|brauche) (einen )?(echten )?(menschen|mitarbeiter|berater)\b/i,
  // Portuguese
  /\bfalar com (uma pessoa|um humano|um ser humano|um atendente|uma atendente|algu[eé]m|um agente|um representante|um operador|uma pessoa real)\b/i,
  /\b(quero|preciso de|prefiro) (uma pessoa|um atendente|um humano|um agente)\b/i,
  /\batendimento humano\b/i,
  // Italian
  /\bparlare con (una persona|un operatore|un'operatrice|un umano|un essere umano|qualcuno|un agente|un consulente|una persona reale)\b/i,
  /\b(voglio|vorrei) (un operatore|una persona|un umano)\b/i,
  // Dutch
  /\b(spreken|praten|chatten) met (een )?(mens|medewerker|persoon|iemand|echte persoon|klantenservice)\b/i,
  /\bmet (een )?(mens|medewerker|iemand|echt persoon|echte persoon|persoon) (spreken|praten|chatten)\b/i,
  /\bverbind (me|mij) (door )?met\b/i,
];

// A clause that says the customer does NOT want a person ("I don't need a person", "sin agente").
const NEGATED =
  /\b(don'?t|do not|doesn'?t|does not|didn'?t|no need|not|never|without|no longer|rather not|no quiero|no necesito|sin|pas besoin|ne veux pas|n'ai pas besoin|sans|nicht|kein|keinen|keine|n[aã]o quero|n[aã]o preciso|sem|non voglio|non ho bisogno|senza|niet|geen|zonder)\b/i;
// Questions about the assistant, not requests ("are you a real person?").
const ABOUT_THE_BOT = /\b(are you|is this|am i (talking|speaking|chatting) (to|with)) (a |an )?(real|human|bot|robot|ai|person|machine|live)\b/i;

/** True when the message asks, in so many words, for a human (en, es, fr, de, pt, it, nl); a negated ask is not one. */
export function asksForPerson(text: string): boolean {
  const clauses = text.split(/[.!?;,\n]+|\b(?:but|pero|mais|aber|mas|ma|maar)\b/i);
  return clauses.some((clause) => {
    if (!ASK_PATTERNS.some((re) => re.test(clause))) return false;
    if (NEGATED.test(clause)) return false;
    if (ABOUT_THE_BOT.test(clause) && !/\b(want|need|let me|can i|could i|please)\b/i.test(clause)) return false;
    return true;
  });
}

/** Lowercased words of a short answer, accents kept, punctuation and emoji dropped. */
function words(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const YES_FIRST = new Set([
  'yes',
  'yeah',
  'yea',
  'yep',
  'yup',
  'ya',
  'y',
  'sure',
  'ok',
  'okay',
  'k',
  'please',
  'absolutely',
  'definitely',
  'certainly',
  'alright',
  'connect',
  'go',
  'do',
  'sounds',
  'that',
  'id',
  'i',
  'si',
  'sí',
  'claro',
  'vale',
  'oui',
  'daccord',
  'volontiers',
  'ja',
  'jawohl',
  'gerne',
  'gern',
  'sim',
  'pode',
  'sì',
  'certo',
  'graag',
  'prima',
  'yess',
  'yesss',
]);
const YES_FILLER = new Set([
  ...YES_FIRST,
  'pls',
  'plz',
  'thanks',
  'thank',
  'you',
  'thx',
  'me',
  'to',
  'with',
  'someone',
  'somebody',
  'a',
  'an',
  'the',
  'person',
  'human',
  'agent',
  'ahead',
  'it',
  'would',
  'be',
  'great',
  'good',
  'nice',
  'like',
  'love',
  'of',
  'course',
  'now',
  'that',
  'works',
  'fine',
  'por',
  'favor',
  'gracias',
  'merci',
  'sil',
  'vous',
  'plaît',
  'plait',
  'bien',
  'sûr',
  'sur',
  'danke',
  'bitte',
  'obrigado',
  'obrigada',
  'ser',
  'grazie',
  'per',
  'favore',
  'bedankt',
  'dank',
  'je',
  'alstublieft',
  'graag',
  'va',
  'bene',
]);
const YES_PHRASES = [
  /^(sounds good|that would be (great|good|nice|helpful)|go ahead|please do|do it|id like that|i would|i would like that|yes please|of course|por favor|bien s[uû]r|va bene|pode ser)\b/,
];

/** True when a short answer to the offer of a person says yes ("yes", "sure", "yes please", "Yes, connect me", "oui", "ja gerne"). */
export function isAffirmative(text: string): boolean {
  if (text.includes('?') && !/^\s*(yes|sure|ok|okay)\b[^?]{0,20}\?\s*$/i.test(text)) return false;
  const w = words(text);
  if (w.length === 0 || w.length > 8) return false;
  if (w.some((x) => NO_WORDS.has(x)) || NEGATED.test(text)) return false;
  const joined = w.join(' ');
  const starts = YES_FIRST.has(w[0]!) && !['i', 'that', 'do', 'go', 'sounds', 'connect', 'id', 'pode'].includes(w[0]!);
  if (!(starts || YES_PHRASES.some((re) => re.test(joined)) || /^(please )?connect me\b/.test(joined))) return false;
  return w.every((x) => YES_FILLER.has(x));
}

const NO_WORDS = new Set(['no', 'nope', 'nah', 'nein', 'non', 'não', 'nao', 'nee', 'niet', 'neen']);
const NO_FILLER = new Set([
  ...NO_WORDS,
  'thanks',
  'thank',
  'you',
  'thx',
  'need',
  'not',
  'now',
  'im',
  'i',
  'am',
  'fine',
  'good',
  'ok',
  'okay',
  'thats',
  'that',
  'is',
  'all',
  'right',
  'it',
  'just',
  'for',
  'really',
  'later',
  'maybe',
  'necessary',
  'needed',
  'worries',
  'problem',
  'never',
  'mind',
  'dont',
  'do',
  'want',
  'to',
  'ill',
  'pass',
  'gracias',
  'merci',
  'danke',
  'obrigado',
  'obrigada',
  'grazie',
  'bedankt',
  'dank',
  'je',
  'es',
  'necesario',
  'pas',
  'besoin',
  'ça',
  'va',
  'nötig',
  'noetig',
  'precisa',
  'serve',
  'hoeft',
  'niet',
  'nodig',
  'sinon',
]);

/** True when a short answer to the offer of a person says no ("no", "no thanks", "not now", "I'm fine", "nein danke"). */
export function isNegative(text: string): boolean {
  if (text.includes('?')) return false;
  const w = words(text);
  if (w.length === 0 || w.length > 8) return false;
  const joined = w.join(' ');
  const starts =
    NO_WORDS.has(w[0]!) ||
    /^(not (now|really|needed|necessary)|im (fine|good|ok|okay)|i am (fine|good)|thats (ok|okay|fine|all)|never mind|maybe later|no need|all good|ill pass|i dont want to)\b/.test(joined);
  return starts && w.every((x) => NO_FILLER.has(x));
}

const EMAIL = /[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}/;
const emailCheck = z.email();

/** The first valid email address in a message, or null. */
export function emailIn(text: string): string | null {
  const found = EMAIL.exec(text)?.[0];
  if (!found) return null;
  return emailCheck.safeParse(found).success ? found : null;
}

/** What the server decides about a person for this turn. Only `ticket` lets create_ticket open one. */
export type HandoffDecision =
  | { kind: 'ticket'; reason: HandoffReason; contactEmail?: string }
  | { kind: 'offer' }
  | { kind: 'ask_email'; reason: HandoffReason; attempt: number }
  | { kind: 'decline' }
  | { kind: 'none' };

/** What decideHandoff reads about the turn. */
export interface HandoffInput {
  /** The customer's message. */
  text: string;
  /** What the assistant's previous message waits for (an offer, an email), if anything. */
  pending: FollowUp | null;
  /** No signed-in customer: an email address comes before the ticket. */
  anonymous: boolean;
  /** The conversation already waits for a person (its ticket is open). */
  waiting: boolean;
  /** The route the router chose; absent before routing. */
  route?: string;
}

/** How many times an anonymous visitor is asked again for an email address before the ticket opens without one. */
export const EMAIL_RETRIES = 1;

/**
 * Decides the turn's handoff: a ticket (the customer asked, accepted the offer, or a policy demands
 * it), an email address first (anonymous visitors), the offer of a person (the router chose
 * escalation without any of these), a declined offer, or nothing (route as usual).
 */
export function decideHandoff(input: HandoffInput): HandoffDecision {
  const { text, pending, anonymous, waiting } = input;
  const ticket = (reason: HandoffReason): HandoffDecision => (anonymous && !waiting ? { kind: 'ask_email', reason, attempt: 0 } : { kind: 'ticket', reason });

  if (pending?.kind === 'ask_email') {
    const email = emailIn(text);
    if (email) return { kind: 'ticket', reason: pending.reason, contactEmail: email };
    // A refusal to leave an address opens the ticket without one (the team answers in the conversation).
    if (isNegative(text)) return { kind: 'ticket', reason: pending.reason };
    // A new question instead of an address: the ask lapses and the message is answered as usual.
    if (text.includes('?') && words(text).length > 3 && !asksForPerson(text)) return { kind: 'none' };
    if (pending.attempt < EMAIL_RETRIES) return { kind: 'ask_email', reason: pending.reason, attempt: pending.attempt + 1 };
    return { kind: 'ticket', reason: pending.reason };
  }
  if (pending?.kind === 'handoff_offer') {
    if (isAffirmative(text)) return ticket('accepted_offer');
    if (isNegative(text)) return { kind: 'decline' };
  }
  const policy = policyReason(text);
  if (policy) return ticket(policy);
  if (asksForPerson(text)) return ticket('customer_request');
  if (input.route === 'escalation') return waiting ? { kind: 'ticket', reason: 'customer_request' } : { kind: 'offer' };
  return { kind: 'none' };
}
