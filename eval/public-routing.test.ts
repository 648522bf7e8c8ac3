import { describe, expect, it } from 'vitest';
import type { RoutingItem } from './lib/data.js';
import { scoreInProcess, targetRows } from './public-routing.js';
import type { RouteFn } from './routing.js';

const items = (routes: string[]): RoutingItem[] => routes.map((route, i) => ({ text: `m${i}`, route: route as RoutingItem['route'], tags: ['l'], batch: 'fresh' }));

/** Calls everything out of scope with full confidence. */
const alwaysOut: RouteFn = async () => ({ route: 'out_of_scope', confidence: 1, clarify: false });

describe('public routing scores', () => {
  it('shows that a router calling everything out of scope only looks good on plain accuracy', async () => {
    const [s] = await scoreInProcess([{ set: 'x', own: false, items: items([...Array(9).fill('out_of_scope'), 'faq']) }], alwaysOut);
    expect(s!.inProcess.accuracy).toBeCloseTo(0.9);
    expect(s!.inProcess.majority).toEqual({ route: 'out_of_scope', accuracy: 0.9 });
    expect(s!.inProcess.balancedAccuracy).toBeCloseTo(0.5);
    // confidence 1, right 90 %: ECE 0.1
    expect(s!.inProcess.calibration.ece).toBeCloseTo(0.1);
  });

  it('meets a target only when every public set meets it, and never without chat figures for the false-ticket rate', async () => {
    const scores = await scoreInProcess(
      [
        { set: 'own', own: true, items: items(['faq']) },
        { set: 'a', own: false, items: items(Array(10).fill('out_of_scope')) },
        { set: 'b', own: false, items: items([...Array(8).fill('out_of_scope'), 'faq', 'faq']) },
      ],
      alwaysOut,
    );
    const met = (rows: string[][]) => rows.map((r) => r[3]);
    // a: 100 %, b: 80 % < 85 % → accuracy NO; ECE a 0, b 0.2 → NO; no chat run → NO
    expect(met(targetRows(scores))).toEqual(['NO', '', 'NO', 'NO']);
    const onlyA = scores.filter((s) => s.set !== 'b');
    onlyA[1]!.chat = { n: 10, directlyRight: 1, clarifyRate: 0, ticketRate: 0, falseTicketRate: 0, ticketsWithoutAsking: 0, askingForPerson: 0 };
    expect(met(targetRows(onlyA))).toEqual(['yes', '', 'yes', 'yes']);
  });
});
