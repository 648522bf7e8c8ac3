import { describe, expect, it } from 'vitest';
import { answerShapeBonus, questionCues, sentencesOf } from './faq.js';

describe('FAQ extractive answer helpers', () => {
  it('reads tables as one sentence per row and keeps abbreviations inside sentences', () => {
    const text = [
      'Orders placed before 2 p.m. Eastern Time ship the same day. Later orders ship the next day.',
      '',
      '| Destination | Standard | Express |',
      '|---|---|---|',
      '| Canada | 7–14 business days | 3–5 business days |',
    ].join('\n');
    expect(sentencesOf(text)).toEqual([
      'Orders placed before 2 p.m. Eastern Time ship the same day.',
      'Later orders ship the next day.',
      'Canada: Standard 7–14 business days; Express 3–5 business days.',
    ]);
  });

  it('prefers figures for "how long", prices for "how much" and steps for "how do I"', () => {
    const howLong = questionCues('How many days do I have to return a headset?');
    expect(answerShapeBonus(howLong, 'You can return items within 30 days of delivery.')).toBeGreaterThan(
      answerShapeBonus(howLong, 'Returns must be in the original packaging.'),
    );
    const price = questionCues('How much is express shipping?');
    expect(answerShapeBonus(price, 'Express shipping costs $19.95 per order.')).toBeGreaterThan(answerShapeBonus(price, 'Express is fast.'));
    const steps = questionCues('How do I reset my password?');
    expect(answerShapeBonus(steps, 'Click Forgot password on the sign-in page.')).toBeGreaterThan(
      answerShapeBonus(steps, 'Passwords must have 12 characters.'),
    );
    expect(answerShapeBonus(questionCues('Do you support SSO?'), 'SSO costs $5 and takes 2 days.')).toBe(0);
  });
});
