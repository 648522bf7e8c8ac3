// `npm run fault`: the long form of the restart-under-load suite (./chat-load.ts) against the compiled
// server (`node dist/main.js`, built first when stale). Options: --clients N (10), --outage-ms N (6000),
// --settle-ms N (8000), --entry dist|source. Exits 1 unless lost, duplicated and missing replies are all 0.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatScenario, runRestartScenario } from './chat-load.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '10' },
    'outage-ms': { type: 'string', default: '6000' },
    'settle-ms': { type: 'string', default: '8000' },
    entry: { type: 'string', default: 'dist' },
  },
});
const entry = values.entry === 'source' ? 'source' : 'dist';
if (entry === 'dist') {
  const built = spawnSync(process.execPath, [join(import.meta.dirname, '../../scripts/ensure-built.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
const report = await runRestartScenario({
  clients: Number(values.clients),
  outageMs: Number(values['outage-ms']),
  settleMs: Number(values['settle-ms']),
  entry,
  log: (line) => console.log(`  ${line}`),
});
console.log(formatScenario(report));
process.exitCode = report.lost + report.duplicated + report.missingReplies === 0 && report.unacked === 0 ? 0 : 1;
