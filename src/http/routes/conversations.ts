import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertCanRead, audienceOf, isStaff } from '../../chat/access.js';
import { claimConversation, openConversation, sendCustomerMessage, type SentMessage } from '../../chat/service.js';
import { ANONYMOUS, type AuthContext } from '../../auth/tokens.js';
import { getConversation, listConversations } from '../../db/queries/conversations.js';
import { listMessages, recentMessages, withAuthorNames } from '../../db/queries/messages.js';
import { getFeedback } from '../../db/queries/feedback.js';
import { getStaffConversation } from '../../db/queries/staff-conversations.js';
import { requireUser } from '../plugins/auth.js';
import { heldIdempotencyKey, idempotentId } from '../plugins/idempotency.js';
import { prefetchMemory } from '../../memory/memory.js';
import { assertMessageSize, messageBody } from '../message-body.js';
import { streamTurn, wantsEventStream } from '../sse.js';
import { conversationSchema, messageSchema } from '../../contract/messages.js';
import { toConversation, toMessage, toMessageFor } from '../../chat/wire.js';
import { audienceMessageSchema, errorResponses, pageQuery, uuidParam } from '../schemas.js';

const createdConversation = conversationSchema.extend({ conversation_token: z.string().optional() });

/** A conversation as its page opens it: its latest messages, its latest ticket's number and the staff member who holds it. */
const conversationDetail = conversationSchema.extend({
  ticket_number: z.string().nullable().describe("The number of the conversation's latest ticket (null: none)"),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable().describe('The staff member who holds the conversation (null: nobody)'),
  feedback: z.object({ rating: z.number().int(), comment: z.string().nullable() }).nullable().describe("The customer's CSAT rating of it (null: not rated)"),
  messages: z.array(audienceMessageSchema),
});

/** Conversations and their messages. */
const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/conversations',
    {
      config: { idempotency: true },
      schema: {
        tags: ['conversations'],
        summary: 'Start a conversation (anonymous callers get a conversation token)',
        body: z.object({ subject: z.string().trim().max(200).optional(), channel: z.enum(['api', 'widget', 'websocket']).default('api') }).nullish(),
        response: { 201: createdConversation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const conversation = await openConversation(app.deps, request.auth, {
        channel: request.body?.channel,
        subject: request.body?.subject,
        id: idempotentId(request, 'conversation'),
      });
      const body: z.output<typeof createdConversation> = toConversation(conversation);
      if (request.auth.kind !== 'user') body.conversation_token = await app.deps.tokens.signConversation(conversation.id);
      return reply.status(201).send(body);
    },
  );

  app.get(
    '/conversations',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Your conversations (staff: all), newest first',
        querystring: pageQuery.extend({ status: conversationSchema.shape.status.optional() }),
        response: { 200: z.object({ items: z.array(conversationSchema), next_cursor: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const page = await listConversations(app.deps.db, {
        userId: isStaff(request.auth) ? undefined : user.userId,
        status: request.query.status,
        limit: request.query.limit,
        cursor: request.query.cursor,
      });
      return { items: page.items.map(toConversation), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags: ['conversations'],
        summary: 'A conversation with its latest messages',
        description: 'Its customer gets each message with `actions` (what the assistant did); staff also get `tool_calls`.',
        params: uuidParam,
        response: { 200: conversationDetail, ...errorResponses },
      },
    },
    async (request) => {
      // With its latest ticket and who holds it (one query), so a reloaded chat still shows both.
      const conversation = await getStaffConversation(app.deps.db, request.params.id);
      assertCanRead(request.auth, conversation);
      const [messages, feedback] = await Promise.all([withAuthorNames(app.deps.db, await recentMessages(app.deps.db, conversation.id, 50)), getFeedback(app.deps.db, conversation.id)]);
      return {
        ...toConversation(conversation),
        ticket_number: conversation.ticket?.number ?? null,
        assignee: conversation.assignedTo && conversation.assigneeName ? { id: conversation.assignedTo, name: conversation.assigneeName } : null,
        feedback: feedback ? { rating: feedback.rating, comment: feedback.comment } : null,
        messages: messages.map(toMessageFor(audienceOf(request.auth))),
      };
    },
  );

  app.post(
    '/conversations/:id/claim',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Keep a visitor conversation after signing in',
        description:
          "A signed-in customer presents the conversation's `conversation_token` (what the visitor was given) and the conversation becomes theirs; the token no longer opens it. 404 when the token is not this conversation's, or the conversation already belongs to another account.",
        params: uuidParam,
        body: z.object({ conversation_token: z.string().min(1).max(4000) }),
        response: { 200: conversationSchema, ...errorResponses },
      },
    },
    async (request) => {
      requireUser(request);
      // A bad or expired token proves nothing: the same 404 as another's conversation (not a 401, which would read as the session's).
      const holder: AuthContext = await app.deps.tokens.verify(request.body.conversation_token).catch(() => ANONYMOUS);
      return toConversation(await claimConversation(app.deps, request.auth, request.params.id, holder));
    },
  );

  app.get(
    '/conversations/:id/messages',
    {
      schema: {
        tags: ['conversations'],
        summary: "A conversation's messages, oldest first",
        description: 'Its customer gets each message with `actions` (what the assistant did); staff also get `tool_calls`.',
        params: uuidParam,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(audienceMessageSchema), next_cursor: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const conversation = await getConversation(app.deps.db, request.params.id);
      assertCanRead(request.auth, conversation);
      const page = await listMessages(app.deps.db, conversation.id, { limit: request.query.limit, cursor: request.query.cursor });
      return { items: (await withAuthorNames(app.deps.db, page.items)).map(toMessageFor(audienceOf(request.auth))), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/conversations/:id/messages',
    {
      // The turn's cached memory is read with the request's session check and rate limits (one Redis call).
      config: { idempotency: true, rateLimitClass: 'chat', prefetch: (request) => prefetchMemory(app.deps, (request.params as { id: string }).id) },
      schema: {
        tags: ['conversations'],
        summary: 'Send a customer message and get the assistant reply',
        description:
          'The assistant message says what was done in `actions` (no tool calls: those are for staff). With `Accept: text/event-stream` the turn streams as Server-Sent Events (200): `route`, `token`, `tool` ({action, label, status}), then `message` ({user_message, assistant_message}) or `error` (the error envelope), and `done` last. See docs/agents.md.',
        params: uuidParam,
        body: messageBody,
        response: { 201: z.object({ user_message: messageSchema, assistant_message: messageSchema.nullable() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      assertMessageSize(request.body.content, app.deps.config.MAX_MESSAGE_CHARS);
      const bodyOf = (sent: SentMessage) => ({
        user_message: toMessage(sent.userMessage),
        assistant_message: sent.assistantMessage ? toMessage(sent.assistantMessage) : null,
      });
      const clientId = heldIdempotencyKey(request);
      if (wantsEventStream(request.headers.accept)) {
        return streamTurn(request, reply, (emit) => sendCustomerMessage(app.deps, request.auth, request.params.id, request.body.content, { emit, clientId, memory: request.prefetched }), bodyOf);
      }
      const sent = await sendCustomerMessage(app.deps, request.auth, request.params.id, request.body.content, { clientId, memory: request.prefetched });
      return reply.status(201).send(bodyOf(sent));
    },
  );
};

export default conversationRoutes;
