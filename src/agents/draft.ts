import { v7 as uuidv7 } from 'uuid';
import type { StaffAuth } from '../chat/access.js';
import type { Conversation } from '../db/queries/conversations.js';
import { recentMessages } from '../db/queries/messages.js';
import type { Citation } from '../db/schema.js';
import { AppError } from '../errors.js';
import { detectLanguage } from '../llm/offline/language.js';
import { OFFLINE_APOLOGY } from '../llm/offline/offline-model.js';
import { account } from './account.js';
import type { Agent } from './agent.js';
import { RetrievedPassages, type AgentDeps, type TurnContext } from './context.js';
import { faq } from './faq.js';
import { AGENT_LIST } from './llm.js';
import * as router from './router.js';
import { runAgent } from './runner.js';
import { ACCOUNT_TOOLS } from './tools/account-tools.js';

// "Suggest reply" in the staff console: a draft answer to the customer's latest message, written by
// the FAQ agent from the knowledge base or by the account agent from the customer's own records (the
// LLM when configured, the offline engine otherwise). A draft is returned, never stored or sent:
// nothing reaches the bus, no message row is written, and the account agent gets only its read
// tools, so drafting cannot change an order or resend an invoice. The agent edits and sends it.

const DRAFTING =
  'You are drafting a reply that a person on the support team will read, edit and send to the customer themselves. Write it as that person would, ready to send, without mentioning that it is a draft or that you are an AI.';

/** The FAQ agent drafting for staff: the same search and citation check. */
const faqDraft: Agent = { ...faq, instructions: (ctx) => `${DRAFTING}\n${faq.instructions(ctx)}` };

/** The account agent drafting for staff: read tools only (no proposals, no resends). */
const accountDraft: Agent = {
  ...account,
  tools: ACCOUNT_TOOLS,
  precheck: undefined,
  instructions: () =>
    [
      DRAFTING,
      "Use the tools to read this customer's own subscriptions, invoices and orders; they only ever return this customer's data.",
      'Quote numbers, amounts, dates and statuses exactly as the tools return them. If a tool says not found, say you could not find it on their account.',
      'You cannot change anything: if the customer asks for a change, say what you found and that you will take care of it.',
    ].join('\n'),
};

/** A suggested reply for staff. */
export interface Draft {
  content: string;
  citations: Citation[];
  /** Which agent wrote it: faq (knowledge base) or account (the customer's records). */
  agent: 'faq' | 'account';
  engine: 'llm' | 'offline';
  /** The customer message it answers. */
  replyTo: string;
}

/** How many recent messages a draft reads. */
const DRAFT_CONTEXT_MESSAGES = 12;

/**
 * Drafts a reply to the customer's latest message in a conversation a person holds. The customer's
 * records are the conversation's customer's (never the staff member's, never from the message).
 */
export async function draftReply(deps: AgentDeps, staff: StaffAuth, conversation: Conversation): Promise<Draft> {
  if (conversation.status !== 'human') throw new AppError('conversation_not_held', 409, 'Take the conversation over before asking for a suggested reply');
  const history = (await recentMessages(deps.db, conversation.id, DRAFT_CONTEXT_MESSAGES)).filter((m) => m.role !== 'system');
  const question = history.filter((m) => m.role === 'user').at(-1);
  if (!question) throw new AppError('nothing_to_answer', 409, 'The customer has not written anything to answer yet');
  const ctx: TurnContext = {
    deps,
    llm: deps.llm,
    auth: staff,
    conversation,
    customerId: conversation.customerId,
    userMessage: question,
    messageId: uuidv7(),
    // The draft answers the customer's latest message: what came after it (staff replies) is left out.
    history: history.slice(0, history.indexOf(question) + 1),
    summary: conversation.summary,
    language: await detectLanguage(question.content),
    emit: () => {}, // a draft streams nowhere: nothing reaches the customer or the bus
    retrieved: new RetrievedPassages(),
    handoff: { decision: { kind: 'none' } }, // a draft never opens a ticket
  };
  const decision = await router.decide(ctx, AGENT_LIST);
  // Records when the customer is known and the question is about them (or a person was asked for); the knowledge base otherwise.
  const fromRecords = conversation.customerId !== null && (decision.route === 'account' || decision.route === 'escalation');
  let agent = fromRecords ? accountDraft : faqDraft;
  let reply = await runAgent(agent, ctx);
  if (agent === accountDraft && reply.content === OFFLINE_APOLOGY) {
    // The offline account logic wanted a change it cannot draft: the knowledge base answers how it works.
    agent = faqDraft;
    reply = await runAgent(agent, { ...ctx, retrieved: new RetrievedPassages() });
  }
  return { content: reply.content, citations: reply.citations, agent: agent.name as Draft['agent'], engine: reply.engine, replyTo: question.id };
}
