import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_JWT_SECRET, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs embedded with no settings at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: './data', LLM_PROVIDER: 'offline', EMBEDDING_DIMENSIONS: 384, SEED_DEMO: true });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', EMBEDDING_DIMENSIONS: '3', DATABASE_URL: 'not a url' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const key of ['PORT', 'LOG_LEVEL', 'EMBEDDING_DIMENSIONS', 'DATABASE_URL']) expect(problems).toContain(key);
    }
  });

  it('refuses a missing or demo JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEMO_JWT_SECRET })).toThrow(/demo secret/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(40) }).JWT_SECRET).toBe('a'.repeat(40));
  });

  it('links registrations to customer records by email only outside production unless told', () => {
    expect(loadConfig({}).REGISTER_LINKS_CUSTOMER).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'b'.repeat(40) }).REGISTER_LINKS_CUSTOMER).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'b'.repeat(40), REGISTER_LINKS_CUSTOMER: 'true' }).REGISTER_LINKS_CUSTOMER).toBe(true);
  });

  it('does not load demo data into a configured database unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
  });

  it('requires a model and endpoint for an LLM provider', () => {
    expect(() => loadConfig({ LLM_PROVIDER: 'openai-compatible' })).toThrow(/LLM_MODEL[\s\S]*LLM_BASE_URL/);
    expect(loadConfig({ LLM_PROVIDER: 'openai-compatible', LLM_MODEL: 'llama3', LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }).LLM_MODEL).toBe('llama3');
  });
});
