import type { Message } from '../db/queries/messages.js';
import { toMessage } from '../http/schemas.js';
import type { WireMessage } from './events.js';

/** A stored message as events carry it: the API's message shape. */
export function toWireMessage(m: Message): WireMessage {
  return toMessage(m);
}
