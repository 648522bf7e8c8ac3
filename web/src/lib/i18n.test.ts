import { describe, expect, it } from 'vitest';
import { i18nFor, pickLocale } from './i18n';

describe('i18n', () => {
  it('picks the asked locale, else the first browser language it has, else English', () => {
    expect(pickLocale('de', ['es-ES'])).toBe('de');
    expect(pickLocale(null, ['fr-FR', 'es-MX', 'en'])).toBe('es');
    expect(pickLocale('xx', ['de-AT'])).toBe('de');
    expect(pickLocale(undefined, ['ja-JP'])).toBe('en');
  });

  it('fills placeholders and formats numbers, money and times by locale', () => {
    const de = i18nFor('de');
    expect(de.t('composer.count', { count: de.number(7500), max: de.number(8000) })).toBe('7.500 / 8.000 Zeichen');
    expect(i18nFor('en').t('banner.human', { name: 'Sam' })).toBe("You're chatting with Sam");
    expect(i18nFor('es').t('csat.option', { n: 4, label: i18nFor('es').t('csat.4') })).toBe('4 de 5: Bien');
    expect(de.money(1234.5)).toMatch(/1\.234,50\s\$/);
    expect(i18nFor('en').money(1234.5)).toBe('$1,234.50');
    const at = new Date(2026, 11, 7, 14, 5).toISOString();
    expect(de.time(at, new Date(2026, 11, 7, 18))).toBe('14:05');
    expect(i18nFor('en').time(at, new Date(2026, 11, 7, 18))).toBe('02:05 PM');
  });
});
