import { describe, expect, it } from 'vitest';
import { fitsShape, questionShape, shapeBonus } from './answer-shape.js';

describe('answer shapes', () => {
  it.each([
    ['How often is a failed webhook delivery retried?', 'frequency'],
    ['Which cards can I use to pay?', 'list'],
    ['What browsers do you support?', 'list'],
    ['How long does shipping take?', 'duration'],
    ['How much is express shipping?', 'price'],
    ['How do I reset my password?', 'steps'],
    ['Do you ship to Canada?', 'yesno'],
  ])('reads "%s" as %s', (question, type) => {
    expect(questionShape(question).type).toBe(type);
  });

  it('a list question is answered by a sentence of names, not by one about the subject', () => {
    const shape = questionShape('Which browsers are supported?');
    expect(fitsShape(shape, 'Google Chrome, Microsoft Edge and Mozilla Firefox: the latest two major versions.')).toBe(true);
    expect(fitsShape(shape, 'Send the report ID to support with your browser and version.')).toBe(false);
    expect(fitsShape(shape, 'Use `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.')).toBe(true);
    expect(shapeBonus(shape, 'Visa, Mastercard, American Express or PayPal.', false)).toBeGreaterThan(shapeBonus(shape, 'Prepaid cards are not accepted.', false));
  });

  it('a how-often question is answered by a frequency', () => {
    const shape = questionShape('How often do you retry?');
    expect(fitsShape(shape, 'We retry up to 8 times over 24 hours.')).toBe(true);
    expect(fitsShape(shape, 'Failed deliveries are marked as failed.')).toBe(false);
  });

  it('a can-we question is answered by a sentence saying what one can do', () => {
    const shape = questionShape('Can we force everyone to log in through Okta?');
    expect(shape.ability).toBe(true);
    expect(questionShape('Do you ship to Canada?').ability).toBe(false);
    expect(shapeBonus(shape, 'After SSO is enabled you can turn on Require SSO.', false)).toBeGreaterThan(shapeBonus(shape, 'Members then have to sign in through the identity provider.', false));
  });
});
