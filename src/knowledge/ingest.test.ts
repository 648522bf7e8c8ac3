import { describe, expect, it } from 'vitest';
import { planChunkSync } from './ingest.js';

describe('planChunkSync', () => {
  const stored = [
    { id: 'a', heading: 'T', content: 'one' },
    { id: 'b', heading: 'T — Two', content: 'two' },
    { id: 'c', heading: 'T — Three', content: 'three' },
  ];

  it('keeps unchanged passages at their new positions and adds only the changed ones', () => {
    const plan = planChunkSync(stored, [
      { heading: 'T', content: 'one' },
      { heading: 'T — Three', content: 'three' },
      { heading: 'T — Two', content: 'two, changed' },
    ]);
    expect(plan.keep).toEqual([
      { id: 'a', index: 0 },
      { id: 'c', index: 1 },
    ]);
    expect(plan.add).toEqual([{ heading: 'T — Two', content: 'two, changed', index: 2 }]);
  });

  it('uses a stored passage once even when the new text repeats it', () => {
    const plan = planChunkSync(stored.slice(0, 1), [
      { heading: 'T', content: 'one' },
      { heading: 'T', content: 'one' },
    ]);
    expect(plan.keep).toEqual([{ id: 'a', index: 0 }]);
    expect(plan.add).toHaveLength(1);
  });
});
