/** One step of a graceful shutdown (closing a server, a queue, a pool). */
export type CloseStep = () => Promise<unknown> | undefined;

/**
 * Closes a process on SIGINT or SIGTERM: runs the steps in order once (a second signal is
 * ignored), then exits 0; exits 1 when the steps take longer than graceMs. The API (main.ts)
 * and the worker (worker.ts) share it, so both drain the same way.
 */
export function closeOnSignals(opts: { graceMs: number; announce: (signal: string) => void; steps: CloseStep[] }): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    opts.announce(signal);
    const force = setTimeout(() => process.exit(1), opts.graceMs);
    force.unref();
    for (const step of opts.steps) await step();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
