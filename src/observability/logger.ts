import type { FastifyServerOptions } from 'fastify';

/** Fields that never reach a log line in clear. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  '*.password',
  'refresh_token',
  '*.refresh_token',
  'access_token',
  '*.access_token',
  'token',
  '*.token',
  'email',
  '*.email',
];

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const CARD = /\b(?:\d[ -]?){13,19}\b/g;

/** Masks emails, JWTs and card-like numbers in free text bound for a log line. */
export function redactText(text: string): string {
  return text.replace(JWT, '[jwt]').replace(EMAIL, '[email]').replace(CARD, '[card]');
}

/** Pino options for the service's JSON logs (Fastify's logger). */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(req: { method: string; url: string; routeOptions?: { url?: string }; ip?: string }) {
        return { method: req.method, url: redactText(req.url), route: req.routeOptions?.url, ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { status: res.statusCode };
      },
    },
  };
}
