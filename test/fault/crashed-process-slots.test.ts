// WebSocket connection slots of a crashed API process (issue 13 item 10): each process vouches for its
// own connections in Redis every third of WS_SLOT_TTL_SECONDS (12 s); a process killed without a
// goodbye stops vouching, and within the TTL its users may connect to another process again (it was
// 90 s: three WebSocket heartbeats). One API process is this test's app, the other a child process
// (src/main.ts through tsx) on the same database and Redis key space, killed with SIGKILL.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_REDIS_URL, type TestApp } from '../app.js';
import { freePort, type RunningProcess, startProcess, waitForHttp } from '../processes.js';
import { WsClient } from '../ws-client.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAX = 2;

describe('WebSocket slots of a crashed API process', () => {
  let t: TestApp;
  let child: RunningProcess;
  let childBase: string;
  let base: string;
  const clients: WsClient[] = [];

  beforeAll(async () => {
    t = await createTestApp('postgres', { REDIS_URL: TEST_REDIS_URL, WS_MAX_CONNECTIONS_PER_USER: String(MAX) });
    const port = await freePort();
    childBase = `http://127.0.0.1:${port}`;
    child = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: t.testDb.url!,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: t.deps.config.REDIS_KEY_PREFIX,
        PORT: String(port),
        HOST: '127.0.0.1',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'warn',
        WS_MAX_CONNECTIONS_PER_USER: String(MAX),
        OTEL_EXPORTER_OTLP_ENDPOINT: '',
      },
    });
    await waitForHttp(`${childBase}/ready`, child, 180_000);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await child?.stop(5_000);
    await t?.close();
  });

  /** Opens a socket to `url` and authenticates: 'ready' or the error code it got. */
  async function tryConnect(url: string, token: string): Promise<string> {
    const c = await WsClient.open(url);
    clients.push(c);
    c.send({ type: 'auth', token });
    const e = await c.waitFor((x) => x.type === 'ready' || x.type === 'error');
    return e.type === 'ready' ? 'ready' : (e as { code: string }).code;
  }

  it('lets the user connect to the other process within 15 s of the holder being killed', async () => {
    const token = await t.login('alice@example.com');
    for (let i = 0; i < MAX; i++) clients.push(await WsClient.connect(childBase, token));
    // The limit counts across processes: the user's slots are all held on the child.
    expect(await tryConnect(base, token)).toBe('too_many_connections');

    child.child.kill('SIGKILL');
    await child.exited;
    const killedAt = Date.now();
    let outcome = '';
    let refused = 0;
    while (Date.now() - killedAt < 30_000) {
      outcome = await tryConnect(base, token);
      if (outcome === 'ready') break;
      refused++;
      await new Promise((r) => setTimeout(r, 250));
    }
    const elapsed = Date.now() - killedAt;
    console.log(`slots of the killed process freed after ${elapsed} ms (${refused} refused attempts before)`);
    expect(outcome).toBe('ready');
    expect(elapsed).toBeLessThanOrEqual(15_000);
  }, 60_000);
});
