import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getConversation } from '../../db/queries/conversations.js';
import { insertNote, listNotes, type NoteWithAuthor } from '../../db/queries/notes.js';
import { AppError } from '../../errors.js';
import { requireStaff } from '../plugins/auth.js';
import { errorResponses, pageQuery, uuidParam } from '../schemas.js';

const noteSchema = z.object({
  id: z.uuid(),
  conversation_id: z.uuid(),
  author_id: z.uuid().nullable(),
  author_name: z.string().nullable(),
  body: z.string(),
  created_at: z.string(),
});

function toNote(n: NoteWithAuthor): z.output<typeof noteSchema> {
  return { id: n.id, conversation_id: n.conversationId, author_id: n.authorId, author_name: n.authorName, body: n.body, created_at: n.createdAt.toISOString() };
}

const notFound = () => new AppError('conversation_not_found', 404, 'Conversation not found');

/**
 * Private notes staff leave on a conversation. They live in their own table and only these staff
 * routes read it: no customer route, WebSocket or SSE event carries a note.
 */
const noteRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/conversations/:id/notes',
    {
      schema: {
        tags: ['notes'],
        summary: "A conversation's private staff notes, oldest first (never shown to the customer)",
        params: uuidParam,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(noteSchema), next_cursor: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request);
      if (!(await getConversation(app.deps.db, request.params.id))) throw notFound();
      const page = await listNotes(app.deps.db, request.params.id, { limit: request.query.limit, cursor: request.query.cursor });
      return { items: page.items.map(toNote), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/conversations/:id/notes',
    {
      schema: {
        tags: ['notes'],
        summary: 'Leave a private note on a conversation for colleagues (never shown to the customer)',
        params: uuidParam,
        body: z.object({ body: z.string().trim().min(1).max(8000) }),
        response: { 201: noteSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      if (!(await getConversation(app.deps.db, request.params.id))) throw notFound();
      const note = await insertNote(app.deps.db, { conversationId: request.params.id, authorId: staff.userId, body: request.body.body });
      return reply.status(201).send(toNote(note));
    },
  );
};

export default noteRoutes;
