// The short form of the OpenAPI fuzzer (test/fuzz/openapi-fuzz.ts) in `npm test`: a few hundred
// generated requests with a fixed seed (FUZZ_SEED overrides it; the seed is printed, so a failure can
// be replayed), on PostgreSQL and Redis. `npm run fuzz` is the long form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../app.js';
import { envelopeProblem, formatReport, fuzz } from './openapi-fuzz.js';
import { createFuzzApp } from './fuzz-app.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

describe('OpenAPI fuzz (short form, real PostgreSQL and Redis)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createFuzzApp('postgres');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the envelope check refuses what is not the envelope', () => {
    const h = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'abc' };
    expect(envelopeProblem(400, h, JSON.stringify({ error: { code: 'bad', message: 'm' }, correlation_id: 'abc' }))).toBeNull();
    expect(envelopeProblem(400, h, JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'm' }))).toMatch(/top-level keys/);
    expect(envelopeProblem(400, h, JSON.stringify({ error: { code: 'bad', message: 'm' }, correlation_id: 'other' }))).toMatch(/correlation_id/);
    expect(envelopeProblem(503, h, JSON.stringify({ error: { code: 'down', message: 'm' }, correlation_id: 'abc' }))).toMatch(/Retry-After/);
    expect(envelopeProblem(400, { ...h, 'content-type': 'text/plain' }, 'Bad Request')).toMatch(/content-type/);
  });

  it(`${RUNS} generated requests over every operation, every caller: no 5xx, every error in the envelope (seed ${SEED})`, async () => {
    const report = await fuzz({ app: t.app, login: t.login }, { seed: SEED, runs: RUNS });
    console.log(formatReport(report));
    expect(report.requests).toBe(RUNS);
    expect(report.violations).toEqual([]);
  }, 300_000);
});
