import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../../test/db.js';
import { createLogger } from './logger.js';

// A failed query's error carries the statement's parameters (Drizzle: "Failed query: … params: …";
// PostgreSQL's `where`: "unnamed portal parameter $1 = '…'"). Message texts, emails and password
// hashes are parameters: a log line of the error must hold none of them (issue 13, item 1).
describe.each(DRIVERS)('errors in logs (%s)', (driver) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('a failed query is logged with its SQL and error code but without its parameters', async () => {
    const secret = 'secret-parameter-$argon2id$v=19$m=19456';
    // A unique violation quotes the value in `detail`; a bad cast quotes it in the message of some drivers.
    await testDb.database.db.execute(sql`CREATE TABLE leak_probe (v text PRIMARY KEY)`);
    await testDb.database.db.execute(sql`INSERT INTO leak_probe VALUES (${secret})`);
    const failure = await testDb.database.db.execute(sql`INSERT INTO leak_probe VALUES (${secret})`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(JSON.stringify({ m: (failure as Error).message, d: (failure as { cause?: { detail?: string } }).cause?.detail })).toContain('secret-parameter');

    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    log.error({ err: failure }, 'request failed');
    log.error(failure as Error);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('secret-parameter');
      expect(line).not.toContain('argon2');
      const parsed = JSON.parse(line);
      expect(parsed.err.message).toBe('Failed query');
      expect(parsed.err.query).toContain('INSERT INTO leak_probe');
      expect(parsed.err.cause.code).toBe('23505');
    }
  });
});
