import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

export interface SecurityPluginOptions {
  config: Pick<Config, 'NODE_ENV' | 'CORS_ORIGINS'>;
}

/** Headers a browser client may read from a cross-origin response. */
export const EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'idempotent-replayed', 'deprecation', 'link'];

/**
 * Security headers (helmet; HSTS in production) and CORS from the explicit CORS_ORIGINS list
 * (none: cross-origin browser calls are refused; `*` is refused by the configuration in production).
 * Auth is by bearer token, never by cookie, so CORS never allows credentials.
 */
export default fp(
  async function security(app: FastifyInstance, opts: SecurityPluginOptions) {
    const production = opts.config.NODE_ENV === 'production';
    await app.register(helmet, {
      global: true,
      hsts: production ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
      contentSecurityPolicy: {
        useDefaults: true,
        // Plain-HTTP development servers (e.g. http://192.168.1.5:3000) must not have their assets upgraded to https.
        directives: production ? {} : { upgradeInsecureRequests: null },
      },
    });
    const origins = opts.config.CORS_ORIGINS;
    if (origins.length) {
      await app.register(cors, {
        origin: origins.includes('*') ? '*' : origins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id', 'last-event-id', 'accept'],
        exposedHeaders: EXPOSED_HEADERS,
        credentials: false,
        maxAge: 600,
      });
    }
  },
  { name: 'security' },
);

/**
 * Fastify's `trustProxy` from TRUST_PROXY: true/false, a hop count (the client address is that many
 * proxies back in X-Forwarded-For), or the proxies' addresses/CIDRs. Untrusted, X-Forwarded-For is ignored.
 */
export function trustProxyOption(setting: boolean | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}
