import { describe, it, expect } from 'vitest';
import { extractSlots } from './slots.js';

const NOW = new Date('2026-03-20T15:30:00Z');

describe('extractSlots: invoice numbers', () => {
  it.each([
    ['Is INV-2026-00042 paid?', 'INV-2026-00042'],
    ['inv 2026-42 please', 'INV-2026-00042'],
    ['question about invoice #2026-00042', 'INV-2026-00042'],
    ['INV202600042', 'INV-2026-00042'],
    ['invoice number 2026-00042', 'INV-2026-00042'],
    ['la factura 2026-00311 está mal', 'INV-2026-00311'],
    ['inv-2025-01234 and INV-2026-00042', 'INV-2025-01234'],
  ])('reads %j', (text, expected) => {
    expect(extractSlots(text, NOW).invoiceNumbers[0]).toBe(expected);
  });

  it('keeps several invoices in order, without duplicates', () => {
    const slots = extractSlots('INV-2026-00042, inv 2026-42 and INV-2026-00043', NOW);
    expect(slots.invoiceNumbers).toEqual(['INV-2026-00042', 'INV-2026-00043']);
  });

  it('does not read words starting with "inv" or bare years as invoices', () => {
    expect(extractSlots('I was invited in 2026 to the inventory 2026 review', NOW).invoiceNumbers).toEqual([]);
  });

  it('does not read an invoice number as a date or an order', () => {
    const slots = extractSlots('INV-2026-00042', NOW);
    expect(slots.dates).toEqual([]);
    expect(slots.orderNumbers).toEqual([]);
  });
});

describe('extractSlots: order numbers', () => {
  it.each([
    ['where is ORD-104233', 'ORD-104233'],
    ['order 104233', 'ORD-104233'],
    ['Order #104233 never arrived', 'ORD-104233'],
    ['ord104233', 'ORD-104233'],
    ['my order number is 104233', 'ORD-104233'],
    ['¿Dónde está mi pedido 104233?', 'ORD-104233'],
  ])('reads %j', (text, expected) => {
    expect(extractSlots(text, NOW).orderNumbers).toEqual([expected]);
  });

  it('does not read a phone number or a bare number as an order', () => {
    expect(extractSlots('call me on 415-555-0199 or 104233', NOW).orderNumbers).toEqual([]);
    expect(extractSlots('+44 20 7946 0958', NOW).orderNumbers).toEqual([]);
  });

  it('rejects an order number with the wrong digit count', () => {
    expect(extractSlots('order 1042337 and ORD-10423', NOW).orderNumbers).toEqual([]);
  });
});

describe('extractSlots: references in other formats', () => {
  it.each([
    ['purchase 3707955617 never arrived', { number: '3707955617', kind: 'order' }],
    ['order #12345678', { number: '12345678', kind: 'order' }],
    ['my order number is 3707955617', { number: '3707955617', kind: 'order' }],
    ['tracking 1234567890123 shows nothing', { number: '1234567890123', kind: 'order' }],
    ['the bill 55501234 is wrong', { number: '55501234', kind: 'invoice' }],
    ['transaction id: 99887766554', { number: '99887766554', kind: 'invoice' }],
    ['where is 3707955617', { number: '3707955617', kind: 'unknown' }],
  ])('reads %j', (text, expected) => {
    expect(extractSlots(text, NOW).references).toEqual([expected]);
  });

  it('does not read phone or card numbers, numbers of 7 or 16+ digits, or our own formats as references', () => {
    for (const text of ['call me on 4155550199', '+44 2079460958', 'my card 4111111111111111 was charged', 'order 1042337', 'invoice 202600042', 'INV202600042']) {
      expect(extractSlots(text, NOW).references, text).toEqual([]);
    }
  });
});

describe('extractSlots: months', () => {
  it.each([
    ['the bill from March', ['2025-03'], new Date('2026-02-10T00:00:00Z')],
    ['the bill from March', ['2026-03'], NOW],
    ['my March invoice', ['2026-03'], NOW],
    ['invoices for December 2025', ['2025-12'], NOW],
    ['I may have paid twice in May', ['2025-05'], NOW],
  ] as const)('reads %j (now %s)', (text, months, now) => {
    expect(extractSlots(text, now).months).toEqual(months);
  });

  it('leaves a day and month to dates, and "may" the verb alone', () => {
    const slots = extractSlots('the invoice from March 3 is wrong', NOW);
    expect(slots.dates).toEqual(['2026-03-03']);
    expect(slots.months).toEqual([]);
    expect(extractSlots('I may have been charged twice, may I see my invoices?', NOW).months).toEqual([]);
  });
});

describe('extractSlots: ticket numbers', () => {
  it('reads and pads ticket references', () => {
    expect(extractSlots('TCK-000123', NOW).ticketNumbers).toEqual(['TCK-000123']);
    expect(extractSlots('any update on ticket #123?', NOW).ticketNumbers).toEqual(['TCK-000123']);
    expect(extractSlots('tck 4567 and case #89', NOW).ticketNumbers).toEqual(['TCK-004567', 'TCK-000089']);
  });

  it('does not read "in case 2" as a ticket', () => {
    expect(extractSlots('in case 2 people need access', NOW).ticketNumbers).toEqual([]);
  });
});

describe('extractSlots: plans', () => {
  it('reads plan names with or without the word plan', () => {
    expect(extractSlots('I am on the pro plan', NOW).plans).toEqual(['pro']);
    expect(extractSlots('Upgrade me to Pro', NOW).plans).toEqual(['pro']);
    expect(extractSlots('difference between Starter and Enterprise?', NOW).plans).toEqual(['starter', 'enterprise']);
    expect(extractSlots('does business include SSO', NOW).plans).toEqual(['business']);
    expect(extractSlots('my Business subscription', NOW).plans).toEqual(['business']);
  });

  it('does not read plan names inside other words or phrases', () => {
    expect(extractSlots('I have a problem with the program', NOW).plans).toEqual([]);
    expect(extractSlots('ships within 3 business days', NOW).plans).toEqual([]);
    expect(extractSlots('I run a small business', NOW).plans).toEqual([]);
    expect(extractSlots('is the charge pro-rated?', NOW).plans).toEqual([]);
    expect(extractSlots('professional enterprises', NOW).plans).toEqual([]);
  });
});

describe('extractSlots: dates', () => {
  it.each([
    ['charged on 2026-03-03', '2026-03-03'],
    ['on March 3', '2026-03-03'],
    ['on march 3rd, 2025', '2025-03-03'],
    ['3 March 2026', '2026-03-03'],
    ['the 1st of feb', '2026-02-01'],
    ['03/15/2026', '2026-03-15'],
    ['15/03/2026', '2026-03-15'],
    ['today', '2026-03-20'],
    ['it happened yesterday', '2026-03-19'],
    ['last month', '2026-02-01'],
    ['5 days ago', '2026-03-15'],
  ])('reads %j', (text, expected) => {
    expect(extractSlots(text, NOW).dates).toEqual([expected]);
  });

  it('resolves "last month" across a year boundary', () => {
    expect(extractSlots('last month', new Date('2026-01-10T00:00:00Z')).dates).toEqual(['2025-12-01']);
  });

  it('rejects impossible dates and does not read "may" as a date on its own', () => {
    expect(extractSlots('2026-02-30 or 13/13/2026', NOW).dates).toEqual([]);
    expect(extractSlots('may I ask something', NOW).dates).toEqual([]);
  });
});

describe('extractSlots: amounts', () => {
  it.each([
    ['I paid $49', { cents: 4900, currency: 'USD' }],
    ['49.99 USD', { cents: 4999, currency: 'USD' }],
    ['€12', { cents: 1200, currency: 'EUR' }],
    ['12,50 €', { cents: 1250, currency: 'EUR' }],
    ['£1,299.00', { cents: 129900, currency: 'GBP' }],
    ['charged 20 dollars', { cents: 2000, currency: 'USD' }],
    ['usd 7.5', { cents: 750, currency: 'USD' }],
  ])('reads %j', (text, expected) => {
    expect(extractSlots(text, NOW).amounts).toEqual([expected]);
  });

  it('reads "$49 USD" once and ignores numbers without a currency', () => {
    expect(extractSlots('$49 USD', NOW).amounts).toEqual([{ cents: 4900, currency: 'USD' }]);
    expect(extractSlots('order 104233 has 3 headsets', NOW).amounts).toEqual([]);
  });
});

describe('extractSlots: emails', () => {
  it('reads emails, lowercased, without mistaking their digits for other slots', () => {
    const slots = extractSlots('Contact Ana.Ruiz+2026@Example.co.uk or bob@test.io', NOW);
    expect(slots.emails).toEqual(['ana.ruiz+2026@example.co.uk', 'bob@test.io']);
    expect(slots.dates).toEqual([]);
  });
});

describe('extractSlots: a whole message', () => {
  it('fills every slot kind from one message', () => {
    const slots = extractSlots('Hi, I was charged $49.99 on March 3 for INV-2026-00042 (Pro plan), order #104233, ticket 77, reach me at me@x.com, bank ref 55501234, the bill from May', NOW);
    expect(slots).toEqual({
      invoiceNumbers: ['INV-2026-00042'],
      orderNumbers: ['ORD-104233'],
      ticketNumbers: ['TCK-000077'],
      references: [{ number: '55501234', kind: 'unknown' }],
      plans: ['pro'],
      dates: ['2026-03-03'],
      months: ['2025-05'], // the last May before NOW (March 2026)
      amounts: [{ cents: 4999, currency: 'USD' }],
      emails: ['me@x.com'],
    });
  });

  it('returns empty slots for plain text', () => {
    expect(extractSlots('hello there', NOW)).toEqual({
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
  });
});
