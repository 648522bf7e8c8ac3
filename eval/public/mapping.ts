/**
 * Written rules from each public data set's labels to Switchboard's routes. The company is
 * Switchboard Demo Co: a SaaS (Starter / Pro / Business / Enterprise plans) that also sells headsets
 * and desk phones, bills by card and invoice, and ships hardware. A label maps to the route the
 * message should take if a customer sent it to that company's support chat:
 *
 * - `account`: look up or act on the customer's own orders, invoices, subscriptions, refunds or
 *   profile (track an order or a refund, cancel or change an order, change an address, a charge on
 *   one's own bill, change plan, close one's account).
 * - `faq`: general how-to and policy questions a help center answers (delivery times, shipping
 *   cost, refund and return policy, payment methods, how to reset a password, product questions).
 * - `escalation`: asks for a person, complaints, disputes of a charge, fraud and security incidents,
 *   legal threats.
 * - `smalltalk`: chit-chat, greetings, thanks, questions about the assistant itself.
 * - `out_of_scope`: everything unrelated to the business, including requests that only make sense
 *   to another kind of company (a bank's cards, top-ups, transfers and cash; travel, cooking, cars,
 *   weather, a personal assistant's tasks, restaurants, flights …).
 *
 * `null` drops the label: no single route fits its messages (the reason is written beside it).
 * Labels are mapped per label, not per message, so a few messages of a label sit uneasily with
 * its route; the rules say which way each label was decided.
 */
import type { Route } from '../../src/llm/offline/routes.js';

/** A label's route, or null with the reason it is left out. */
export type Mapped = Route | null;

// ---------------------------------------------------------------- CLINC150 (clinc/oos-eval)

/** CLINC150 domains whose every intent is unrelated to the business. */
const CLINC_OUT_OF_SCOPE_DOMAINS = ['travel', 'kitchen_and_dining', 'auto_and_commute', 'home', 'utility', 'work', 'banking', 'credit_cards'] as const;

/**
 * CLINC150 intents decided one by one; every other intent takes its domain's rule.
 * - `banking` and `credit_cards` are out of scope: CLINC's messages speak to a personal assistant
 *   about the user's accounts at named banks and card issuers ("check chase bank for my checking
 *   balance", "when is my gas bill due"), not to a vendor about its own bills.
 * - `home` is out of scope except `order_status` ("track my package", "what's going on with my
 *   order"): tracking one's order is `account` here. Its messages that name another shop (Amazon,
 *   Walmart, Target …) are dropped one by one (see `clincTextRule`).
 * - `small_talk` is `smalltalk`, and so are the `meta` intents that talk about the assistant or the
 *   conversation (its name, the user's name, its language).
 * - `meta` voice-device settings (speed, volume, accent, whisper mode, syncing a device, resetting
 *   settings) are `out_of_scope`: a chat support desk has no such controls.
 * - `meta` dialogue acts `yes`, `no`, `maybe`, `cancel`, `repeat` are dropped: alone, without the
 *   turn they answer, they have no route.
 * - `oos` (CLINC's own out-of-scope class) is `out_of_scope`.
 */
const CLINC_INTENTS: Record<string, Mapped> = {
  order_status: 'account',
  user_name: 'smalltalk',
  change_user_name: 'smalltalk',
  change_ai_name: 'smalltalk',
  change_language: 'smalltalk',
  change_speed: 'out_of_scope',
  change_volume: 'out_of_scope',
  change_accent: 'out_of_scope',
  whisper_mode: 'out_of_scope',
  sync_device: 'out_of_scope',
  reset_settings: 'out_of_scope',
  yes: null,
  no: null,
  maybe: null,
  cancel: null,
  repeat: null,
  oos: 'out_of_scope',
};

/** Shops other than ours: an order tracked at one of them is not our account's business. */
const OTHER_SHOPS = /\b(amazon|walmart|target|ebay|best ?buy|costco|etsy|wayfair|home depot|macy'?s|kohl'?s|fedex|ups|usps)\b/i;

/** The route of a CLINC150 intent of a domain (null: dropped). */
export function clincRoute(intent: string, domain: string | undefined): Mapped {
  if (intent in CLINC_INTENTS) return CLINC_INTENTS[intent]!;
  if (domain === 'small_talk') return 'smalltalk';
  if (domain && (CLINC_OUT_OF_SCOPE_DOMAINS as readonly string[]).includes(domain)) return 'out_of_scope';
  throw new Error(`CLINC150 intent "${intent}" (domain ${domain ?? 'unknown'}) has no mapping rule`);
}

/** The route of one CLINC150 message: its intent's route, except `order_status` messages naming another shop (dropped). */
export function clincTextRule(text: string, intent: string, domain: string | undefined): Mapped {
  if (intent === 'order_status' && OTHER_SHOPS.test(text)) return null;
  return clincRoute(intent, domain);
}

// ---------------------------------------------------------------- Banking77 (PolyAI-LDN/task-specific-datasets)

/**
 * Banking77 is written to a bank's own support. Rule: a message that only makes sense to a bank
 * (its cards, PINs, top-ups, transfers, cash and ATMs, exchange rates, identity checks) is
 * `out_of_scope` for us; a message any merchant that bills a card could receive takes the route it
 * would take here:
 * - a refund (asking for one, tracking one) and a charge or fee on one's own statement → `account`;
 * - changing one's personal details, closing one's account → `account`;
 * - a forgotten password, which countries are served, the minimum age → `faq`;
 * - a payment charged twice, a payment or direct debit the customer does not recognise, a card
 *   used by someone else, a stolen phone with access to the account → `escalation` (dispute, fraud,
 *   security incident).
 * Dropped: `declined_card_payment`, `pending_card_payment`, `reverted_card_payment?` mix "my card
 * does not work in stores" (a bank's business) with "my payment to you failed" (ours), and
 * `card_payment_wrong_exchange_rate` / `wrong_exchange_rate_for_cash_withdrawal` are foreign-exchange
 * disputes of a bank; neither reading is safe for the whole label.
 */
const BANKING77: Record<string, Mapped> = {
  request_refund: 'account',
  Refund_not_showing_up: 'account',
  extra_charge_on_statement: 'account',
  card_payment_fee_charged: 'account',
  edit_personal_details: 'account',
  terminate_account: 'account',
  passcode_forgotten: 'faq',
  country_support: 'faq',
  age_limit: 'faq',
  transaction_charged_twice: 'escalation',
  card_payment_not_recognised: 'escalation',
  direct_debit_payment_not_recognised: 'escalation',
  compromised_card: 'escalation',
  lost_or_stolen_phone: 'escalation',
  declined_card_payment: null,
  pending_card_payment: null,
  'reverted_card_payment?': null,
  card_payment_wrong_exchange_rate: null,
  wrong_exchange_rate_for_cash_withdrawal: null,
};

/** Banking77's categories whose messages only a bank can answer (see `BANKING77`). */
const BANKING77_BANK_ONLY = new Set([
  'activate_my_card',
  'apple_pay_or_google_pay',
  'atm_support',
  'automatic_top_up',
  'balance_not_updated_after_bank_transfer',
  'balance_not_updated_after_cheque_or_cash_deposit',
  'beneficiary_not_allowed',
  'cancel_transfer',
  'card_about_to_expire',
  'card_acceptance',
  'card_arrival',
  'card_delivery_estimate',
  'card_linking',
  'card_not_working',
  'card_swallowed',
  'cash_withdrawal_charge',
  'cash_withdrawal_not_recognised',
  'change_pin',
  'contactless_not_working',
  'declined_cash_withdrawal',
  'declined_transfer',
  'disposable_card_limits',
  'exchange_charge',
  'exchange_rate',
  'exchange_via_app',
  'failed_transfer',
  'fiat_currency_support',
  'get_disposable_virtual_card',
  'get_physical_card',
  'getting_spare_card',
  'getting_virtual_card',
  'lost_or_stolen_card',
  'order_physical_card',
  'pending_cash_withdrawal',
  'pending_top_up',
  'pending_transfer',
  'pin_blocked',
  'receiving_money',
  'supported_cards_and_currencies',
  'top_up_by_bank_transfer_charge',
  'top_up_by_card_charge',
  'top_up_by_cash_or_cheque',
  'top_up_failed',
  'top_up_limits',
  'top_up_reverted',
  'topping_up_by_card',
  'transfer_fee_charged',
  'transfer_into_account',
  'transfer_not_received_by_recipient',
  'transfer_timing',
  'unable_to_verify_identity',
  'verify_my_identity',
  'verify_source_of_funds',
  'verify_top_up',
  'virtual_card_not_working',
  'visa_or_mastercard',
  'why_verify_identity',
  'wrong_amount_of_cash_received',
]);

/** The route of a Banking77 category (null: dropped). */
export function banking77Route(category: string): Mapped {
  if (category in BANKING77) return BANKING77[category]!;
  if (BANKING77_BANK_ONLY.has(category)) return 'out_of_scope';
  throw new Error(`Banking77 category "${category}" has no mapping rule`);
}

/** Every Banking77 category the rules know (77). */
export const BANKING77_CATEGORIES: readonly string[] = [...Object.keys(BANKING77), ...BANKING77_BANK_ONLY];

// ---------------------------------------------------------------- ABCD (asappresearch/abcd)

/**
 * ABCD dialogues are customers of an online clothing store talking to its agents; the store's
 * business (orders, shipping, returns, refunds, a subscription, a site) is close to ours. By flow,
 * with subflow exceptions:
 * - `account_access` (recover a username or password, reset 2FA) → `faq` (a help-center how-to);
 * - `manage_account`, `order_issue`, `product_defect` (refunds and returns), `subscription_inquiry`
 *   → `account` (the customer's own records), except `manage_dispute_bill` → `escalation`;
 * - `shipping_issue` → `account` (the customer's own shipment), except `cost` → `faq`;
 * - `purchase_dispute`: `mistimed_billing_*` (charged for something returned or never bought) and
 *   `bad_price_*` (price-match claims) → `escalation` (disputes); `promo_code_*` → `account` (a code
 *   on one's own order); `out_of_stock_*` → `faq` (product availability);
 * - `single_item_query`, `storewide_query` → `faq`;
 * - `troubleshoot_site` (card rejected at checkout, cart, search, slow site) → `faq`
 *   (troubleshooting steps a help center gives).
 */
const ABCD_FLOWS: Record<string, Route> = {
  account_access: 'faq',
  manage_account: 'account',
  order_issue: 'account',
  product_defect: 'account',
  subscription_inquiry: 'account',
  shipping_issue: 'account',
  purchase_dispute: 'escalation',
  single_item_query: 'faq',
  storewide_query: 'faq',
  troubleshoot_site: 'faq',
};
const ABCD_SUBFLOWS: Record<string, Route> = {
  manage_dispute_bill: 'escalation',
  cost: 'faq',
  promo_code_invalid: 'account',
  promo_code_out_of_date: 'account',
  out_of_stock_general: 'faq',
  out_of_stock_one_item: 'faq',
};

/** The route of an ABCD dialogue's flow and subflow. */
export function abcdRoute(flow: string, subflow: string): Route {
  const route = ABCD_SUBFLOWS[subflow] ?? ABCD_FLOWS[flow];
  if (!route) throw new Error(`ABCD flow "${flow}" / subflow "${subflow}" has no mapping rule`);
  return route;
}

/** Customer turns that are only a greeting or a courtesy carry no request. */
const GREETING_ONLY = /^(hi+|hello|hey|hiya|good (morning|afternoon|evening|day)|greetings|yes|no|ok(ay)?|thanks?( you)?|sure)[\s!.,?]*(there|everyone|team)?[\s!.,?]*$/i;

/**
 * The customer's opening request in an ABCD dialogue: the customer's turns before the agent's
 * first question after the customer spoke, with greeting-only turns left out. Null when the
 * customer never says more than a greeting before the agent asks something.
 */
export function abcdOpening(turns: readonly (readonly [string, string])[]): string | null {
  const parts: string[] = [];
  for (const [speaker, text] of turns) {
    if (speaker === 'customer') {
      if (!GREETING_ONLY.test(text.trim())) parts.push(text.trim());
    } else if (speaker === 'agent' && parts.length > 0) break;
  }
  const opening = parts.join(' ').trim();
  return opening.split(/\s+/).length >= 3 ? opening : null;
}

// ---------------------------------------------------------------- Schema-Guided Dialogue

/**
 * Schema-Guided Dialogue (SGD): users ask a virtual assistant to find restaurants, book flights,
 * hotels, cars, movies, music, events, transfer money through a bank or payment app, and so on.
 * Every service is unrelated to Switchboard Demo Co, so every request is `out_of_scope`. Taken: the
 * user's first turn of each dialogue when it already names a task (its frame has an active intent);
 * generic openers ("can you help me with something?") are dropped because they have no route.
 */
export const SGD_ROUTE: Route = 'out_of_scope';
