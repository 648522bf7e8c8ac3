import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
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
