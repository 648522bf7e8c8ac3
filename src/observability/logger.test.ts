import { describe, expect, it } from 'vitest';
import { luhnValid, redactLogLine, redactText } from './logger.js';

describe('log redaction', () => {
  it('masks emails, JWTs and Luhn-valid card numbers in text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';
    const out = redactText(`mail alice@example.com token ${jwt} card 4111 1111 1111 1111 and 4242-4242-4242-4242`);
    expect(out).toBe('mail [email] token [jwt] card [card] and [card]');
  });

  it('leaves ids, timestamps and numbers that are not card numbers alone', () => {
    const uuid = '01234567-8901-4234-8567-890123456789';
    expect(redactText(`conversation ${uuid}`)).toBe(`conversation ${uuid}`);
    expect(redactText('order 1234567890123')).toBe('order 1234567890123'); // 13 digits, fails Luhn
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('masks inside every JSON string of a log line but keeps the line valid JSON', () => {
    const line = JSON.stringify({ time: 1764150000000, msg: 'login for bob@example.com', nested: { note: 'pay with 5555555555554444' } });
    const out = redactLogLine(line);
    const parsed = JSON.parse(out);
    expect(parsed.time).toBe(1764150000000);
    expect(parsed.msg).toBe('login for [email]');
    expect(parsed.nested.note).toBe('pay with [card]');
  });
});
