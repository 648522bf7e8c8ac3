import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearPresence, PRESENCE_HEARTBEAT_SECONDS, PRESENCE_TTL_SECONDS, setPresence, teamPresence } from '../../chat/presence.js';
import { staffResponseTimes } from '../../db/queries/response-times.js';
import { requireStaff } from '../plugins/auth.js';
import { errorResponses } from '../schemas.js';

const presenceItem = z.object({
  user_id: z.uuid(),
  name: z.string(),
  role: z.enum(['agent', 'admin']),
  status: z.enum(['online', 'away', 'offline']),
  seen_at: z.string().nullable().describe('The last heartbeat (null: none within the TTL)'),
});

/** Days of staff replies the "typically replies in" figure is taken over. */
const RESPONSE_WINDOW_DAYS = 30;
/** Fewer replies than this say nothing typical: the figure is null. */
const MIN_REPLIES = 3;
/** The figure is the same for every visitor: computed at most once a minute per process. */
const RESPONSE_CACHE_SECONDS = 60;

const responseTime = z.object({
  typical_reply_seconds: z.number().int().nullable().describe('Median staff reply time in seconds; null with fewer than 3 replies in the window'),
  replies: z.number().int().describe('Staff replies the median is over'),
  window_days: z.number().int(),
});

/** Staff presence (online / away, across processes through the shared cache) and the team's typical reply time. */
const presenceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/staff/presence',
    {
      schema: {
        tags: ['handoff'],
        summary: `A console's heartbeat: the staff member is online or away for the next ${PRESENCE_TTL_SECONDS} s (send every ${PRESENCE_HEARTBEAT_SECONDS} s)`,
        body: z.object({ status: z.enum(['online', 'away']) }),
        response: { 200: z.object({ status: z.enum(['online', 'away']), ttl_seconds: z.number().int(), heartbeat_seconds: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      await setPresence(app.deps.cache, staff.userId, request.body.status);
      return { status: request.body.status, ttl_seconds: PRESENCE_TTL_SECONDS, heartbeat_seconds: PRESENCE_HEARTBEAT_SECONDS };
    },
  );

  app.delete('/staff/presence', { schema: { tags: ['handoff'], summary: 'Go offline at once (the console signs out)', response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    const staff = requireStaff(request);
    await clearPresence(app.deps.cache, staff.userId);
    return reply.status(204).send(null);
  });

  app.get(
    '/staff/presence',
    {
      schema: {
        tags: ['handoff'],
        summary: 'Who on the team is online, away or offline (online first)',
        response: { 200: z.object({ items: z.array(presenceItem) }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      const team = await teamPresence(app.deps);
      return { items: team.map((m) => ({ user_id: m.id, name: m.name, role: m.role as 'agent' | 'admin', status: m.status, seen_at: m.seenAt })) };
    },
  );

  app.get(
    '/support/response-time',
    {
      schema: {
        tags: ['chat'],
        summary: `How fast a person on the team typically replies: the median staff reply time of the last ${RESPONSE_WINDOW_DAYS} days ("typically replies in …")`,
        security: [],
        response: { 200: responseTime, ...errorResponses },
      },
    },
    async () => {
      const key = 'support:response-time';
      const cached = await app.deps.cache.get<z.output<typeof responseTime>>(key);
      if (cached) return cached;
      const { medianSeconds, replies } = await staffResponseTimes(app.deps.db, RESPONSE_WINDOW_DAYS);
      const answer = { typical_reply_seconds: replies >= MIN_REPLIES && medianSeconds !== null ? Math.round(medianSeconds) : null, replies, window_days: RESPONSE_WINDOW_DAYS };
      await app.deps.cache.set(key, answer, RESPONSE_CACHE_SECONDS);
      return answer;
    },
  );
};

export default presenceRoutes;
