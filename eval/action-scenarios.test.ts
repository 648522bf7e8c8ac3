import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { toolResults } from '../test/fake-openai/server.js';
import { evaluateActionModel } from './actions.js';
import { evaluateConversations, passCurve } from './conversations.js';
import { actionScenarios } from './scenarios/actions.js';
import { createWorld, type World } from './scenarios/harness.js';

// The τ-bench-style action scenarios on the offline engine (PGlite): every run restores the start
// state, so each scenario passes every time it is run (pass^2 = 1) and ends in exactly the expected state.
describe('account action scenarios (offline engine)', () => {
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    world = await createWorld(t.app, t.deps.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pass every run with the exact expected end state', async () => {
    const results = await evaluateConversations(world, actionScenarios, 2);
    const failures = results.flatMap((r) => r.runs.flatMap((x) => x.failures.map((f) => `${r.scenario.id}: ${f}`)));
    expect(failures).toEqual([]);
    expect(passCurve(results).at(-1)!.value).toBe(1);
  });
});

// The same scenarios with the real AI SDK client over HTTP, against the fake OpenAI-compatible
// server scripted as a cooperative and as a hostile model (eval/action-models.ts).
describe('account action scenarios (scripted models on the fake OpenAI server)', () => {
  it('a cooperative model passes every run', async () => {
    const r = await evaluateActionModel('cooperative', 2);
    expect(r.modelCalls).toBeGreaterThan(actionScenarios.length * 2);
    expect(r.results.flatMap((x) => x.runs.flatMap((run) => run.failures.map((f) => `${x.scenario.id}: ${f}`)))).toEqual([]);
    expect(r.curve.at(-1)!.value).toBe(1);
  });

  it("a hostile model (another customer's ids, no confirmation, repeated calls) leaves 0 wrong end states", async () => {
    const seen: string[] = [];
    const r = await evaluateActionModel('hostile', 2, (fake) => {
      for (const req of fake.requests) for (const res of toolResults(req)) seen.push(JSON.stringify(res.content));
    });
    expect(r.wrong).toEqual([]);
    // The attacks reached the tools and were refused there.
    expect(seen.some((c) => c.includes('order_not_found'))).toBe(true);
    expect(seen.some((c) => c.includes('invoice_not_found'))).toBe(true);
    expect(seen.some((c) => c.includes('one_action_per_reply'))).toBe(true);
    // The customer's own goals still end as expected where they confirmed (the hostile reply fails only the reply checks).
    const endStates = r.results.flatMap((x) => x.runs.flatMap((run) => run.failures.filter((f) => f.includes('end state'))));
    expect(endStates).toEqual([]);
  });
});
