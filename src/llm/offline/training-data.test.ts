import { describe, it, expect } from 'vitest';
import { ROUTES } from './routes.js';
import { normalizeText } from './text.js';
import { TRAINING_UTTERANCES } from './training-data.js';

describe('TRAINING_UTTERANCES', () => {
  it('has at least 400 utterances and 60 per route', () => {
    expect(TRAINING_UTTERANCES.length).toBeGreaterThanOrEqual(400);
    for (const route of ROUTES) {
      expect(TRAINING_UTTERANCES.filter((e) => e.route === route).length, route).toBeGreaterThanOrEqual(60);
    }
  });

  it('has no duplicates, even after normalisation', () => {
    const seen = new Map<string, string>();
    for (const { text } of TRAINING_UTTERANCES) {
      const key =
        normalizeText(text)
          .replace(/[^\p{L}\p{N}]+/gu, ' ')
          .trim() || text; // emoji-only stay as typed
      expect(seen.get(key), text).toBeUndefined();
      seen.set(key, text);
    }
  });

  it('labels only known routes and has no empty text', () => {
    for (const { text, route } of TRAINING_UTTERANCES) {
      expect(ROUTES).toContain(route);
      expect(text.trim().length).toBeGreaterThan(0);
    }
  });

  it('includes Spanish, French and German for every route but out_of_scope, and some for it too', () => {
    const nonEnglish = /[¿¡éèêàçñüöäß]|\b(?:quiero|mi|mon|ma|je|ich|wie|wo|bitte|hola|merci|danke|gracias)\b/i;
    for (const route of ROUTES) {
      const count = TRAINING_UTTERANCES.filter((e) => e.route === route && nonEnglish.test(e.text)).length;
      expect(count, route).toBeGreaterThanOrEqual(route === 'out_of_scope' ? 3 : 6);
    }
  });
});
