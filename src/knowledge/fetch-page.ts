import { AppError } from '../errors.js';

/** How long a page may take and how large it may be. */
export interface FetchPageLimits {
  timeoutMs: number;
  maxBytes: number;
}

const DEFAULT_LIMITS: FetchPageLimits = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024 };

const unreachable = (url: string, why: string) => new AppError('import_fetch_failed', 502, `Could not fetch ${url}: ${why}`, { url });

/**
 * Fetches a web page an administrator imports (http or https, redirects followed, an HTML or text
 * answer), within a time and size limit; fails with import_fetch_failed (502) saying why.
 */
export async function fetchPage(url: string, limits: FetchPageLimits = DEFAULT_LIMITS): Promise<{ html: string; url: string }> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new AppError('validation_failed', 400, 'Only http and https pages can be imported', { field: 'url' });
  let res: Response;
  try {
    res = await fetch(parsed, { redirect: 'follow', signal: AbortSignal.timeout(limits.timeoutMs), headers: { accept: 'text/html,application/xhtml+xml,text/plain;q=0.8' } });
  } catch (err) {
    const e = err as Error;
    throw unreachable(url, e.name === 'TimeoutError' ? `no answer within ${limits.timeoutMs / 1000} s` : ((e.cause as Error | undefined)?.message ?? e.message));
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw unreachable(url, `the server answered ${res.status}`);
  }
  const type = res.headers.get('content-type') ?? '';
  if (type && !/text\/html|application\/xhtml\+xml|text\/plain/i.test(type)) {
    await res.body?.cancel();
    throw new AppError('import_unsupported_type', 415, `${url} is ${type.split(';')[0]}, not a web page`, { url });
  }
  // Read at most maxBytes: a page that goes on is refused rather than buffered whole.
  const reader = res.body?.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limits.maxBytes) {
      await reader.cancel();
      throw new AppError('import_too_large', 413, `${url} is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB`, { url });
    }
    parts.push(value);
  }
  return { html: new TextDecoder('utf-8').decode(Buffer.concat(parts)), url: res.url || url };
}
