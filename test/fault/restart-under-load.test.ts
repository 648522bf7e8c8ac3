// PostgreSQL, then Redis, restarted under a steady chat load (issue 13): 10 clients, each retrying every
// message with the same Idempotency-Key until it is answered, against the service as a real process
// (src/main.ts through tsx here; `npm run fault` runs the compiled dist/main.js) on a PostgreSQL cluster
// (initdb + pg_ctl) and a redis-server of its own. Counts lost, duplicated and unanswered messages, and
// sets each outage against the window in which requests failed.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatScenario, runRestartScenario, type ScenarioReport } from './chat-load.js';

describe('PostgreSQL and Redis restarted under a chat load (short form)', () => {
  let report: ScenarioReport;
  beforeAll(async () => {
    report = await runRestartScenario({ clients: 10, outageMs: 4000, settleMs: 4000, giveUpMs: 20_000, entry: 'source', log: (l) => console.log(l) });
    console.log(formatScenario(report));
  }, 300_000);

  it('kept a steady load going: every client sent messages before, during and after the outages', () => {
    expect(report.messages).toBeGreaterThanOrEqual(report.clients * 3);
    expect(report.outages.map((o) => o.service)).toEqual(['postgresql', 'redis']);
  });

  it('lost no acknowledged message', () => {
    expect(report.lost, report.examples.join('\n')).toBe(0);
  });

  it('stored no message twice', () => {
    expect(report.duplicated, report.examples.join('\n')).toBe(0);
  });

  it('failed only with 503 (Retry-After) or an idempotency conflict, never a 500, and the 503s stopped within 2 s of the restart', () => {
    for (const o of report.outages) {
      const other = Object.keys(o.failed).filter((k) => !/^503 dependency_unavailable$|^409 idempotency_conflict$/.test(k));
      expect(other, `${o.service}: ${JSON.stringify(o.failed)}`).toEqual([]);
      expect(o.dependencyPastRestartMs, `${o.service}: ${JSON.stringify(o)}`).toBeLessThanOrEqual(2000);
    }
  });

  // Waiting for issue 13 item 6 (idempotent retry after a failed turn, being fixed separately): a turn that
  // failed while PostgreSQL was down leaves its key in flight, so its retries get 409 until the key goes
  // stale (300 s) and the stored message is never answered. Measured here before that fix: 3-5 of ~720
  // messages never acked, 2-3 stored without a reply, 409s for 3.9 s past the restart. Un-skip when it lands.
  it('every message was acknowledged in the end, and answered exactly once', () => {
    expect(report.unacked, report.examples.join('\n')).toBe(0);
    expect(report.missingReplies, report.examples.join('\n')).toBe(0);
  });

  it('requests failed only while a service was down, plus at most 2 s', () => {
    for (const o of report.outages) expect(o.pastRestartMs, `${o.service}: ${JSON.stringify(o)}`).toBeLessThanOrEqual(2000);
  });
});
