import { describe, expect, it } from 'vitest';
import { abcdOpening, abcdRoute, BANKING77_CATEGORIES, banking77Route, clincRoute, clincTextRule } from './mapping.js';

describe('CLINC150 label rules', () => {
  it('sends unrelated domains, banking and credit cards included, out of scope', () => {
    expect(clincRoute('book_flight', 'travel')).toBe('out_of_scope');
    expect(clincRoute('recipe', 'kitchen_and_dining')).toBe('out_of_scope');
    expect(clincRoute('balance', 'banking')).toBe('out_of_scope');
    expect(clincRoute('credit_limit', 'credit_cards')).toBe('out_of_scope');
    expect(clincRoute('oos', undefined)).toBe('out_of_scope');
  });

  it('treats small talk and questions about the assistant as small talk, voice settings as out of scope', () => {
    expect(clincRoute('tell_joke', 'small_talk')).toBe('smalltalk');
    expect(clincRoute('change_ai_name', 'meta')).toBe('smalltalk');
    expect(clincRoute('change_volume', 'meta')).toBe('out_of_scope');
  });

  it('drops dialogue acts that have no route without their context', () => {
    for (const intent of ['yes', 'no', 'maybe', 'cancel', 'repeat']) expect(clincRoute(intent, 'meta')).toBeNull();
  });

  it('routes tracking an order to account unless the message names another shop', () => {
    expect(clincTextRule('track my package please', 'order_status', 'home')).toBe('account');
    expect(clincTextRule('can you check on the status of my orders at amazon', 'order_status', 'home')).toBeNull();
    expect(clincTextRule('order me more paper towels', 'order', 'home')).toBe('out_of_scope');
  });

  it('refuses an intent no rule covers instead of guessing', () => {
    expect(() => clincRoute('teleport', 'magic')).toThrow(/no mapping rule/);
  });
});

describe('Banking77 label rules', () => {
  it('knows all 77 categories exactly once', () => {
    expect(BANKING77_CATEGORIES).toHaveLength(77);
    expect(new Set(BANKING77_CATEGORIES).size).toBe(77);
  });

  it('maps what any merchant could be asked by its route and what only a bank can answer out of scope', () => {
    expect(banking77Route('Refund_not_showing_up')).toBe('account');
    expect(banking77Route('edit_personal_details')).toBe('account');
    expect(banking77Route('passcode_forgotten')).toBe('faq');
    expect(banking77Route('transaction_charged_twice')).toBe('escalation');
    expect(banking77Route('card_payment_not_recognised')).toBe('escalation');
    expect(banking77Route('top_up_failed')).toBe('out_of_scope');
    expect(banking77Route('exchange_rate')).toBe('out_of_scope');
    expect(banking77Route('declined_card_payment')).toBeNull();
    expect(() => banking77Route('make_tea')).toThrow(/no mapping rule/);
  });
});

describe('ABCD label rules', () => {
  it('maps flows with their subflow exceptions', () => {
    expect(abcdRoute('account_access', 'recover_password')).toBe('faq');
    expect(abcdRoute('product_defect', 'refund_status')).toBe('account');
    expect(abcdRoute('shipping_issue', 'status')).toBe('account');
    expect(abcdRoute('shipping_issue', 'cost')).toBe('faq');
    expect(abcdRoute('subscription_inquiry', 'manage_dispute_bill')).toBe('escalation');
    expect(abcdRoute('purchase_dispute', 'mistimed_billing_never_bought')).toBe('escalation');
    expect(abcdRoute('purchase_dispute', 'out_of_stock_one_item')).toBe('faq');
    expect(() => abcdRoute('time_travel', 'paradox')).toThrow(/no mapping rule/);
  });

  it("takes the customer's opening request, skipping greetings and stopping at the agent's question", () => {
    const turns: [string, string][] = [
      ['agent', 'Hi!'],
      ['agent', 'How can I help you?'],
      ['customer', 'Hello!'],
      ['customer', 'I need to return an item,'],
      ['customer', 'can you help me with that?'],
      ['agent', 'sure, may I have your name please?'],
      ['customer', 'Crystal Minh'],
    ];
    expect(abcdOpening(turns)).toBe('I need to return an item, can you help me with that?');
  });

  it('gives no opening when the customer only greets before the agent asks', () => {
    expect(
      abcdOpening([
        ['customer', 'hi there'],
        ['agent', 'how can I help?'],
        ['customer', 'my order is late'],
      ]),
    ).toBe('my order is late');
    expect(
      abcdOpening([
        ['customer', 'hi'],
        ['customer', 'ok'],
      ]),
    ).toBeNull();
  });
});
