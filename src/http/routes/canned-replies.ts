import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertKnownPlaceholders, cannedRepliesFor, PLACEHOLDERS } from '../../chat/canned-replies.js';
import { createCannedReply, deleteCannedReply, listCannedReplies, updateCannedReply, type CannedReply } from '../../db/queries/canned-replies.js';
import { AppError } from '../../errors.js';
import { requireRole, requireStaff } from '../plugins/auth.js';
import { errorResponses, uuidParam } from '../schemas.js';

const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lower-case letters, digits and dashes');

const cannedReplySchema = z.object({
  id: z.uuid(),
  shortcut: z.string(),
  title: z.string(),
  body: z.string().describe(
    `The template; placeholders: ${Object.keys(PLACEHOLDERS)
      .map((p) => `{{${p}}}`)
      .join(', ')}`,
  ),
  created_by: z.uuid().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const filledReplySchema = cannedReplySchema.extend({
  text: z.string().describe("The body with this conversation's values filled in"),
  missing: z.array(z.string()).describe('Placeholders the conversation has no value for (a neutral fallback was used)'),
});

const writeBody = z.object({ shortcut, title: z.string().trim().min(1).max(120), body: z.string().trim().min(1).max(8000) });

function toCannedReply(r: CannedReply): z.output<typeof cannedReplySchema> {
  return { id: r.id, shortcut: r.shortcut, title: r.title, body: r.body, created_by: r.createdBy, created_at: r.createdAt.toISOString(), updated_at: r.updatedAt.toISOString() };
}

const notFound = () => new AppError('canned_reply_not_found', 404, 'Canned reply not found');
const taken = () => new AppError('shortcut_taken', 409, 'Another canned reply has this shortcut', { field: 'shortcut' });

/** Canned replies: staff read them (filled in for a conversation); admins write them. */
const cannedReplyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/staff/canned-replies',
    {
      schema: {
        tags: ['canned replies'],
        summary: 'Every canned reply (templates), by shortcut',
        response: { 200: z.object({ items: z.array(cannedReplySchema), placeholders: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      return { items: (await listCannedReplies(app.deps.db)).map(toCannedReply), placeholders: Object.keys(PLACEHOLDERS) };
    },
  );

  app.post(
    '/staff/canned-replies',
    {
      schema: {
        tags: ['canned replies'],
        summary: 'Add a canned reply (admin)',
        body: writeBody,
        response: { 201: cannedReplySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const admin = requireRole(request, 'admin');
      assertKnownPlaceholders(request.body.body);
      const created = await createCannedReply(app.deps.db, { ...request.body, createdBy: admin.userId });
      if (!created) throw taken();
      return reply.status(201).send(toCannedReply(created));
    },
  );

  app.put(
    '/staff/canned-replies/:id',
    {
      schema: {
        tags: ['canned replies'],
        summary: 'Change a canned reply (admin)',
        params: uuidParam,
        body: writeBody,
        response: { 200: cannedReplySchema, ...errorResponses },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      assertKnownPlaceholders(request.body.body);
      const updated = await updateCannedReply(app.deps.db, request.params.id, request.body);
      if (updated === 'missing') throw notFound();
      if (updated === 'taken') throw taken();
      return toCannedReply(updated);
    },
  );

  app.delete(
    '/staff/canned-replies/:id',
    {
      schema: { tags: ['canned replies'], summary: 'Delete a canned reply (admin)', params: uuidParam, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      if (!(await deleteCannedReply(app.deps.db, request.params.id))) throw notFound();
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/conversations/:id/canned-replies',
    {
      schema: {
        tags: ['canned replies'],
        summary: "Every canned reply with its placeholders filled in for this conversation (the console's / picker)",
        params: uuidParam,
        response: { 200: z.object({ items: z.array(filledReplySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const items = await cannedRepliesFor(app.deps.db, staff, request.params.id);
      return { items: items.map((r) => ({ ...toCannedReply(r), text: r.text, missing: r.missing })) };
    },
  );
};

export default cannedReplyRoutes;
