import { describe, expect, it } from 'vitest';
import { KNOWLEDGE_ARTICLES } from '../../src/demo/knowledge-articles.js';
import { ROUTES } from '../../src/llm/offline/routes.js';
import { ownTrainingUtterances } from '../../scripts/train-router.js';
import { SCENARIOS } from '../scenarios/index.js';
import { loadRetrievalSet, loadRoutingSet, overlapKey } from './data.js';

const key = overlapKey;

describe('the routing set', () => {
  const items = loadRoutingSet();

  it('has at least 500 labelled messages covering every route and writing style', () => {
    expect(items.length).toBeGreaterThanOrEqual(500);
    for (const route of ROUTES) expect(items.filter((i) => i.route === route).length, route).toBeGreaterThanOrEqual(50);
    const tags = new Set(items.flatMap((i) => i.tags));
    for (const tag of ['plain', 'typo', 'slang', 'short', 'long', 'multi', 'lang:es', 'lang:fr', 'lang:de']) expect(tags, tag).toContain(tag);
  });

  it('shares no message with the classifier training set, even after normalisation', () => {
    const training = new Set(ownTrainingUtterances().map((u) => key(u.text)));
    const leaked = items.filter((i) => training.has(key(i.text))).map((i) => i.text);
    expect(leaked).toEqual([]);
  });

  it('has no duplicates of its own', () => {
    const keys = items.map((i) => key(i.text));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the retrieval set', () => {
  const items = loadRetrievalSet();
  const slugs = new Set(KNOWLEDGE_ARTICLES.map((a) => a.slug));

  it('shares no question with the classifier training set, even after normalisation', () => {
    const training = new Set(ownTrainingUtterances().map((u) => key(u.text)));
    expect(items.filter((i) => training.has(key(i.question))).map((i) => i.question)).toEqual([]);
  });

  it('has at least 200 questions, each labelled with articles that exist', () => {
    expect(items.length).toBeGreaterThanOrEqual(200);
    for (const item of items) for (const s of item.relevant) expect(slugs, `${item.question} → ${s}`).toContain(s);
  });

  it('asks about every article and checks answers on a subset', () => {
    const asked = new Set(items.flatMap((i) => i.relevant));
    expect([...slugs].filter((s) => !asked.has(s))).toEqual([]);
    expect(items.filter((i) => i.answer_check).length).toBeGreaterThanOrEqual(50);
  });

  it('says for every answer-checked question which fact the answer must lead with, a fact its article states', () => {
    for (const item of items.filter((i) => i.answer_check)) {
      expect(item.answer_fact, item.question).toBeTruthy();
      const fact = new RegExp(item.answer_fact!, 'i');
      const articles = KNOWLEDGE_ARTICLES.filter((a) => item.relevant.includes(a.slug));
      expect(
        articles.some((a) => fact.test(a.content.replace(/\*\*/g, ''))),
        `${item.question}: /${item.answer_fact}/`,
      ).toBe(true);
    }
  });

  it('paraphrases: no question is a sentence copied from an article', () => {
    const text = KNOWLEDGE_ARTICLES.map((a) => key(a.content)).join(' ');
    const copied = items.filter((i) => text.includes(key(i.question))).map((i) => i.question);
    expect(copied).toEqual([]);
  });
});

describe('the conversation scenarios', () => {
  it('are at least 30, with unique ids', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
  });
});
