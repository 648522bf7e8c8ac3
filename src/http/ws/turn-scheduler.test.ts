import { describe, expect, it } from 'vitest';
import { TurnScheduler } from './turn-scheduler.js';

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('TurnScheduler', () => {
  it('answers messages sent while a turn runs with one more turn, together', async () => {
    const batches: string[][] = [];
    const first = gate();
    const scheduler = new TurnScheduler<string>(0, async (_id, batch) => {
      batches.push(batch);
      if (batches.length === 1) await first.promise;
    });
    scheduler.submit('c1', 'hello');
    await tick();
    expect(batches).toEqual([['hello']]);
    scheduler.submit('c1', 'are you there?');
    scheduler.submit('c1', 'my order is late');
    scheduler.submit('c1', 'order 1234');
    await tick();
    expect(batches).toHaveLength(1);
    first.open();
    await scheduler.close();
    expect(batches).toEqual([['hello'], ['are you there?', 'my order is late', 'order 1234']]);
  });

  it('gathers a burst inside the debounce window into one turn', async () => {
    const batches: string[][] = [];
    const scheduler = new TurnScheduler<string>(60_000, async (_id, batch) => {
      batches.push(batch);
    });
    scheduler.submit('c1', 'a');
    scheduler.submit('c1', 'b');
    scheduler.submit('c2', 'x');
    await tick();
    expect(batches).toEqual([]);
    expect(scheduler.busy('c1')).toBe(true);
    // Shutdown answers what waits instead of dropping it.
    await scheduler.close();
    expect(batches).toEqual([['a', 'b'], ['x']]);
    expect(scheduler.busy('c1')).toBe(false);
  });

  it('keeps going after a failed turn', async () => {
    const errors: unknown[] = [];
    const batches: string[][] = [];
    const scheduler = new TurnScheduler<string>(
      0,
      async (_id, batch) => {
        batches.push(batch);
        if (batch[0] === 'boom') throw new Error('model down');
      },
      (err) => errors.push(err),
    );
    scheduler.submit('c1', 'boom');
    await tick();
    scheduler.submit('c1', 'again');
    await scheduler.close();
    expect(batches).toEqual([['boom'], ['again']]);
    expect(errors).toHaveLength(1);
  });
});

describe('TurnScheduler.idle', () => {
  it('resolves once every waiting and running turn is done', async () => {
    const done: string[] = [];
    const scheduler = new TurnScheduler<string>(20, async (_id, batch) => {
      done.push(...batch);
    });
    await scheduler.idle();
    scheduler.submit('c1', 'a');
    scheduler.submit('c2', 'b');
    await scheduler.idle();
    expect(done.sort()).toEqual(['a', 'b']);
  });
});
