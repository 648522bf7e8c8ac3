import { describe, expect, it } from 'vitest';
import { asksForPerson, decideHandoff, emailIn, HANDOFF_REASONS, isAffirmative, isNegative, policyReason } from './handoff-policy.js';

describe('written handoff policies', () => {
  it.each([
    ['legal_threat', 'If this is not fixed by Friday my lawyer will be in touch.'],
    ['legal_threat', "I'm going to sue you for this."],
    ['legal_threat', 'We are considering legal action over the lost shipment.'],
    ['legal_threat', 'Voy a hablar con mi abogado.'],
    ['security_incident', 'I think my account was hacked, there are logins from Brazil.'],
    ['security_incident', 'Someone logged into my account and changed the email.'],
    ['security_incident', 'We leaked our API key on GitHub, please help.'],
    ['security_incident', 'Mein Konto wurde gehackt.'],
    ['payment_dispute', 'I am filing a chargeback with my bank.'],
    ['payment_dispute', 'There is an unauthorized charge on my card from you.'],
    ['payment_dispute', "I see a payment I didn't make."],
    ['payment_dispute', 'This is fraud, I never signed up.'],
    ['payment_dispute', 'Hay un cargo no autorizado en mi tarjeta.'],
    ['data_protection', 'Under GDPR I request that you delete all my data.'],
    ['data_protection', 'Please erase my personal data.'],
    ['data_protection', 'I am making a subject access request for everything you hold on me.'],
    ['data_protection', 'I want to exercise my right to be forgotten.'],
    ['service_outage', 'Your API is down, every call returns 503.'],
    ['service_outage', 'Is there an outage? Nothing loads.'],
    ['service_outage', 'The dashboard is completely down for the whole team.'],
  ] as const)('%s: %s', (reason, text) => {
    expect(policyReason(text)).toBe(reason);
  });

  it.each([
    'How long does shipping take?',
    'How do I delete my data?',
    'What is your GDPR policy?',
    'How do you protect against a data breach?',
    'What do you do about fraud prevention?',
    'I was charged twice for my subscription.',
    'Can I change my plan?',
    'My order is late.',
    'The price went down, can I get the difference?',
  ])('no policy: %s', (text) => {
    expect(policyReason(text)).toBeNull();
  });

  it('keeps every reason analytics count, old and new', () => {
    for (const r of [
      'billing_dispute',
      'account_change',
      'dissatisfied',
      'urgent_issue',
      'legal_threat',
      'security_incident',
      'payment_dispute',
      'data_protection',
      'service_outage',
      'customer_request',
      'accepted_offer',
    ]) {
      expect(HANDOFF_REASONS).toContain(r);
    }
  });
});

describe('asksForPerson', () => {
  it.each([
    'I want to speak to a person',
    'Can I talk to a human please?',
    'connect me with an agent',
    'I need a real person, this bot is useless',
    'Transfer me to a representative.',
    'human please',
    'Agent',
    'Please escalate this to your support team.',
    'Can someone call me back?',
    'Quiero hablar con una persona.',
    'Necesito un agente, por favor',
    'Je voudrais parler à un conseiller.',
    "Est-ce que je peux parler à quelqu'un ?",
    'Ich möchte mit einem Mitarbeiter sprechen.',
    'Verbinden Sie mich bitte mit einem Menschen.',
    'Quero falar com um atendente.',
    'Posso falar com alguém?',
    'Vorrei parlare con un operatore.',
    'Ik wil met een medewerker spreken.',
    'Kan ik praten met een mens?',
    "I don't understand any of this, let me talk to a person.",
  ])('asks: %s', (text) => {
    expect(asksForPerson(text)).toBe(true);
  });

  it.each([
    "I don't need a person, just tell me the price.",
    'No need for a human, I figured it out.',
    'I do not want to talk to an agent.',
    'Are you a real person?',
    'Is this a bot?',
    'How long does shipping take?',
    'I want the manager role for my colleague.',
    'How do I add a team member to my workspace?',
    'Can I send a gift to someone in Canada?',
    'No quiero hablar con una persona.',
    'Ich brauche keinen Mitarbeiter, danke.',
    'Ik wil niet met een medewerker praten.',
    'Thanks, that helped!',
  ])('does not ask: %s', (text) => {
    expect(asksForPerson(text)).toBe(false);
  });
});

describe('answers to the offer of a person', () => {
  it.each(['yes', 'Yes please', 'sure', 'ok', 'Yes, connect me', 'yes please connect me', 'please do', 'go ahead', 'Sí, por favor', 'oui', 'Ja gerne', 'sim', 'sì', 'ja graag', 'yes!'])(
    'yes: %s',
    (t) => {
      expect(isAffirmative(t)).toBe(true);
      expect(isNegative(t)).toBe(false);
    },
  );
  it.each(['no', 'No, thanks', 'nope', 'not now', "I'm fine", 'no thank you', 'nein danke', 'non merci', 'não, obrigado', 'nee, bedankt'])('no: %s', (t) => {
    expect(isNegative(t)).toBe(true);
    expect(isAffirmative(t)).toBe(false);
  });
  it.each([
    'yes but how long does shipping take?',
    'How long does shipping take?',
    'I want a refund for order ORD-123456',
    'yes I was charged twice for the same invoice last month and want it fixed',
  ])('neither: %s', (t) => {
    expect(isAffirmative(t)).toBe(false);
    expect(isNegative(t)).toBe(false);
  });
});

describe('emailIn', () => {
  it('finds the address in a sentence and refuses what is not one', () => {
    expect(emailIn('sure, it is jo.smith+support@example.co.uk thanks')).toBe('jo.smith+support@example.co.uk');
    expect(emailIn('my email is jo@example')).toBeNull();
    expect(emailIn('jo at example dot com')).toBeNull();
    expect(emailIn('@example.com')).toBeNull();
  });
});

describe('decideHandoff', () => {
  const base = { pending: null, anonymous: false, waiting: false } as const;
  it('opens a ticket for an ask or a policy case, and asks an anonymous visitor for an email first', () => {
    expect(decideHandoff({ ...base, text: 'I want to talk to a person' })).toEqual({ kind: 'ticket', reason: 'customer_request' });
    expect(decideHandoff({ ...base, text: 'My account was hacked' })).toEqual({ kind: 'ticket', reason: 'security_incident' });
    expect(decideHandoff({ ...base, anonymous: true, text: 'I want to talk to a person' })).toEqual({ kind: 'ask_email', reason: 'customer_request', attempt: 0 });
  });
  it('offers a person when the router chose escalation for anything else', () => {
    expect(decideHandoff({ ...base, text: 'This is unacceptable, my order is late again' })).toEqual({ kind: 'none' });
    expect(decideHandoff({ ...base, text: 'This is unacceptable, my order is late again', route: 'escalation' })).toEqual({ kind: 'offer' });
    expect(decideHandoff({ ...base, text: 'How long does shipping take?', route: 'faq' })).toEqual({ kind: 'none' });
  });
  it('reads the answer to an offer: yes opens (accepted_offer), no declines, anything else routes as usual', () => {
    const pending = { kind: 'handoff_offer' } as const;
    expect(decideHandoff({ ...base, pending, text: 'Yes, connect me' })).toEqual({ kind: 'ticket', reason: 'accepted_offer' });
    expect(decideHandoff({ ...base, pending, anonymous: true, text: 'sure' })).toEqual({ kind: 'ask_email', reason: 'accepted_offer', attempt: 0 });
    expect(decideHandoff({ ...base, pending, text: 'No, thanks' })).toEqual({ kind: 'decline' });
    expect(decideHandoff({ ...base, pending, text: 'How long does shipping take?' })).toEqual({ kind: 'none' });
  });
  it('takes the email, asks once more after an answer without one, then opens without it', () => {
    const pending = { kind: 'ask_email', reason: 'customer_request', attempt: 0 } as const;
    expect(decideHandoff({ ...base, anonymous: true, pending, text: 'it is jo@example.com' })).toEqual({ kind: 'ticket', reason: 'customer_request', contactEmail: 'jo@example.com' });
    expect(decideHandoff({ ...base, anonymous: true, pending, text: 'jo at example' })).toEqual({ kind: 'ask_email', reason: 'customer_request', attempt: 1 });
    expect(decideHandoff({ ...base, anonymous: true, pending: { ...pending, attempt: 1 }, text: 'jo at example' })).toEqual({ kind: 'ticket', reason: 'customer_request' });
    expect(decideHandoff({ ...base, anonymous: true, pending, text: "no, I'd rather not" })).toEqual({ kind: 'ask_email', reason: 'customer_request', attempt: 1 });
    expect(decideHandoff({ ...base, anonymous: true, pending, text: 'no thanks' })).toEqual({ kind: 'ticket', reason: 'customer_request' });
    expect(decideHandoff({ ...base, anonymous: true, pending, text: 'Actually, how long does shipping to Canada take?' })).toEqual({ kind: 'none' });
  });
  it('does not ask a waiting conversation for an email again', () => {
    expect(decideHandoff({ ...base, anonymous: true, waiting: true, text: 'I want a person' })).toEqual({ kind: 'ticket', reason: 'customer_request' });
  });
});
