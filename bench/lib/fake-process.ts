/**
 * Child-process entry: the fake model (bench/lib/fake-model.ts) in a process of its own, so its
 * timers and streams share an event loop with neither the service nor the load generator. Speed
 * and script arrive as JSON in BENCH_FAKE; the parent asks for the timed requests over IPC.
 */
import { startFakeModelHere, type FakeModelOptions } from './fake-model.js';

const opts = JSON.parse(process.env.BENCH_FAKE ?? '{}') as FakeModelOptions;
const model = await startFakeModelHere(opts);
const send = (msg: unknown) => process.send?.(msg);

process.on('message', (raw) => {
  const cmd = raw as { id: number; cmd: 'timed' | 'reset' | 'stop' };
  void (async () => {
    if (cmd.cmd === 'timed') return (await model.timed()).map(({ request: _r, ...t }) => t);
    if (cmd.cmd === 'reset') return model.reset();
    await model.close();
  })().then(
    (value) => send({ id: cmd.id, ok: true, value: value ?? null }),
    (err: unknown) => send({ id: cmd.id, ok: false, error: String(err) }),
  );
});
process.on('disconnect', () => void model.close().finally(() => process.exit(0)));
send({ type: 'ready', url: model.url });
