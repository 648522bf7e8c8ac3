import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';

// Written for these tests (support-style messages and English edge cases), not taken from the
// evaluation's sets (eval/data/language.jsonl, xSID).

const FOREIGN: [string, string][] = [
  ['es', 'Hola, necesito ayuda con la factura de este mes'],
  ['es', '¿Cuánto tarda en llegar un pedido a Colombia?'],
  ['fr', "Bonjour, je n'ai toujours pas reçu mon colis"],
  ['fr', 'Comment puis-je changer mon mot de passe ?'],
  ['de', 'Guten Tag, meine Zahlung wurde abgelehnt'],
  ['de', 'Wo finde ich meine letzte Rechnung?'],
  ['pt', 'Bom dia, a minha encomenda ainda não chegou'],
  ['pt', 'Como faço para alterar o meu plano?'],
  ['it', 'Buongiorno, il mio pagamento non è andato a buon fine'],
  ['it', 'Come posso cambiare la mia password?'],
  ['nl', 'Goedemiddag, mijn betaling is mislukt'],
  ['nl', 'Waar kan ik mijn laatste factuur vinden?'],
  ['pl', 'Dzień dobry, moja płatność została odrzucona'],
  ['tr', 'Merhaba, ödemem reddedildi ne yapmalıyım'],
  ['ru', 'Добрый день, мой платёж не прошёл'],
  ['ja', '支払いが拒否されました'],
  ['zh', '我的付款被拒绝了'],
  ['ar', 'مرحبا، تم رفض الدفع الخاص بي'],
];

const ENGLISH = [
  'hi',
  'ok thanks',
  'INV-2026-00042?',
  'ORD-104233',
  'where is ORD-104233',
  'purchase 3707955617',
  'wher is my oder',
  'cant login pls help',
  'refnd pls',
  'thanx a lot',
  'yes please',
  'no thanks',
  'Yes, connect me',
  '👍',
  '???',
  'https://example.com/orders/104233',
  'jane.doe@example.com',
  'Webcam HD Pro 1080p',
  'Okta SAML SSO',
  // One foreign word is a pleasantry, not a language to answer in.
  'gracias',
  'merci beaucoup',
  'hola',
  'danke',
  // Foreign names inside an English message.
  'Jürgen from Müller GmbH here, where is my invoice?',
  'My colleague José Gonçalves cannot log in to São Paulo office account',
  'How long does shipping take to Zürich?',
  'Hi, I was charged twice for my subscription this month',
  'Can I return a webcam after 20 days if the box was opened?',
  'whats the differnce between the pro and business plan',
];

describe('detectLanguage', () => {
  it.each(FOREIGN)('tells %s in "%s"', async (code, text) => {
    expect((await detectLanguage(text))?.code).toBe(code);
  });

  it('names the language in English for the notice and the prompt', async () => {
    expect(await detectLanguage('¿Dónde puedo descargar mis facturas anteriores?')).toEqual({ code: 'es', name: 'Spanish' });
  });

  it.each(ENGLISH)('never calls "%s" foreign', async (text) => {
    expect(await detectLanguage(text)).toBeNull();
  });

  it('reads a message mostly in Chinese as Chinese though it names an English title', async () => {
    expect((await detectLanguage('请帮我查一下 Pro 套餐的价格和发票'))?.code).toBe('zh');
  });

  it('reads kana as Japanese even beside kanji', async () => {
    expect((await detectLanguage('請求書はどこでダウンロードできますか'))?.code).toBe('ja');
  });

  it('leaves a reference-only message in no language', async () => {
    expect(await detectLanguage('INV-2026-00042 ORD-104233 TCK-000123 3707955617')).toBeNull();
  });
});
