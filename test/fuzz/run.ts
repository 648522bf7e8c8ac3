// `npm run fuzz`: the long form of the OpenAPI fuzzer, on a fresh database of the machine's PostgreSQL
// (TEST_DATABASE_URL) and its Redis (TEST_REDIS_URL). Options: --runs N (default 10000), --seed N
// (default: a new one, printed), --driver pglite (the embedded default instead), --http (over a real
// socket instead of app.inject). Exits 1 when any answer was a 5xx, outside the envelope or leaked internals.
import { parseArgs } from 'node:util';
import { createFuzzApp } from './fuzz-app.js';
import { formatReport, fuzz } from './openapi-fuzz.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' }, driver: { type: 'string', default: 'postgres' }, http: { type: 'boolean', default: false } },
});
const driver = values.driver === 'pglite' ? 'pglite' : 'postgres';
const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const how = `${driver !== 'postgres' ? ` --driver ${driver}` : ''}${values.http ? ' --http' : ''}`;
console.log(`fuzz: ${runs} requests, seed ${seed} (replay: npm run fuzz -- --seed ${seed} --runs ${runs}${how})`);
const t = await createFuzzApp(driver);
try {
  const baseUrl = values.http ? await t.app.listen({ port: 0, host: '127.0.0.1' }) : undefined;
  const report = await fuzz({ app: t.app, login: t.login, baseUrl }, { seed, runs, progress: (n) => n % 1000 === 0 && console.log(`  ${n} requests`) });
  console.log(formatReport(report));
  process.exitCode = report.violations.length ? 1 : 0;
} finally {
  await t.close();
}
