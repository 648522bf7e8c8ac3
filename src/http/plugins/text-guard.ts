import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import { findBadText } from '../../util/text-guard.js';

const PARTS = ['params', 'querystring', 'body'] as const;

/**
 * Refuses, before any route's validation, a request whose params, query or JSON body holds a string
 * that cannot be stored as sent (U+0000, a lone surrogate): a 400 naming the field, for every route.
 */
export default fp(
  async function textGuard(app: FastifyInstance) {
    app.addHook('preValidation', async (request) => {
      for (const part of PARTS) {
        const value = part === 'params' ? request.params : part === 'querystring' ? request.query : request.body;
        const bad = findBadText(value);
        if (!bad) continue;
        const field = bad.path.length ? bad.path.join('.') : `(${part})`;
        throw new AppError('validation_failed', 400, `Invalid ${part}: ${field} ${bad.message}`, { issues: [{ field, message: bad.message }] });
      }
    });
  },
  { name: 'text-guard' },
);
