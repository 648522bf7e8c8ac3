import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../test/app.js';
import { TEST_DATABASE_URL } from '../../test/db.js';
import { CommandLog, countSent, describeRedis, describeSql, instrumentClients, redisRoundTrips } from './command-log.js';

describe('counting the commands a process sends', () => {
  const log = new CommandLog();
  let restore: () => void;
  let pool: pg.Pool;
  let redis: Redis;
  beforeAll(async () => {
    restore = instrumentClients(log);
    pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    redis = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
    await pool.query('SELECT 1'); // connect outside the recording
    await redis.ping();
  });
  afterAll(async () => {
    restore();
    await pool.end();
    await redis.quit();
  });

  it('counts pool queries and Redis commands, auto-pipelined ones each, only while recording', async () => {
    log.start();
    await pool.query('SELECT $1::int AS n', [1]);
    await Promise.all([redis.get('sb:command-log-test:a'), redis.get('sb:command-log-test:b')]);
    const sent = log.stop();
    await pool.query('SELECT 2');
    expect(countSent(sent)).toEqual({ pg: 1, redis: 2 });
    expect(sent[0]).toEqual({ kind: 'pg', what: 'SELECT $1::int AS n' });
    expect(sent[1]).toMatchObject({ kind: 'redis', what: 'GET sb:command-log-test:a' });
    // Sent in the same tick, the two GETs went out as one pipeline: one round trip.
    expect(redisRoundTrips(sent)).toBe(1);
    expect(log.sent).toHaveLength(3);
  });

  it('describes statements on one line and long arguments cut short', () => {
    expect(describeSql('select  *\n  from t', 100)).toBe('select * from t');
    expect(describeSql('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(describeRedis('evalsha', ['(script rateLimit)', 1])).toBe('EVALSHA (script rateLimit)');
  });
});
