// A signed-in user's tokens: kept in storage, renewed with the refresh token before they expire,
// one renewal at a time (a refresh token is single-use; two renewals at once would revoke the session).
import { ApiClient, ApiError, login } from './api';
import { readJson, writeJson } from './storage';
import type { TokenPair, User } from './types';

interface Stored {
  user: User;
  access_token: string;
  refresh_token: string;
  /** ms since the epoch */
  expires_at: number;
}

/** Renew this long before the access token expires. */
const RENEW_MARGIN_MS = 60_000;

/** The sign-in state of one app (the chat and the console keep separate sessions). */
export class SessionStore {
  private state: Stored | null;
  private renewing: Promise<boolean> | null = null;
  private readonly listeners = new Set<() => void>();
  /** An API client that sends this session's access token. */
  readonly api: ApiClient;

  constructor(private readonly key: string) {
    this.state = readJson<Stored>(key);
    this.api = new ApiClient({ token: () => this.state?.access_token ?? null, renew: () => this.renew() });
  }

  /** The signed-in user, or null. */
  get user(): User | null {
    return this.state?.user ?? null;
  }

  /** The current access token (possibly expired), or null. */
  accessToken(): string | null {
    return this.state?.access_token ?? null;
  }

  /** An access token valid for at least a minute (renewed if needed), or null when signed out. */
  async freshToken(): Promise<string | null> {
    if (!this.state) return null;
    if (this.state.expires_at - Date.now() < RENEW_MARGIN_MS) await this.renew();
    return this.state?.access_token ?? null;
  }

  /** Calls the listener on every sign-in, renewal and sign-out; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Signs in; throws ApiError (401 invalid_credentials) on bad credentials. `refuse` may turn an
   * account away (its reason is thrown) before anything is stored, so the page never flips to a
   * signed-in state and back; the session the server opened for it is ended.
   */
  async signIn(email: string, password: string, refuse?: (user: User) => string | null): Promise<User> {
    const pair = await login(new ApiClient(), email, password);
    const reason = refuse?.(pair.user);
    if (reason) {
      await this.api.request('/auth/logout', { method: 'POST', token: pair.access_token }).catch(() => undefined);
      throw new Error(reason);
    }
    this.store(pair);
    return pair.user;
  }

  /** Signs out here and ends the session on the server (best effort). */
  async signOut(): Promise<void> {
    const token = this.state?.access_token;
    this.set(null);
    if (token) await this.api.request('/auth/logout', { method: 'POST', token }).catch(() => undefined);
  }

  /** Exchanges the refresh token for a new pair; false (and signed out) when the session is over. */
  renew(): Promise<boolean> {
    this.renewing ??= this.doRenew().finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async doRenew(): Promise<boolean> {
    const refresh = this.state?.refresh_token;
    if (!refresh) return false;
    try {
      const pair = await new ApiClient().request<TokenPair>('/auth/refresh', { body: { refresh_token: refresh }, token: null });
      this.store(pair);
      return true;
    } catch (err) {
      // Only a refusal ends the session; a network failure keeps it for the next try.
      if (err instanceof ApiError && err.status === 401) this.set(null);
      return false;
    }
  }

  private store(pair: TokenPair): void {
    this.set({ user: pair.user, access_token: pair.access_token, refresh_token: pair.refresh_token, expires_at: Date.now() + pair.expires_in * 1000 });
  }

  private set(state: Stored | null): void {
    this.state = state;
    writeJson(this.key, state);
    for (const l of this.listeners) l();
  }
}
