import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { backAtSentence, businessHoursOf, parseWeeklyHours } from './business-hours.js';

const berlin = (holidays: string[] = []) => ({ weekly: parseWeeklyHours('mon-fri 09:00-17:00; sat 10:00-14:00'), timeZone: 'Europe/Berlin', holidays: new Set(holidays) });

describe('business hours', () => {
  it('is always in when no hours are configured', () => {
    expect(backAtSentence(businessHoursOf(loadConfig({ NODE_ENV: 'test' })), new Date('2026-12-06T03:00:00Z'))).toBeNull();
  });
  it('says nothing while the team is in, by local time in the zone', () => {
    expect(backAtSentence(berlin(), new Date('2026-12-07T08:30:00Z'))).toBeNull(); // Monday 09:30 in Berlin
    expect(backAtSentence(berlin(), new Date('2026-12-12T12:59:00Z'))).toBeNull(); // Saturday 13:59
  });
  it('names when the team is back: later today, tomorrow, a weekday, across daylight saving and holidays', () => {
    expect(backAtSentence(berlin(), new Date('2026-12-07T07:00:00Z'))).toBe('Our team is back today at 09:00 (Europe/Berlin).'); // Monday 08:00
    expect(backAtSentence(berlin(), new Date('2026-12-07T16:30:00Z'))).toBe('Our team is back tomorrow at 09:00 (Europe/Berlin).'); // Monday 17:30
    expect(backAtSentence(berlin(), new Date('2026-12-12T14:00:00Z'))).toBe('Our team is back Monday 09:00 (Europe/Berlin).'); // Saturday 15:00
    // Saturday 28 March 2026 15:00 CET; clocks go forward that night; Monday opens at 09:00 CEST (07:00 UTC).
    expect(backAtSentence(berlin(), new Date('2026-03-28T14:00:00Z'))).toBe('Our team is back Monday 09:00 (Europe/Berlin).');
    expect(backAtSentence(berlin(['2026-12-24', '2026-12-25', '2026-12-26']), new Date('2026-12-23T17:00:00Z'))).toBe('Our team is back Monday 09:00 (Europe/Berlin).');
  });
  it('refuses hours, zones and holidays it cannot read, each named', () => {
    expect(() => parseWeeklyHours('weekdays 9-5')).toThrow();
    expect(() => parseWeeklyHours('mon-fri 17:00-09:00')).toThrow(/ends before it starts/);
    expect(() => loadConfig({ BUSINESS_HOURS: 'mon-fri 25:00-26:00' })).toThrow(/BUSINESS_HOURS/);
    expect(() => loadConfig({ BUSINESS_TIMEZONE: 'Mars/Olympus' })).toThrow(/BUSINESS_TIMEZONE/);
    expect(() => loadConfig({ BUSINESS_HOLIDAYS: '24.12.2026' })).toThrow(/BUSINESS_HOLIDAYS/);
    expect(loadConfig({ BUSINESS_HOLIDAYS: '2026-12-24, 2026-12-25' }).BUSINESS_HOLIDAYS).toEqual(['2026-12-24', '2026-12-25']);
  });
});
