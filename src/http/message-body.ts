import { z } from 'zod';
import { AppError } from '../errors.js';
import { isBlankText } from '../util/text-guard.js';

/** The text of a customer's or staff member's message: something visible (zero-width-only text is empty). */
export const messageText = z.string().refine((s) => !isBlankText(s), 'must not be empty');

/** A customer's message. Length is checked apart from the schema so an over-long one is a 413, not a 400. */
export const messageBody = z.object({
  content: messageText,
});

/** Rejects a message longer than the configured limit with 413 message_too_long. */
export function assertMessageSize(content: string, max: number): void {
  if (content.length > max) {
    throw new AppError('message_too_long', 413, `A message may be at most ${max} characters (this one has ${content.length})`, {
      field: 'content',
      max_chars: max,
    });
  }
}
