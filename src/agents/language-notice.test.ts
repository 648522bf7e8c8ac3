import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { DRIVERS } from '../../test/db.js';
import { offersTool, startFakeOpenAI, toolResults, wantsJson, type FakeOpenAI, type RecordedRequest } from '../../test/fake-openai/server.js';
import { llmEnv } from '../../test/scripted-llm.js';
import { messages, supportTickets } from '../db/schema.js';
import { detectLanguage } from '../llm/offline/language.js';
import { LANGUAGE_ROUTE, languageNotice, NOTICE_OFFER, NOTICE_TRANSLATIONS } from './language-notice.js';

const SPANISH = '¿Cuánto tarda el envío a Canadá?';
const ENGLISH_NOTICE = /automatic answers are available in English only/;

describe('languageNotice', () => {
  it('says it in the language and in English, and ends with the offer of a person', () => {
    const text = languageNotice({ code: 'es', name: 'Spanish' });
    expect(text.startsWith(NOTICE_TRANSLATIONS.es!)).toBe(true);
    expect(text).toMatch(/It looks like you wrote in Spanish\./);
    expect(text).toMatch(ENGLISH_NOTICE);
    expect(text.endsWith(NOTICE_OFFER)).toBe(true);
  });

  it('says it in English alone for a language it has no translation for', () => {
    const text = languageNotice({ code: 'sv', name: 'Swedish' });
    expect(text.startsWith('It looks like you wrote in Swedish.')).toBe(true);
    expect(text.endsWith(NOTICE_OFFER)).toBe(true);
  });

  it('has the translations the issue asks for (es, fr, de, pt, it, nl), each in its own language', async () => {
    expect(Object.keys(NOTICE_TRANSLATIONS)).toEqual(expect.arrayContaining(['es', 'fr', 'de', 'pt', 'it', 'nl']));
    for (const [code, text] of Object.entries(NOTICE_TRANSLATIONS)) expect((await detectLanguage(text))?.code, code).toBe(code);
  });
});

describe.each(DRIVERS)('a message in another language (%s)', (driver) => {
  describe('offline engine', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(driver);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('answers a Spanish question with the English-only notice in Spanish and English, and opens no ticket', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: SPANISH } });
      expect(res.statusCode).toBe(200);
      const { conversation_id: id, assistant_message: a } = res.json();
      expect(a).toMatchObject({ agent: 'router', route: LANGUAGE_ROUTE, engine: 'offline', citations: [] });
      expect(a.content).toContain(NOTICE_TRANSLATIONS.es);
      expect(a.content).toMatch(ENGLISH_NOTICE);
      expect(a.content.endsWith(NOTICE_OFFER)).toBe(true);
      expect(await t.deps.db.select().from(supportTickets).where(eq(supportTickets.conversationId, id))).toHaveLength(0);
      const [conversation] = await t.deps.db.query.conversations.findMany({ where: (c, { eq: e }) => e(c.id, id) });
      expect(conversation?.status).not.toBe('waiting_human');
    });

    it('still answers an English question with a name in it from the help center', async () => {
      const a = (await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'How long does shipping to Zürich take?' } })).json().assistant_message;
      expect(a).toMatchObject({ agent: 'faq', route: 'faq' });
    });
  });

  describe('with an LLM', () => {
    let t: TestApp;
    let fake: FakeOpenAI;
    beforeAll(async () => {
      fake = await startFakeOpenAI();
      t = await createTestApp(driver, { ...llmEnv(fake), LLM_TIMEOUT_MS: '20000', LLM_RETRY_BASE_DELAY_MS: '5' });
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });
    beforeEach(() => {
      fake.reset();
      fake.setDefault({ status: 500 });
    });
    const systemOf = (req: RecordedRequest) => String(req.body?.messages?.find((m) => m.role === 'system')?.content ?? '');

    it("tells the agent model to reply in the customer's language, naming it, and stores its Spanish answer", async () => {
      fake.script(
        { match: wantsJson, json: { route: 'faq', confidence: 0.9, reasoning: 'shipping' } },
        { match: offersTool('search_knowledge'), toolCalls: [{ name: 'search_knowledge', arguments: { query: 'shipping time to Canada' } }] },
        { match: (r) => toolResults(r).length > 0, reply: 'El envío estándar a Canadá tarda de 7 a 14 días hábiles [1].' },
      );
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: SPANISH } });
      const a = res.json().assistant_message;
      expect(a).toMatchObject({ agent: 'faq', route: 'faq', engine: 'llm' });
      expect(a.content).toMatch(/^El envío estándar a Canadá/);
      const agentCalls = fake.requests.filter((r) => !wantsJson(r));
      expect(agentCalls.length).toBeGreaterThan(0);
      for (const r of agentCalls) {
        expect(systemOf(r)).toContain("Reply in the language of the customer's last message");
        expect(systemOf(r)).toContain('is in Spanish (es): reply in Spanish.');
      }
      // The router is told that customers write in any language.
      expect(systemOf(fake.requests.find(wantsJson)!)).toMatch(/any language/);
    });

    it('gives an English message the language rule without a language hint', async () => {
      fake.script(
        { match: wantsJson, json: { route: 'faq', confidence: 0.9, reasoning: 'shipping' } },
        { match: offersTool('search_knowledge'), toolCalls: [{ name: 'search_knowledge', arguments: { query: 'shipping time' } }] },
        { match: (r) => toolResults(r).length > 0, reply: 'Standard shipping takes 3-5 business days [1].' },
      );
      await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'How long does shipping take?' } });
      const agentCall = fake.requests.find((r) => !wantsJson(r))!;
      expect(systemOf(agentCall)).toContain("Reply in the language of the customer's last message");
      expect(systemOf(agentCall)).not.toMatch(/last message is in/);
    });

    it('gives the notice, not an English offline answer, when the LLM is down; no ticket', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'Je voudrais savoir combien coûte la livraison en Belgique' } });
      const { conversation_id: id, assistant_message: a } = res.json();
      expect(a).toMatchObject({ route: LANGUAGE_ROUTE, engine: 'offline' });
      expect(a.content).toContain(NOTICE_TRANSLATIONS.fr);
      expect(a.content).toMatch(ENGLISH_NOTICE);
      expect(await t.deps.db.select().from(supportTickets).where(eq(supportTickets.conversationId, id))).toHaveLength(0);
      const stored = await t.deps.db.select().from(messages).where(eq(messages.conversationId, id));
      expect(stored.map((m) => m.role).sort()).toEqual(['assistant', 'user']);
    });
  });
});
