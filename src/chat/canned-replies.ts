import { listCannedReplies, type CannedReply } from '../db/queries/canned-replies.js';
import { getStaffConversation } from '../db/queries/staff-conversations.js';
import { getUserById } from '../db/queries/users.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { StaffAuth } from './access.js';

// Canned replies are templates: `{{customer.name}}` and its siblings are filled from the
// conversation they are inserted into, on the server, so the console and any other client fill
// them the same way. What a conversation does not know is filled with a neutral fallback and
// reported as missing, so the agent sees it before sending.

/** The placeholders a canned reply may use, each with what it is filled with when unknown. */
export const PLACEHOLDERS = {
  'customer.name': 'there',
  'customer.first_name': 'there',
  'customer.email': '',
  'agent.name': 'Support',
  'agent.first_name': 'Support',
  'ticket.number': '',
  'conversation.subject': '',
} as const;

export type Placeholder = keyof typeof PLACEHOLDERS;

const TOKEN = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/g;

/** The placeholders a template names that are not in PLACEHOLDERS (a typo would reach the customer). */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const m of template.matchAll(TOKEN)) if (!(m[1]! in PLACEHOLDERS)) unknown.add(m[1]!);
  return [...unknown];
}

/** Throws 400 unknown_placeholder when a template names a placeholder there is no value for. */
export function assertKnownPlaceholders(template: string): void {
  const unknown = unknownPlaceholders(template);
  if (unknown.length) {
    throw new AppError('unknown_placeholder', 400, `Unknown placeholder${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => `{{${u}}}`).join(', ')}`, {
      unknown,
      known: Object.keys(PLACEHOLDERS),
    });
  }
}

/** Fills a template's placeholders; `missing` lists those without a value (their fallback was used). */
export function fillTemplate(template: string, values: Partial<Record<Placeholder, string | null>>): { text: string; missing: Placeholder[] } {
  const missing = new Set<Placeholder>();
  const text = template.replace(TOKEN, (whole, name: string) => {
    if (!(name in PLACEHOLDERS)) return whole;
    const key = name as Placeholder;
    const value = values[key]?.trim();
    if (value) return value;
    missing.add(key);
    return PLACEHOLDERS[key];
  });
  return { text, missing: [...missing] };
}

const firstName = (name: string | null | undefined) => name?.trim().split(/\s+/)[0] ?? null;

/** What a conversation fills placeholders with, for the staff member inserting the reply; 404 when there is no such conversation. */
async function placeholderValues(db: Db, staff: StaffAuth, conversationId: string): Promise<Partial<Record<Placeholder, string | null>>> {
  const [conversation, agent] = await Promise.all([getStaffConversation(db, conversationId), getUserById(db, staff.userId)]);
  if (!conversation) throw new AppError('conversation_not_found', 404, 'Conversation not found');
  return {
    'customer.name': conversation.customerName,
    'customer.first_name': firstName(conversation.customerName),
    'customer.email': conversation.customerEmail,
    'agent.name': agent?.name ?? null,
    'agent.first_name': firstName(agent?.name),
    'ticket.number': conversation.ticket?.number ?? null,
    'conversation.subject': conversation.subject,
  };
}

/** Every canned reply filled in for one conversation (the console's "/" picker). */
export async function cannedRepliesFor(db: Db, staff: StaffAuth, conversationId: string): Promise<(CannedReply & { text: string; missing: Placeholder[] })[]> {
  const [values, replies] = await Promise.all([placeholderValues(db, staff, conversationId), listCannedReplies(db)]);
  return replies.map((r) => ({ ...r, ...fillTemplate(r.body, values) }));
}
