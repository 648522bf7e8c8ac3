import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

/** The current API version's prefix. */
export const API_PREFIX = '/api/v1';
/** The legacy, unversioned prefix: answers the same routes, marked deprecated. */
export const LEGACY_PREFIX = '/api';
/** When the unversioned alias was deprecated (RFC 9745 `Deprecation: @<unix seconds>`). */
export const LEGACY_DEPRECATED_AT = new Date('2026-01-01T00:00:00Z');

const deprecation = `@${Math.floor(LEGACY_DEPRECATED_AT.getTime() / 1000)}`;

/** The versioned URL a legacy URL stands for. */
export function successorOf(url: string): string {
  return API_PREFIX + url.slice(LEGACY_PREFIX.length);
}

/**
 * Wraps the API's routes for the legacy `/api` prefix: the same handlers, hidden from the OpenAPI
 * document, every answer carrying `Deprecation` and `Link` (successor version, deprecation notes).
 * Register the result with `{ prefix: LEGACY_PREFIX }`.
 */
export function legacyAlias(api: FastifyPluginAsync): FastifyPluginAsync {
  return async function legacyApi(scope: FastifyInstance) {
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    scope.addHook('onSend', async (request, reply, payload) => {
      reply.header('deprecation', deprecation);
      reply.header('link', `<${successorOf(request.url)}>; rel="successor-version", </docs>; rel="deprecation"`);
      return payload;
    });
    await scope.register(api);
  };
}
