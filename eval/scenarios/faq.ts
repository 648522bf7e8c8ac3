/** Questions the help center answers, questions it does not, small talk and off-topic requests. */
import { scenario, type Scenario, type Session, type Reply } from './harness.js';

/** The FAQ agent answered, citing the article, and said the fact. */
function expectFaq(s: Session, r: Reply, slug: string, fact: string): void {
  s.expect(r.agent === 'faq', `answered by ${r.agent}, not the FAQ agent`);
  s.expect(r.citations.includes(slug), `cites ${slug} (cited: ${r.citations.join(', ') || 'nothing'})`);
  s.expectIncludes(r, fact, 'the fact from the article');
}

export const faqScenarios: Scenario[] = [
  scenario('shipping-time', 'anonymous', 'asks how long standard shipping takes in the US', async (s) => {
    expectFaq(s, await s.say('How long does standard shipping take within the US?'), 'shipping-times', '3–5 business days');
  }),

  scenario('return-window', 'anonymous', 'asks how long she has to return a headset', async (s) => {
    expectFaq(s, await s.say('How many days do I have to return a headset?'), 'return-policy', '30 days');
  }),

  scenario('api-rate-limit', 'anonymous', 'a developer asks the API rate limit on Pro', async (s) => {
    const r = await s.say('What is the API rate limit on the Pro plan?');
    s.expect(r.agent === 'faq', `answered by ${r.agent}`);
    s.expectIncludes(r, '300', 'the Pro limit');
  }),

  scenario('sso-plans', 'anonymous', 'asks which plans include single sign-on', async (s) => {
    const r = await s.say('Which plans include SSO?');
    s.expect(r.agent === 'faq', `answered by ${r.agent}`);
    s.expectIncludes(r, 'Business', 'Business has SSO');
    s.expectIncludes(r, 'Enterprise', 'Enterprise has SSO');
  }),

  scenario('trial-length', 'anonymous', 'asks how long the free trial is', async (s) => {
    expectFaq(s, await s.say('How long is the free trial?'), 'free-trial', '14 days');
  }),

  scenario('password-reset', 'alice', 'a signed-in customer asks how to reset her password (a how-to, not her records)', async (s) => {
    expectFaq(s, await s.say('How do I reset my password?'), 'cant-log-in-and-password-reset', 'Forgot password');
  }),

  scenario('payment-follow-up', 'anonymous', 'asks about payment methods, then follows up about PayPal', async (s) => {
    const first = await s.say('What payment methods do you accept?');
    s.expect(first.citations.includes('payment-methods'), `first answer cites payment-methods (${first.citations.join(', ')})`);
    const r = await s.say('Can I use PayPal for a Business subscription?');
    s.expectIncludes(r, 'PayPal', 'the follow-up is about PayPal');
    s.expect(r.citations.includes('payment-methods'), `the follow-up cites payment-methods (${r.citations.join(', ')})`);
  }),

  scenario('not-in-help-center', 'anonymous', 'asks about a product the company does not sell; nothing is invented', async (s) => {
    const r = await s.say('Do you sell coffee machines?');
    s.expectExcludes(r, 'coffee', 'no claim about coffee machines');
    s.expect((await s.tickets()).length === 0, 'no ticket is opened');
  }),

  scenario('out-of-scope', 'anonymous', 'asks about the weather', async (s) => {
    const r = await s.say("What's the weather in Paris tomorrow?");
    s.expect(r.route === 'out_of_scope', `routed to out_of_scope (got ${r.route})`);
    s.expect(r.citations.length === 0 && r.actions.length === 0, 'no search, no citation');
  }),

  scenario('greeting-and-thanks', 'anonymous', 'says hello, then thanks and goodbye; nothing is escalated', async (s) => {
    const a = await s.say('hello!');
    const b = await s.say('thanks, bye');
    s.expect(a.route === 'smalltalk' && b.route === 'smalltalk', `both are small talk (got ${a.route}, ${b.route})`);
    s.expect((await s.tickets()).length === 0, 'no ticket');
    s.expect((await s.conversation()).status === 'active', 'the conversation stays with the AI');
  }),
];
