import type { LanguageModelV3Middleware, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { LlmTimeoutError } from '../failures.js';
import { isContent, resume } from './stream-utils.js';

/**
 * Gives every attempt its own deadline. A generate call must finish within `timeoutMs`; a stream
 * must start answering within `timeoutMs` and never go quiet for longer than that. A stream's
 * promise resolves only once the first token (or tool call) is there, so an error or a timeout
 * before that is thrown and can be retried; after it, the stream carries an error part instead.
 */
export function timeoutMiddleware(opts: { timeoutMs: number }): LanguageModelV3Middleware {
  const { timeoutMs } = opts;

  function deadline(callerSignal: AbortSignal | undefined) {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new LlmTimeoutError(timeoutMs));
      }, timeoutMs);
    };
    const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
    return { signal, arm, clear: () => clearTimeout(timer), timedOut: () => timedOut, controller };
  }

  return {
    specificationVersion: 'v3',
    async wrapGenerate({ params, model }) {
      const d = deadline(params.abortSignal);
      d.arm();
      try {
        return await model.doGenerate({ ...params, abortSignal: d.signal });
      } catch (err) {
        if (d.timedOut()) throw new LlmTimeoutError(timeoutMs);
        throw err;
      } finally {
        d.clear();
      }
    },
    async wrapStream({ params, model }) {
      const d = deadline(params.abortSignal);
      d.arm();
      const timeoutOr = (err: unknown) => (d.timedOut() ? new LlmTimeoutError(timeoutMs) : err);
      let reader: ReadableStreamDefaultReader<LanguageModelV3StreamPart>;
      let result: Awaited<ReturnType<typeof model.doStream>>;
      try {
        result = await model.doStream({ ...params, abortSignal: d.signal });
        reader = result.stream.getReader();
      } catch (err) {
        d.clear();
        throw timeoutOr(err);
      }
      // Read until the model starts answering; an error before that is thrown (retryable).
      const head: LanguageModelV3StreamPart[] = [];
      const timedOut = new Promise<never>((_, reject) => d.signal.addEventListener('abort', () => reject(timeoutOr(d.signal.reason)), { once: true }));
      timedOut.catch(() => {});
      try {
        for (;;) {
          const { done, value } = await Promise.race([reader.read(), timedOut]);
          if (done) break;
          if (value.type === 'error') throw value.error;
          head.push(value);
          if (isContent(value)) break;
        }
      } catch (err) {
        d.clear();
        void reader.cancel().catch(() => {});
        throw timeoutOr(err);
      }
      d.arm(); // from here on: the idle deadline between parts
      const stream = resume(head, reader, {
        onPart: (part) => {
          if (part.type === 'finish' || part.type === 'error') d.clear();
          else d.arm();
        },
        onCancel: () => d.clear(),
        signal: d.signal,
      });
      // An idle timeout aborts the fetch; the reader then fails and `resume` turns that into an error part.
      const withTimeoutError = stream.pipeThrough(
        new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
          transform(part, controller) {
            controller.enqueue(part.type === 'error' && d.timedOut() ? { type: 'error', error: new LlmTimeoutError(timeoutMs) } : part);
          },
          flush() {
            d.clear();
          },
        }),
      );
      return { ...result, stream: withTimeoutError };
    },
  };
}
