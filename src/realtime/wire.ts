import type { AuthoredMessage } from '../db/queries/messages.js';
import { toStaffMessage } from '../http/schemas.js';
import type { WireMessage } from './events.js';

/** A stored message as the bus carries it: the staff shape (a customer's socket gets it without tool_calls, see audience.ts). */
export function toWireMessage(m: AuthoredMessage): WireMessage {
  return toStaffMessage(m);
}
