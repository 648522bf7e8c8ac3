import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { claimIdempotencyKey, completeIdempotencyKey, deleteExpiredIdempotencyKeys, type IdempotencyLease, releaseIdempotencyKey, renewIdempotencyLease } from '../../db/queries/idempotency.js';
import { AppError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route creates something: an `Idempotency-Key` header makes a retry return the first response. */
    idempotency?: boolean;
  }
  interface FastifyRequest {
    /** The idempotency key this request holds while it runs (its lease, renewed by a heartbeat). */
    idempotency: HeldKey | null;
  }
}

interface HeldKey extends IdempotencyLease {
  heartbeat: NodeJS.Timeout;
}

export interface IdempotencyPluginOptions {
  db: Db;
  /** How long a key and its stored response live (24 h by default). */
  ttlSeconds: number;
  /**
   * The lease of a running request: renewed every third of it while the request runs, so a key whose
   * holder died (crash, lost database) is free again this long after its last renewal.
   */
  leaseSeconds: number;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The header as the OpenAPI document shows it on opted-in routes. */
const headerSchema = z.looseObject({
  [IDEMPOTENCY_HEADER]: z.string().max(255).optional().describe('A unique key per logical request (e.g. a UUID): a retry with the same key and body returns the first response'),
});

/** Whose keys these are: two callers' keys never collide. */
function scopeOf(request: FastifyRequest): string {
  const a = request.auth;
  if (a.kind === 'user') return `user:${a.userId}`;
  if (a.kind === 'conversation') return `conversation:${a.conversationId}`;
  return `ip:${request.ip}`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A fingerprint of what the request asks for: the route (whatever API version), its parameters and body. */
function fingerprint(request: FastifyRequest): string {
  const route = (request.routeOptions.url ?? '').replace(/^\/api(\/v\d+)?(?=\/)/, '');
  const what = canonical([request.method, route, request.params ?? null, request.query ?? null, request.body ?? null]);
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/** The key the request holds, for routes that tie what they store to it (a message's client id). */
export function heldIdempotencyKey(request: FastifyRequest): string | undefined {
  return request.idempotency?.key;
}

// Any fixed UUID: the namespace of ids derived from idempotency keys.
const ID_NAMESPACE = '2f7f3c1e-8a4b-4d2e-9c61-5b0e7a9d4f13';

/**
 * An id for what the request creates, derived from the caller and the key it holds (UUIDv5): a retry
 * of a request that failed after creating it creates it under the same id, that is, not again.
 */
export function idempotentId(request: FastifyRequest, what: string): string | undefined {
  const held = request.idempotency;
  return held ? uuidv5(`${held.scope}\n${held.key}\n${what}`, ID_NAMESPACE) : undefined;
}

/**
 * Idempotency for routes that create things (route option `config: { idempotency: true }`). With an
 * `Idempotency-Key` header: the same key and body return the stored response (header
 * `Idempotent-Replayed: true`) without running again; the same key with a different body is a 422;
 * the same key while the first request still runs is a 409. Keys are scoped by caller and live in
 * the database (both drivers, never Redis), so every API process sees them and a Redis outage does
 * not matter. A request that fails gives its key back; one whose process dies leaves a lease that
 * runs out within `leaseSeconds`. Routes store what they create under the key
 * (`heldIdempotencyKey`), so a retry after any failure finds it instead of creating it again.
 */
export default fp(
  async function idempotency(app: FastifyInstance, opts: IdempotencyPluginOptions) {
    const { db, leaseSeconds } = opts;
    let lastSweep = Date.now();
    const stopHeartbeat = (request: FastifyRequest) => {
      const held = request.idempotency;
      if (held) clearInterval(held.heartbeat);
      return held;
    };
    app.decorateRequest('idempotency', null);

    app.addHook('onRoute', (route) => {
      if (!route.config?.idempotency || route.schema?.headers) return;
      route.schema = { ...route.schema, headers: headerSchema };
    });

    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.idempotency) return;
      const key = request.headers[IDEMPOTENCY_HEADER];
      if (key === undefined) return;
      if (typeof key !== 'string' || !KEY.test(key)) {
        throw new AppError('invalid_idempotency_key', 400, 'Idempotency-Key must be 1 to 255 visible ASCII characters', { field: IDEMPOTENCY_HEADER });
      }
      const scope = scopeOf(request);
      const requestHash = fingerprint(request);
      const lease: IdempotencyLease = { scope, key, holder: randomUUID() };
      const claim = await claimIdempotencyKey(db, { ...lease, requestHash, ttlSeconds: opts.ttlSeconds, leaseSeconds });
      if (claim.claimed) {
        const heartbeat = setInterval(
          () => {
            renewIdempotencyLease(db, lease, leaseSeconds).catch((err: unknown) => request.log.warn({ err }, 'idempotency lease renewal failed'));
          },
          (leaseSeconds * 1000) / 3,
        );
        heartbeat.unref();
        request.idempotency = { ...lease, heartbeat };
        return;
      }
      const held = claim.record;
      if (held && held.requestHash !== requestHash) {
        throw new AppError('idempotency_key_reused', 422, 'This Idempotency-Key was already used with a different request; use a new key');
      }
      if (!held || held.status === 'in_progress') {
        throw new AppError('idempotency_conflict', 409, 'A request with this Idempotency-Key is still being processed; retry shortly');
      }
      if (held.status === 'streamed') {
        throw new AppError('idempotency_replay_unavailable', 409, 'The request with this Idempotency-Key was streamed and cannot be replayed; read the conversation instead');
      }
      reply.header('idempotent-replayed', 'true').code(held.responseStatus ?? 200);
      if (held.responseBody === null) return reply.send();
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(held.responseBody));
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const held = stopHeartbeat(request);
      if (!held) return payload;
      request.idempotency = null;
      try {
        if (reply.statusCode >= 500) {
          await releaseIdempotencyKey(db, held);
        } else if (
          (payload === undefined || payload === null || typeof payload === 'string' || Buffer.isBuffer(payload)) &&
          /json/.test(String(reply.getHeader('content-type') ?? 'application/json'))
        ) {
          const text = payload === undefined || payload === null ? '' : payload.toString();
          await completeIdempotencyKey(db, held, {
            status: 'completed',
            responseStatus: reply.statusCode,
            responseBody: text === '' ? null : (JSON.parse(text) as unknown),
          });
        } else {
          await completeIdempotencyKey(db, held, { status: 'streamed', responseStatus: reply.statusCode, responseBody: null });
        }
      } catch (err) {
        // The response itself is fine; the key stays in progress until its lease runs out, and a retry
        // then finds what this request stored under the key.
        request.log.error({ err }, 'could not store the idempotent response');
      }
      if (Date.now() - lastSweep > 10 * 60_000) {
        lastSweep = Date.now();
        void deleteExpiredIdempotencyKeys(db).catch((err: unknown) => request.log.warn({ err }, 'idempotency key sweep failed'));
      }
      return payload;
    });

    // A request that never reached onSend (the client went away, the socket broke) stops renewing too.
    app.addHook('onResponse', async (request) => void stopHeartbeat(request));
    app.addHook('onRequestAbort', async (request) => void stopHeartbeat(request));
  },
  { name: 'idempotency', dependencies: ['auth'] },
);
