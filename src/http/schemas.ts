import { z } from 'zod';
import { messageSchema, staffMessageSchema } from '../contract/messages.js';

// The HTTP-only wire shapes: params, paging, errors. The message and conversation shapes are the
// contract's (src/contract/messages.ts), shared with the events and the web app; src/chat/wire.ts
// maps stored rows to them.

export const uuidParam = z.object({ id: z.uuid() });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** A message of a route both customers and staff read: the staff shape for staff, the customer shape for everyone else. */
export const audienceMessageSchema = z.union([staffMessageSchema, messageSchema]).describe("Staff get the message with `tool_calls`; the conversation's customer gets it with `actions` only");

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  correlation_id: z.string(),
});

/** The error responses every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  413: errorSchema,
  422: errorSchema,
  429: errorSchema,
  500: errorSchema,
  503: errorSchema,
} as const;
