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

  // Found by the OpenAPI fuzzer: every request's URL is redacted for its log line, and a URL of one long
  // run without '@' made the email pattern retry from every position (15 KB: 150 ms per request).
  it('takes time linear in the text: long runs of letters, dots or "eyJ" redact in milliseconds', () => {
    for (const run of ['a'.repeat(200_000), 'a.'.repeat(100_000), 'eyJ'.repeat(70_000), `${'a'.repeat(100_000)}@${'b'.repeat(100_000)}`]) {
      // CPU time of this process, not wall time: a loaded machine that schedules the worker out does not
      // count, a regex that backtracks does (quadratic here is seconds, linear a few milliseconds).
      const t0 = process.cpuUsage();
      expect(redactText(`/health?q=${run}`)).toBe(`/health?q=${run}`);
      const { user, system } = process.cpuUsage(t0);
      expect((user + system) / 1000, run.slice(0, 8)).toBeLessThan(250);
    }
    expect(redactText('to:alice@example.com,bob@example.org x eyJa.eyJb.c')).toBe('to:[email],[email] x [jwt]');
  });
});
