import { z } from 'zod';
import { AppError } from '../errors.js';

/** A customer's message. Length is checked apart from the schema so an over-long one is a 413, not a 400. */
export const messageBody = z.object({
  content: z
    .string()
    .refine((s) => s.trim().length > 0, 'must not be empty'),
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
