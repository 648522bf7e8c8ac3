// The HTTP client of the web app: bearer tokens, the error envelope as ApiError, one refresh and
// retry when an access token has expired.
import type { TokenPair } from './types';

/** A failed API call, read from the error envelope `{error:{code,message,details?},correlation_id}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly correlationId: string | null = null,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Overrides the client's token for this call (e.g. a conversation token). */
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** How the client gets its bearer token and renews it. */
export interface TokenSource {
  /** The token to send, or null for an anonymous call. */
  token(): string | null;
  /** Renews the token after a 401 `token_expired`; false when it cannot (the caller is signed out). */
  renew?(): Promise<boolean>;
}

/** Reads an error envelope (or anything else) from a failed response. */
export async function errorOf(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const env = body as { error?: { code?: string; message?: string; details?: unknown }; correlation_id?: string } | undefined;
  if (env?.error?.code) {
    return new ApiError(res.status, env.error.code, env.error.message ?? res.statusText, env.correlation_id ?? null, env.error.details);
  }
  return new ApiError(res.status, 'http_error', `The server answered ${res.status} ${res.statusText}`);
}

/** A small JSON client for `/api/v1`. */
export class ApiClient {
  constructor(
    private readonly source: TokenSource = { token: () => null },
    readonly base = '/api/v1',
  ) {}

  /** Sends a request and returns the parsed JSON body (undefined for 204). */
  async request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.fetch(path, opts);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Sends a request and returns the raw response when it succeeded (streams), ApiError otherwise. */
  async fetch(path: string, opts: RequestOptions = {}, retried = false): Promise<Response> {
    const token = opts.token !== undefined ? opts.token : this.source.token();
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', 'Cannot reach the service; check your connection');
    }
    if (res.ok) return res;
    const error = await errorOf(res);
    if (error.status === 401 && error.code === 'token_expired' && !retried && opts.token === undefined && this.source.renew && (await this.source.renew())) {
      return this.fetch(path, opts, true);
    }
    throw error;
  }
}

/** Signs in with email and password. */
export function login(api: ApiClient, email: string, password: string): Promise<TokenPair> {
  return api.request<TokenPair>('/auth/login', { body: { email, password }, token: null });
}

/** A new random id (idempotency keys, client message ids). */
export function newId(): string {
  // randomUUID exists only in secure contexts (https, localhost); a LAN demo over http has getRandomValues.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
