import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { openConversation, sendCustomerMessage } from '../../chat/service.js';
import { assertMessageSize, messageText } from '../message-body.js';
import { heldIdempotencyKey, idempotentId } from '../plugins/idempotency.js';
import { messageSchema } from '../../contract/messages.js';
import { toMessage } from '../../chat/wire.js';
import { errorResponses } from '../schemas.js';

/** The whole turn in one call, creating the conversation when none is given. */
const chatRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/chat',
    {
      config: { idempotency: true, rateLimitClass: 'chat' },
      schema: {
        tags: ['chat'],
        summary: 'Send a message; starts a conversation when conversation_id is absent',
        description:
          'The assistant message carries the answer, its `citations` and `actions` (what was done: searched the help center, opened ticket TCK-…); the tool calls behind them are for staff.',
        body: z.object({
          message: messageText,
          conversation_id: z.uuid().optional(),
        }),
        response: {
          200: z.object({
            conversation_id: z.uuid(),
            conversation_token: z.string().optional(),
            user_message: messageSchema,
            assistant_message: messageSchema.nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      assertMessageSize(request.body.message, app.deps.config.MAX_MESSAGE_CHARS);
      let conversationId = request.body.conversation_id;
      let conversationToken: string | undefined;
      let auth = request.auth;
      if (!conversationId) {
        const conversation = await openConversation(app.deps, auth, { channel: 'api', id: idempotentId(request, 'conversation') });
        conversationId = conversation.id;
        if (auth.kind !== 'user') {
          conversationToken = await app.deps.tokens.signConversation(conversation.id);
          auth = { kind: 'conversation', conversationId, tokenId: 'issued-in-request' };
        }
      }
      const sent = await sendCustomerMessage(app.deps, auth, conversationId, request.body.message, { clientId: heldIdempotencyKey(request) });
      return {
        conversation_id: conversationId,
        ...(conversationToken ? { conversation_token: conversationToken } : {}),
        user_message: toMessage(sent.userMessage),
        assistant_message: sent.assistantMessage ? toMessage(sent.assistantMessage) : null,
      };
    },
  );
};

export default chatRoutes;
