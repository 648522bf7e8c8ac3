import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';

/** Parts that show the model has started answering (as opposed to stream bookkeeping). */
export function isContent(part: LanguageModelV3StreamPart): boolean {
  switch (part.type) {
    case 'stream-start':
    case 'response-metadata':
    case 'raw':
    case 'text-start':
    case 'reasoning-start':
      return false;
    default:
      return part.type !== 'error';
  }
}

/** A stream that first replays `head`, then continues with what is left of `reader`. */
export function resume(
  head: LanguageModelV3StreamPart[],
  reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>,
  hooks: {
    onPart?: (part: LanguageModelV3StreamPart) => void;
    onCancel?: (reason: unknown) => void;
    /** Stops waiting for the reader when aborted (a model that ignores its abort signal cannot hang us). */
    signal?: AbortSignal;
  } = {},
): ReadableStream<LanguageModelV3StreamPart> {
  const queued = [...head];
  const aborted = hooks.signal ? new Promise<never>((_, reject) => hooks.signal!.addEventListener('abort', () => reject(hooks.signal!.reason), { once: true })) : undefined;
  aborted?.catch(() => {});
  return new ReadableStream<LanguageModelV3StreamPart>({
    async pull(controller) {
      const next = queued.shift();
      if (next) {
        hooks.onPart?.(next);
        controller.enqueue(next);
        return;
      }
      try {
        const { done, value } = await (aborted ? Promise.race([reader.read(), aborted]) : reader.read());
        if (done) {
          controller.close();
          return;
        }
        hooks.onPart?.(value);
        controller.enqueue(value);
      } catch (err) {
        // A broken connection mid-stream becomes an error part, as providers report their own errors.
        const part: LanguageModelV3StreamPart = { type: 'error', error: err };
        hooks.onPart?.(part);
        controller.enqueue(part);
        controller.close();
        if (hooks.signal?.aborted) void reader.cancel().catch(() => {});
      }
    },
    cancel(reason) {
      hooks.onCancel?.(reason);
      return reader.cancel(reason);
    },
  });
}
