import type { AuthContext } from '../auth/tokens.js';
import type { Conversation } from '../db/queries/conversations.js';
import { AppError } from '../errors.js';
import type { Audience } from '../contract/messages.js';

/** Staff (agents and admins) may see every conversation. */
export function isStaff(auth: AuthContext): boolean {
  return auth.kind === 'user' && (auth.role === 'agent' || auth.role === 'admin');
}

/** Whose view of a conversation the caller gets: staff see tool calls, everyone else the customer's view. */
export function audienceOf(auth: AuthContext): Audience {
  return isStaff(auth) ? 'staff' : 'customer';
}

/**
 * True when the caller owns the conversation: its signed-in user, or the holder of its conversation
 * token while it belongs to no account (once a visitor signs in and links it, only the account reads it).
 */
export function ownsConversation(auth: AuthContext, c: Conversation): boolean {
  if (auth.kind === 'user') return c.userId !== null && c.userId === auth.userId;
  if (auth.kind === 'conversation') return auth.conversationId === c.id && c.userId === null;
  return false;
}

/** A signed-in staff member (agent or admin). */
export type StaffAuth = Extract<AuthContext, { kind: 'user' }>;

/** The caller as a staff member, or 403 (401 when not signed in). */
export function asStaff(auth: AuthContext): StaffAuth {
  if (auth.kind !== 'user') throw new AppError('unauthorized', 401, 'Sign in to use this endpoint');
  if (!isStaff(auth)) throw new AppError('forbidden', 403, 'Only support staff can do this');
  return auth;
}

const hidden = () => new AppError('conversation_not_found', 404, 'Conversation not found');

/** Throws 404 unless the caller may read the conversation; a stranger cannot learn that it exists. */
export function assertCanRead(auth: AuthContext, c: Conversation | undefined): asserts c is Conversation {
  if (!c || !(ownsConversation(auth, c) || isStaff(auth))) throw hidden();
}

/** Throws 404 unless the caller may write to the conversation as its customer. */
export function assertOwner(auth: AuthContext, c: Conversation | undefined): asserts c is Conversation {
  if (!c || !ownsConversation(auth, c)) {
    if (c && isStaff(auth)) throw new AppError('forbidden', 403, 'Staff reply through the staff console, not as the customer');
    throw hidden();
  }
}
