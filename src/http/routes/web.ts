import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';

// The web app (web/, built by `npm run build:web` into web/dist), served by the service itself:
//   /             the customer chat
//   /embed        the same chat, framed by the widget on other sites (frame-ancestors from WIDGET_ALLOWED_ORIGINS)
//   /console      the staff console (and /console/* for deep links)
//   /widget.js    the widget loader other sites include (Cross-Origin-Resource-Policy: cross-origin)
//   /assets/*     hashed bundles, cached for a year
// Pages are not API operations: they are left out of the OpenAPI document.

export interface WebRoutesOptions {
  config: Pick<Config, 'NODE_ENV' | 'WEB_DIST_DIR' | 'WIDGET_ALLOWED_ORIGINS'>;
}

/** The build folder of the web app in this checkout. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * The `frame-ancestors` sources for /embed: `*` when any site may frame the chat, else `'self'` plus the
 * listed origins. Unset, development allows any site (to try the widget) and production only itself.
 */
export function embedFrameAncestors(origins: string[], production: boolean): string {
  if (origins.includes('*') || (!origins.length && !production)) return '*';
  return ["'self'", ...origins].join(' ');
}

/** A Content-Security-Policy with its frame-ancestors directive set to `ancestors` (the rest kept). */
export function withFrameAncestors(policy: string | undefined, ancestors: string): string {
  const directives = (policy ?? "default-src 'self'")
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !/^frame-ancestors\b/i.test(d));
  return [...directives, `frame-ancestors ${ancestors}`].join(';');
}

const hidden = { hide: true } as const;
const NO_CACHE = 'no-cache';

/** Serves the built web app: the chat, the embeddable chat, the staff console, the widget loader. */
export default async function webRoutes(app: FastifyInstance, opts: WebRoutesOptions): Promise<void> {
  const root = resolve(opts.config.WEB_DIST_DIR ?? DEFAULT_WEB_DIST);
  const ancestors = embedFrameAncestors(opts.config.WIDGET_ALLOWED_ORIGINS, opts.config.NODE_ENV === 'production');

  if (!existsSync(join(root, 'index.html'))) {
    // The API works without the web app; its pages say how to build it.
    const notBuilt = async () => {
      throw new AppError('web_not_built', 503, 'The web app is not built: run `npm run build:web` (npm start does it when needed)', { dir: root });
    };
    for (const url of ['/', '/embed', '/console', '/console/*', '/widget.js']) app.get(url, { schema: hidden }, notBuilt);
    return;
  }

  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    index: false,
    // Bundles are named by their content hash: cache them for good.
    immutable: true,
    maxAge: '365d',
    schemaHide: true,
  });

  const page = (reply: FastifyReply, file: string) => reply.header('cache-control', NO_CACHE).sendFile(file, root, { cacheControl: false });

  app.get('/', { schema: hidden }, (_request, reply) => page(reply, 'index.html'));
  app.get('/console', { schema: hidden }, (_request, reply) => page(reply, 'console.html'));
  app.get('/console/*', { schema: hidden }, (_request, reply) => page(reply, 'console.html'));
  app.get('/favicon.svg', { schema: hidden }, (_request, reply) => reply.sendFile('favicon.svg', root, { maxAge: '1d' }));

  app.get('/embed', { schema: hidden }, (_request, reply) => {
    // Framed by other sites: frame-ancestors replaces X-Frame-Options (which cannot name several origins).
    const policy = reply.getHeader('content-security-policy');
    reply.removeHeader('x-frame-options');
    reply.header('content-security-policy', withFrameAncestors(typeof policy === 'string' ? policy : undefined, ancestors));
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return page(reply, 'index.html');
  });

  app.get('/widget.js', { schema: hidden }, (_request, reply) => {
    // Included by <script src> on other sites: a no-cors load, which CORP same-origin would block.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    // A fixed URL, so a short cache: a new version reaches every site within minutes.
    reply.header('cache-control', 'public, max-age=300');
    return reply.sendFile('widget.js', root, { cacheControl: false });
  });
}
