import { describe, expect, it } from 'vitest';
import { type BufferedUsageRow, UsageBuffer } from './usage-recorder.js';

const row = (conversationId: string, costUsd: number) => ({
  conversationId,
  provider: 'openai',
  model: 'm',
  agent: 'faq',
  status: 'ok',
  inputTokens: 1,
  outputTokens: 1,
  cachedTokens: 0,
  costUsd,
  latencyMs: 5,
});

describe('usage rows held back until the reply', () => {
  it("writes a turn's rows in one insert once its reply is stored, linked to it, with its failed attempts", async () => {
    const writes: BufferedUsageRow[][] = [];
    let n = 0;
    const buffer = new UsageBuffer(
      async (rows) => void writes.push(rows),
      () => {},
      { newId: () => `u${++n}`, delayMs: 60_000 },
    );
    const router = buffer.add(row('c1', 0.01));
    const failed = buffer.add({ ...row('c1', 0), status: 'timeout' });
    const answer = buffer.add(row('c1', 0.02));
    const other = buffer.add(row('c2', 0.03));
    expect(writes).toHaveLength(0);
    await buffer.settle([router, answer], 'm1', 'c1');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.map((r) => [r.id, r.messageId])).toEqual([
      [router, 'm1'],
      [failed, undefined],
      [answer, 'm1'],
    ]);
    await buffer.flush();
    expect(writes[1]!.map((r) => r.id)).toEqual([other]);
  });

  it('writes rows no turn settles after a short delay, and reports a failed write without throwing', async () => {
    const errors: unknown[] = [];
    let writes = 0;
    const buffer = new UsageBuffer(
      async () => {
        writes++;
        throw new Error('database down');
      },
      (err) => errors.push(err),
      { newId: () => 'u1', delayMs: 5 },
    );
    buffer.add(row('c1', 0.01));
    await new Promise((r) => setTimeout(r, 30));
    expect(writes).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it("keeps a running turn's rows for its settle when an older row's timer fires, and writes them once they are old", async () => {
    let clock = 0;
    const written: BufferedUsageRow[][] = [];
    let n = 0;
    const buffer = new UsageBuffer(
      async (rows) => {
        written.push(rows);
      },
      () => {},
      { newId: () => `u${++n}`, delayMs: 20, now: () => clock },
    );
    buffer.add(row('orphan', 0.01)); // u1 at 0: a failed call no turn settles
    clock = 15;
    const slow = buffer.add(row('slow', 0.02)); // u2 at 15: a turn still running when u1's timer fires
    clock = 25;
    await new Promise((r) => setTimeout(r, 30));
    expect(written.map((rows) => rows.map((r) => r.id))).toEqual([['u1']]);
    await buffer.settle([slow], 'm-slow', 'slow');
    expect(written.at(-1)).toEqual([expect.objectContaining({ id: 'u2', messageId: 'm-slow' })]);
    buffer.add(row('late', 0.03)); // u3 at 25, never settled: written by a later timer
    clock = 60;
    await new Promise((r) => setTimeout(r, 40));
    expect(written.at(-1)?.map((r) => r.id)).toEqual(['u3']);
  });
});
