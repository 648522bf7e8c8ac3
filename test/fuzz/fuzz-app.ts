import { randomBytes } from 'node:crypto';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../app.js';
import type { Driver } from '../db.js';

/**
 * The app as the fuzzer attacks it: production mode (a real JWT secret, no public /metrics without
 * its token), the demo company, on a fresh database of the given driver; on PostgreSQL with the
 * machine's Redis (TEST_REDIS_URL) too.
 */
export function createFuzzApp(driver: Driver): Promise<TestApp> {
  return createTestApp(driver, {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    METRICS_TOKEN: randomBytes(16).toString('hex'),
    ...(driver === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {}),
  });
}
