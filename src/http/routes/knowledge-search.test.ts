import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { DRIVERS } from '../../../test/db.js';
import { searchKnowledge } from '../../agents/tools/knowledge-tools.js';
import { condenseForSearch, SEARCH_QUERY_CHARS } from '../../knowledge/salient.js';

interface Hit {
  document_id: string;
  slug: string;
  chunk_id: string;
  chunk: string;
  score: number;
}

describe.each(DRIVERS)('staff knowledge search (%s)', (driver) => {
  let t: TestApp;
  let agent: string;
  let alice: string;
  const search = (query: string, token = agent) => t.app.inject({ method: 'GET', url: `/api/v1/knowledge/search?${query}`, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    t = await createTestApp(driver);
    [agent, alice] = await Promise.all([t.login('agent@example.com'), t.login('alice@example.com')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('returns the hybrid search hits with document, slug, title, chunk and score, in the order the agent gets them', async () => {
    const res = await search('q=How%20long%20does%20shipping%20take%3F&limit=5');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { query: string; searched_for: string; items: Hit[] };
    expect(body.searched_for).toBe('How long does shipping take?');
    expect(body.items).toHaveLength(5);
    expect(body.items[0]).toMatchObject({ slug: expect.stringContaining('shipping'), title: expect.any(String), chunk: expect.any(String), score: expect.any(Number) });
    const direct = await searchKnowledge(t.deps, 'How long does shipping take?', 5);
    expect(body.items.map((h) => [h.chunk_id, h.document_id, h.score])).toEqual(direct.map((h) => [h.chunkId, h.documentId, h.score]));
    const scores = body.items.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('holds every passage the FAQ agent cites for the same question', async () => {
    const question = 'How do I return an item?';
    const chat = (await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: question } })).json();
    const cited = (chat.assistant_message.citations as { chunk_id: string }[]).map((c) => c.chunk_id);
    expect(cited.length).toBeGreaterThan(0);
    // The offline FAQ agent searches with limit 8.
    const found = (await search(`q=${encodeURIComponent(question)}&limit=8`)).json().items.map((h: Hit) => h.chunk_id);
    for (const id of cited) expect(found).toContain(id);
  });

  it('searches an over-long question by its salient part, as the agent does, and says what it searched for', async () => {
    const filler = 'I have been a customer for years and I really like the product, the team was always kind to me. '.repeat(8);
    const long = `${filler}How long does shipping to Canada take? ${filler}`;
    expect(long.length).toBeGreaterThan(SEARCH_QUERY_CHARS);
    const body = (await search(`q=${encodeURIComponent(long)}`)).json();
    expect(body.searched_for).toBe(await condenseForSearch(t.deps.db, long));
    expect(body.searched_for).toContain('Canada');
    expect(body.items.map((h: Hit) => h.chunk_id)).toEqual((await searchKnowledge(t.deps, body.searched_for, 5)).map((h) => h.chunkId));
  });

  it('is for staff only and validates the query', async () => {
    expect((await search('q=shipping', alice)).statusCode).toBe(403);
    expect((await search('q=shipping', '')).statusCode).toBe(401);
    const short = await search('q=a');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('validation_failed');
    expect((await search('q=shipping&limit=11')).statusCode).toBe(400);
  });
});
