import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines.js';

describe('Deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs each item when its own time comes, in order of due time, on one timer', () => {
    const due: string[] = [];
    const d = new Deadlines<string>((item) => due.push(`${item}@${Date.now() - 1_000_000}`));
    d.set('c', Date.now() + 300);
    d.set('a', Date.now() + 100);
    d.set('b', Date.now() + 200);
    d.set('a2', Date.now() + 100);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due.sort()).toEqual(['a2@100', 'a@100']);
    vi.advanceTimersByTime(200);
    expect(due.slice(2)).toEqual(['b@200', 'c@300']);
    expect(d.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never runs a removed item, and a new deadline replaces the old one', () => {
    const due: number[] = [];
    const d = new Deadlines<number>((item) => due.push(item));
    for (let i = 0; i < 50; i++) d.set(i, Date.now() + 1000 + ((i * 37) % 50) * 10);
    for (let i = 0; i < 50; i += 2) d.delete(i);
    d.set(1, Date.now() + 5000);
    vi.advanceTimersByTime(1500);
    const odd = Array.from({ length: 25 }, (_, k) => 2 * k + 1).filter((i) => i !== 1);
    expect(due.sort((a, b) => a - b)).toEqual(odd);
    vi.advanceTimersByTime(3500);
    expect(due).toContain(1);
    expect(due.filter((i) => i % 2 === 0)).toEqual([]);
  });

  it('fires in due order however the items were added and removed', () => {
    const order: number[] = [];
    const d = new Deadlines<{ at: number }>((item) => order.push(item.at));
    const items = Array.from({ length: 200 }, (_, i) => ({ at: Date.now() + ((i * 7919) % 1000) + 1 }));
    for (const item of items) d.set(item, item.at);
    for (const item of items.slice(0, 60)) d.delete(item);
    vi.advanceTimersByTime(2000);
    expect(order).toHaveLength(140);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('clear() forgets every deadline', () => {
    const due: string[] = [];
    const d = new Deadlines<string>((item) => due.push(item));
    d.set('x', Date.now() + 10);
    d.clear();
    vi.advanceTimersByTime(100);
    expect(due).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
