import { describe, expect, it } from 'vitest';
import { firstSentence } from '../../../eval/retrieval.js';
import { KNOWLEDGE_ARTICLES } from '../../demo/knowledge-articles.js';
import { chunkArticle } from '../../knowledge/chunk.js';
import { localEmbedder } from '../../llm/embeddings.js';
import type { OfflineServices } from '../context.js';
import { questionShape, shapeBonus } from './answer-shape.js';
import { extractiveAnswer, NO_ANSWER, sentencesOf } from './faq-answer.js';
import type { PassageView } from '../tools/knowledge-tools.js';

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
    const howLong = questionShape('How many days do I have to return a headset?');
    expect(shapeBonus(howLong, 'You can return items within 30 days of delivery.', false)).toBeGreaterThan(shapeBonus(howLong, 'Returns must be in the original packaging.', false));
    const price = questionShape('How much is express shipping?');
    expect(shapeBonus(price, 'Express shipping costs $19.95 per order.', false)).toBeGreaterThan(shapeBonus(price, 'Express is fast.', false));
    const steps = questionShape('How do I reset my password?');
    expect(shapeBonus(steps, 'Click Forgot password on the sign-in page.', false)).toBeGreaterThan(shapeBonus(steps, 'Passwords must have 12 characters.', false));
    expect(shapeBonus(questionShape('Do you support SSO?'), 'SSO costs $5 and takes 2 days.', false)).toBe(0);
  });
});

describe('the offline FAQ answer leads with the fact the question asks for', () => {
  const services = { embedder: localEmbedder(384) } as unknown as OfflineServices;
  /** The passages of some demo articles, as search_knowledge returns them. */
  function passages(...slugs: string[]): PassageView[] {
    let ref = 0;
    return slugs.flatMap((slug) => {
      const a = KNOWLEDGE_ARTICLES.find((x) => x.slug === slug)!;
      return chunkArticle(a.title, a.content).map((c) => ({ ref: ++ref, chunk_id: `${slug}-${ref}`, title: a.title, heading: c.heading, content: c.content }));
    });
  }
  const lead = async (question: string, ...slugs: string[]) => firstSentence(await extractiveAnswer(services, question, passages(...slugs)));

  it('a duration: the transit times from the shipping table, as a sentence', async () => {
    expect(await lead('How long does shipping take?', 'shipping-costs', 'shipping-times')).toMatch(/^Contiguous United States: Standard 3–5 business days; Express 1–2 business days\.$/);
  });

  it('the table row of the place the question names', async () => {
    expect(await lead('How long will delivery take to Honolulu?', 'shipping-times', 'international-shipping-and-customs')).toMatch(/Hawaii.*5–8 business days/);
    expect(await lead('What does it cost to send a parcel to Puerto Rico by standard delivery?', 'shipping-costs', 'shipping-times')).toMatch(/Puerto Rico.*\$14\.95/);
  });

  it('a price', async () => {
    expect(await lead('How much is the Business plan per seat?', 'plans-and-pricing', 'changing-plans-and-seats')).toMatch(/\$99/);
  });

  it('yes or no about a country', async () => {
    expect(await lead('Do you ship to PO boxes in Canada?', 'international-shipping-and-customs', 'shipping-times')).toMatch(/PO boxes outside the United States/);
  });

  it('a country named by its abbreviation is answered by the sentence naming it in full', async () => {
    // "UK" in the question, "United Kingdom" in the answer (the thesaurus's place names).
    expect(await lead('Are duties prepaid for customers in the UK?', 'international-shipping-and-customs')).toMatch(/Delivered Duty Paid/);
  });

  it('a heading in British spelling ("Cancelling ...") covers the question\'s "cancel"', async () => {
    expect(await lead('What happens to our data after we cancel?', 'cancelling-your-subscription')).toMatch(/read-only|30 days|deleted/);
  });

  it('steps as the numbered list, from the first step', async () => {
    const answer = await extractiveAnswer(services, 'How do I reset my password?', passages('cant-log-in-and-password-reset', 'two-factor-authentication'));
    expect(answer).toMatch(/^1\. .*Forgot password/);
    expect(answer).toMatch(/\n2\. /);
  });

  it('support hours, not a passage that merely says "supports"', async () => {
    expect(await lead('What are your support hours?', 'sso-saml', 'contacting-support', 'slow-app-and-supported-browsers')).toMatch(/Monday to Friday, 9 a\.m\. to 6 p\.m\./);
  });

  it('says so and offers a person when no passage answers', async () => {
    expect(await extractiveAnswer(services, 'What are your support hours?', passages('sso-saml', 'webhooks'))).toBe(NO_ANSWER);
  });

  it('a question naming no place leads with the common case, not with abroad', async () => {
    expect(await lead('How long does shipping take?', 'international-shipping-and-customs', 'shipping-times', 'shipping-costs')).toMatch(/^Contiguous United States/);
  });

  it('an example never leads when the rule it illustrates is there', async () => {
    expect(await lead('How is the charge calculated when I upgrade halfway through the month?', 'subscription-refunds-and-proration')).toMatch(/prorated difference/);
  });

  it('a list question leads with the names, also names with a parenthesis or a digit', async () => {
    expect(await lead('Which identity providers do you support for SAML?', 'sso-saml')).toMatch(/^Okta, Microsoft Entra ID/);
    expect(await lead('Which authenticator apps can I use?', 'two-factor-authentication', 'webcam-not-detected')).toMatch(/Google Authenticator/);
    expect(await lead('What scopes can an API key have?', 'api-keys')).toMatch(/read, write, or both/);
  });

  it('the sentence naming the platform or day the question names', async () => {
    expect(await lead('What minimum iOS version do you support?', 'slow-app-and-supported-browsers')).toMatch(/iOS 16/);
    expect(await lead('Will an order placed Sunday go out on Monday?', 'shipping-times')).toMatch(/weekend or holiday, ship the next business day/);
  });

  it('a troubleshooting article with numbered sections answers "what do I do" with them, in order', async () => {
    const answer = await extractiveAnswer(services, "My desk phone says 'Registration failed', what do I do?", passages('desk-phone-not-registering'));
    expect(answer).toMatch(/^1\. Check power and the network cable: /);
    expect(answer).toMatch(/\n2\. Check the phone has a network address: press Menu → Status → Network\./);
  });

  it('a how-to question leads with the instruction for its own action, and picks the steps of that action', async () => {
    expect(await lead('How do I pair the wireless headset again?', 'headset-audio-issues')).toMatch(/^Re-pair a wireless headset: hold the power button/);
    expect(await lead('How do I create an API key?', 'api-keys')).toMatch(/Settings → Developers → API keys/);
  });

  it('"how often" leads with a count or rhythm, not with a duration', async () => {
    expect(await lead('How often is a failed webhook delivery retried?', 'webhooks')).toMatch(/up to 8 times/);
  });

  it('a close runner-up holding clearly more of the question leads, also through the thesaurus', async () => {
    expect(await lead('What does a webhook payload contain?', 'webhooks')).toMatch(/^Each payload is JSON/);
    // "box" is covered by "packaging" (query-expansion.ts), not by "the original payment method".
    expect(await lead('Can I return a headset without the original box?', 'return-policy', 'headset-audio-issues')).toMatch(/original packaging/);
  });

  it('of two durations, the one about what was asked: the trial, not its extension', async () => {
    // As hybrid search ranks them for the question: the extension's passage before the
    // introduction, both sharing "trial". The introduction says "try ... free for 14 days"
    // (query-expansion.ts: "trial" stands for "try"), which holds the question's rarer word.
    const all = passages('free-trial', 'failed-payments', 'plans-and-pricing');
    const at = (heading: string) => all.find((p) => p.heading === heading)!;
    const ranked = [
      "Free trial — What's included in the trial",
      'Free trial — Extending a trial',
      'Free trial',
      'Failed payments and the retry schedule — Why payments fail',
      'Free trial — Limits',
      'Plans and pricing: Starter, Pro, Business and Enterprise — Free trial',
      'Free trial — Ending the trial',
      "Free trial — If you don't subscribe",
    ].map(at);
    const answer = async (q: string) => firstSentence(await extractiveAnswer(services, q, ranked));
    expect(await answer('How long is the trial and do I need a card?')).toMatch(/free for 14 days/);
    expect(await answer('How long can the trial be extended?')).toMatch(/up to 7 days/);
  });

  it('a section heading that holds the question makes its passage an answer, however the wording differs', async () => {
    expect(await lead('How soon must I tell you about transit damage?', 'damaged-or-defective-items')).toMatch(/within 7 days/);
  });

  it('steps answer a how-to question only when they are about it', async () => {
    const answer = await extractiveAnswer(services, 'How can I make 2FA mandatory for my whole team?', passages('two-factor-authentication'));
    expect(firstSentence(answer)).toMatch(/require 2FA/i);
    expect(answer).not.toMatch(/Profile → Security/);
  });

  it('reads a sentence that introduces a list together with the list', () => {
    expect(sentencesOf('Tracking numbers look like this:\n\n- UPS: starts with 1Z followed by 16 letters and digits\n- USPS: 20 to 22 digits, starting with 9')[0]).toBe(
      'Tracking numbers look like this: UPS: starts with 1Z followed by 16 letters and digits; USPS: 20 to 22 digits, starting with 9.',
    );
  });
});
