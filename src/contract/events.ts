// The one event union of the WebSocket (and, for a turn's events, SSE), shared by the server and the
// web app, as zod schemas with their TypeScript types inferred. Every server event about a
// conversation carries an increasing `id` per conversation once it is published through the event
// bus; producers (the turn, staff) emit them without ids. Browser-safe: imports only zod.
import { z } from 'zod';
import { actionTypeSchema, conversationStatusSchema, pendingActionSchema, wireMessageSchema } from './messages.js';

const conversationId = z.uuid();

/** A passage an answer may cite as `[ref]`: which article it comes from. */
const citablePassageSchema = z.object({ ref: z.number(), title: z.string(), slug: z.string() });
export type CitablePassage = z.infer<typeof citablePassageSchema>;

/**
 * Events a client sends, with the limits the server holds them to (the server also refuses a blank
 * `message.send` content and text that cannot be stored: src/http/ws/client-events.ts).
 */
export const clientEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }),
  // Length is checked apart from the schema so an over-long message gets its own code.
  z.object({ type: z.literal('message.send'), conversation_id: conversationId, content: z.string(), client_id: z.string().min(1).max(128) }),
  z.object({ type: z.literal('typing'), conversation_id: conversationId, on: z.boolean() }),
  z.object({ type: z.literal('conversation.join'), conversation_id: conversationId, last_event_id: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('conversation.leave'), conversation_id: conversationId }),
  /** Staff only: the live feed of conversations waiting for a human. */
  z.object({ type: z.literal('queue.subscribe') }),
  z.object({ type: z.literal('queue.unsubscribe') }),
  /** An application-level ping for clients that cannot send WebSocket ping frames (browsers). */
  z.object({ type: z.literal('ping') }),
]);
export type ClientEvent = z.infer<typeof clientEventSchema>;

/** Events about one conversation, as produced by a turn or by staff (before the bus numbers them). */
export const conversationEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message.created'), conversation_id: z.string(), message: wireMessageSchema }),
  z.object({ type: z.literal('typing'), conversation_id: z.string(), on: z.boolean(), who: z.enum(['assistant', 'customer', 'staff']) }),
  z.object({ type: z.literal('route'), conversation_id: z.string(), route: z.string(), confidence: z.number(), agent: z.string(), clarify: z.boolean() }),
  z.object({ type: z.literal('token'), conversation_id: z.string(), message_ref: z.string(), delta: z.string() }),
  z.object({
    type: z.literal('tool'),
    conversation_id: z.string(),
    status: z.enum(['started', 'ok', 'error', 'not_found']),
    /** What the customer is shown ("Searching the help center"); absent for a tool customers are not told about. */
    action: actionTypeSchema.optional(),
    label: z.string().optional(),
    /** Staff only: the tool and its arguments. */
    name: z.string().optional(),
    arguments: z.record(z.string(), z.unknown()).optional(),
    /**
     * After a tool that retrieved knowledge passages: every passage the turn may cite so far, by the
     * `[ref]` the answer cites it with, so a client can number the sources while the answer streams
     * (article titles and slugs only, as citations show them: customers get it too).
     */
    passages: z.array(citablePassageSchema).optional(),
  }),
  z.object({
    type: z.literal('handoff'),
    conversation_id: z.string(),
    status: z.enum(['waiting_human', 'human', 'active']),
    reason: z.string().nullable(),
    ticket_number: z.string().optional(),
    /** The staff member who took over (status `human`) or handed back (`active`). */
    by: z.object({ id: z.string(), name: z.string() }).optional(),
  }),
  z.object({ type: z.literal('message.completed'), conversation_id: z.string(), message: wireMessageSchema }),
  /**
   * An account action: proposed by the assistant (nothing changed yet), confirmed by the customer
   * (waiting for staff), declined, expired, rejected by staff, or carried out (completed) or not (failed).
   */
  z.object({
    type: z.enum(['action.proposed', 'action.confirmed', 'action.declined', 'action.expired', 'action.rejected', 'action.completed', 'action.failed']),
    conversation_id: z.string(),
    action: pendingActionSchema,
  }),
  /** A turn that could not answer; the customer's message is stored and may be sent again. */
  z.object({ type: z.literal('turn.failed'), conversation_id: z.string(), code: z.string(), message: z.string() }),
  /** A person resolved the conversation (its ticket resolved or closed): the customer's chat asks them to rate it. */
  z.object({ type: z.literal('conversation.resolved'), conversation_id: z.string(), by: z.enum(['staff', 'assistant']) }),
]);
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

/** A conversation event as delivered: numbered per conversation. */
const numberedEventSchema = z.intersection(conversationEventSchema, z.object({ id: z.number() }));
export type NumberedEvent = z.infer<typeof numberedEventSchema>;

/** One conversation waiting for a human, as the staff feed shows it. */
const queueItemSchema = z.object({
  conversation_id: z.string(),
  subject: z.string().nullable(),
  reason: z.string().nullable(),
  /** When the conversation started waiting (ISO-8601). */
  waiting_since: z.string(),
  age_seconds: z.number(),
  ticket_number: z.string().nullable(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).nullable(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

/** The staff feed: how many conversations wait for a human, oldest first. */
const queueSnapshotSchema = z.object({ count: z.number(), oldest_age_seconds: z.number().nullable(), items: z.array(queueItemSchema), at: z.string() });
export type QueueSnapshot = z.infer<typeof queueSnapshotSchema>;

/** Events the server sends: the numbered conversation events and those of the connection itself. */
export const serverEventSchema = z.union([
  numberedEventSchema,
  z.discriminatedUnion('type', [
    /** Authenticated. `max_message_chars` is the longest `message.send` content the server accepts (MAX_MESSAGE_CHARS). */
    z.object({
      type: z.literal('ready'),
      user: z.object({ kind: z.enum(['user', 'conversation']), id: z.string(), role: z.string().optional() }),
      max_message_chars: z.number(),
    }),
    /**
     * Joined a conversation. `last_event_id` is the newest event id at join time; `gap` is true when
     * events after the client's `last_event_id` are no longer kept (reload the history over REST).
     */
    z.object({ type: z.literal('joined'), conversation_id: z.string(), status: conversationStatusSchema, last_event_id: z.number(), gap: z.boolean() }),
    z.object({ type: z.literal('left'), conversation_id: z.string() }),
    /** The stored message for a `message.send` (duplicate: the client_id was already used; nothing ran twice). */
    z.object({ type: z.literal('ack'), conversation_id: z.string(), client_id: z.string(), message_id: z.string(), duplicate: z.boolean() }),
    queueSnapshotSchema.extend({ type: z.literal('queue') }),
    z.object({ type: z.literal('pong') }),
    /** An event the server could not act on; the connection stays open. `ref` names what it answers. */
    z.object({
      type: z.literal('error'),
      code: z.string(),
      message: z.string(),
      ref: z.string().optional(),
      /** With `dependency_unavailable` (the database or Redis is down): seconds to wait before sending it again, as HTTP's Retry-After. */
      retry_after_seconds: z.number().optional(),
    }),
  ]),
]);
export type ServerEvent = z.infer<typeof serverEventSchema>;

/** WebSocket close codes the server uses. */
export const CLOSE_CODES = {
  /** The server is shutting down: reconnect (to another instance) and resume with last_event_id. */
  goingAway: 1001,
  /** Authentication did not happen in time, or too many connections for this user. */
  policyViolation: 1008,
  /** A frame larger than the server accepts. */
  tooBig: 1009,
  /** The client reads too slowly; reconnect and resume with last_event_id. */
  tryAgainLater: 1013,
  /** The token's session ended (sign-out, or its refresh token was reused): sign in again, do not reconnect with it. */
  sessionEnded: 4401,
} as const;
