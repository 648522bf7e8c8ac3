import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { DRIVERS } from '../../test/db.js';
import { ingestDocument } from '../knowledge/ingest.js';
import { classifyOffline } from './router.js';
import { favourKnowledge, knowledgeEvidence, mayFavourKnowledge, namesOwnRecord, OVERRIDE_BELOW, POLICY_COVERAGE, STRONG } from './knowledge-evidence.js';

describe.each(DRIVERS)('knowledge-aware routing (%s)', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
    // A topic the classifier's training never saw a company answer: it calls the question out of scope.
    await ingestDocument(t.deps.db, t.deps.embedder, {
      slug: 'community-sponsorship',
      title: 'Community sponsorship',
      category: 'company',
      content:
        '# Community sponsorship\n\nSwitchboard sponsors local football clubs and youth sports teams in the towns where our staff live. Clubs can apply for sponsorship with the form on our website; we answer every application within four weeks.',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds strong evidence for a help-center question the classifier alone calls out of scope', async () => {
    const text = 'Do you sponsor local football clubs?';
    expect(classifyOffline(t.deps, text).route).toBe('out_of_scope');
    const evidence = await knowledgeEvidence(t.deps, text);
    expect(evidence).toMatchObject({ strong: true, slug: 'community-sponsorship' });
    expect(evidence.matched).toBeGreaterThanOrEqual(2);
  });

  it('finds none for messages the knowledge base does not speak to', async () => {
    for (const text of ["what's the weather in Paris tomorrow", 'tell me a joke', 'how do I make pancakes', 'hi']) {
      expect((await knowledgeEvidence(t.deps, text)).strong, text).toBe(false);
    }
  });

  it('sends such a question to the FAQ agent through the chat API, with a citation', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'Do you sponsor local football clubs?' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.assistant_message.agent).toBe('faq');
    expect(JSON.stringify(body.assistant_message.citations)).toContain('community-sponsorship');
  });

  it('finds strong evidence in one sentence of a passage for a short question', async () => {
    const text = 'Do you take cryptocurrency or cheques?';
    expect(classifyOffline(t.deps, text).route).toBe('out_of_scope');
    const evidence = await knowledgeEvidence(t.deps, text);
    expect(evidence).toMatchObject({ strong: true, slug: 'payment-methods' });
    // The passage as a whole is not close enough; the sentence about cheques is.
    expect(evidence.similarity).toBeLessThan(STRONG.similarity);
    expect(evidence.sentenceSimilarity).toBeGreaterThanOrEqual(STRONG.sentenceSimilarity);
  });

  it('a confident account guess about no record of the customer is answered from the help center when it covers nearly all of it', async () => {
    const policy = 'Where do I find the tracking number for a hardware order?';
    expect(classifyOffline(t.deps, policy)).toMatchObject({ route: 'account' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: policy } });
    expect(res.json().assistant_message.agent).toBe('faq');
    for (const own of ['Where is my order?', 'what is the tracking number for that order?', 'Which email address is on my profile?', 'status of ORD-123456', 'I was charged twice']) {
      expect(namesOwnRecord(own), own).toBe(true);
    }
    expect(namesOwnRecord(policy)).toBe(false);
  });

  it('keeps a confident account or escalation route, and any route without strong evidence', () => {
    const strong = { strong: true, coverage: 0.8, matched: 3, similarity: 0.5, sentenceSimilarity: 0.5, slug: 'payment-methods' };
    const weak = { ...strong, strong: false };
    const out = (route: string, confidence: number) => ({ route, confidence, reasoning: 'classifier' });
    expect(favourKnowledge(out('escalation', 0.95), strong, 0.5).route).toBe('escalation');
    expect(favourKnowledge(out('account', OVERRIDE_BELOW + 0.1), strong, 0.5).route).toBe('account');
    // ... unless the help center covers nearly all of a message that names no record of the customer's own.
    const covered = { ...strong, coverage: POLICY_COVERAGE };
    expect(favourKnowledge(out('account', 0.9), covered, 0.5, 'When does a workspace become read-only after an unpaid invoice?').route).toBe('faq');
    expect(favourKnowledge(out('account', 0.9), covered, 0.5, 'When does my invoice INV-2026-00077 become overdue?').route).toBe('account');
    expect(favourKnowledge(out('account', 0.9), { ...strong, coverage: POLICY_COVERAGE - 0.1 }, 0.5, 'When does a workspace become read-only?').route).toBe('account');
    expect(favourKnowledge(out('account', OVERRIDE_BELOW - 0.1), strong, 0.5).route).toBe('faq');
    expect(favourKnowledge(out('out_of_scope', 0.99), weak, 0.5).route).toBe('out_of_scope');
    const moved = favourKnowledge(out('out_of_scope', 0.99), strong, 0.5);
    expect(moved).toMatchObject({ route: 'faq' });
    expect(moved.confidence).toBeGreaterThanOrEqual(0.5);
    expect(moved.reasoning).toMatch(/payment-methods/);
    // An FAQ guess below the clarifying threshold is confirmed by strong evidence, not asked about.
    expect(favourKnowledge(out('faq', 0.42), strong, 0.5)).toMatchObject({ route: 'faq', confidence: 0.8 });
    expect(favourKnowledge(out('faq', 0.42), weak, 0.5).confidence).toBe(0.42);
    expect(mayFavourKnowledge(out('faq', 0.42), 'x', 0.5)).toBe(true);
    expect(mayFavourKnowledge(out('faq', 0.7), 'x', 0.5)).toBe(false);
  });
});
