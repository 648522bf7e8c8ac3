import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { evaluateForeignArticles, foreignAnswerRates, questionsPerArticle, type ForeignAnswer } from './public-retrieval.js';

describe('foreign-article answers', () => {
  it('picks the same k questions per article whatever their order', () => {
    const qs = ['a1', 'a2', 'a3', 'b1', 'b2'].map((q) => ({ question: `question ${q}`, slug: q[0]! }));
    const one = questionsPerArticle(qs, 2);
    expect(one.filter((q) => q.slug === 'a')).toHaveLength(2);
    expect(one.filter((q) => q.slug === 'b')).toHaveLength(2);
    expect(new Set(questionsPerArticle([...qs].reverse(), 2).map((q) => q.question))).toEqual(new Set(one.map((q) => q.question)));
  });

  it('counts citations of the right article, questions routed away from FAQ and where they went', () => {
    const a = (slug: string, agent: string, route: string, cited: string[], tickets = 0): ForeignAnswer => ({ question: `${slug}-${agent}-${cited.join()}`, slug, agent, route, cited, tickets });
    const answers = [a('x', 'faq', 'faq', ['y', 'x']), a('x', 'faq', 'faq', ['y']), a('x', 'escalation', 'escalation', [], 1), a('x', 'router', 'clarify', [])];
    const top5 = new Map(answers.map((x, i) => [x.question, i === 0]));
    const r = foreignAnswerRates({ answers, top5 });
    expect(r.citedRight).toBeCloseTo(1 / 4);
    expect(r.firstCitedRight).toBe(0);
    expect(r.routedAway).toBeCloseTo(2 / 4);
    expect(r.away).toEqual({ escalation: 0.25, clarify: 0.25 });
    expect(r.ticketRate).toBeCloseTo(1 / 4);
    expect(r.toFaq).toBe(2);
    expect(r.faqTop5).toBeCloseTo(1 / 2);
    expect(r.faqCitedRight).toBeCloseTo(1 / 2);
  });
});

describe('foreign articles through the knowledge API (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds the articles as the admin, finds them by their paraphrased questions and asks each through the chat API', async () => {
    const articles = [
      {
        slug: 'zorbtex-calendar-sync',
        title: 'Syncing a Zorbtex calendar with Quillmail',
        category: 'web-apps',
        content: 'Open Zorbtex, choose Quillmail under Calendars and press Sync. Events appear within ten minutes.',
      },
      { slug: 'plimber-photo-albums', title: 'Sharing Plimber photo albums', category: 'web-apps', content: 'In Plimber, open an album and press Share to send a link; viewers need no account.' },
    ];
    const questions = [
      { question: 'how can my zorbtex calendar show up in quillmail', slug: 'zorbtex-calendar-sync' },
      { question: 'can I send a plimber album link to friends', slug: 'plimber-photo-albums' },
    ];
    const r = await evaluateForeignArticles(t, { articles, questions }, 1);
    expect(r.search).toMatchObject({ n: 2, recallAt5: 1, hitAt1: 1 });
    expect(r.answers.map((a) => a.slug).sort()).toEqual(['plimber-photo-albums', 'zorbtex-calendar-sync']);
    expect(Object.values(r.routed).reduce((s, v) => s + v, 0)).toBeCloseTo(1);
    const docs = (await t.app.inject({ method: 'GET', url: '/api/v1/knowledge?category=web-apps', headers: { authorization: `Bearer ${await t.login('admin@example.com')}` } })).json();
    expect(docs.items.map((d: { slug: string }) => d.slug).sort()).toEqual(['plimber-photo-albums', 'zorbtex-calendar-sync']);
  });
});
