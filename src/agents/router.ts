import type { AgentReply, RouteDecision, TurnContext } from './context.js';

export const name = 'router';
export const description = 'Decides who answers: faq, account, escalation, smalltalk or out_of_scope.';

/** Instructions for an LLM routing a turn. */
export function instructions(agents: { name: string; description: string }[]): string {
  return [
    'You route customer-support messages for Switchboard Demo Co. Pick exactly one route:',
    ...agents.map((a) => `- ${a.name}: ${a.description}`),
    '- smalltalk: greetings, thanks, goodbyes, questions about the assistant itself.',
    '- out_of_scope: anything unrelated to the company, its products or the customer\'s account.',
    'Return {route, confidence (0..1, how sure you are), reasoning (one short sentence)}.',
  ].join('\n');
}

/** The route the stored message carries when the router asked a clarifying question. */
export const CLARIFY_ROUTE = 'clarify';

export const CLARIFYING_QUESTION =
  "I want to make sure I get this right. Is this a general question about our products and policies, about your own account, orders or invoices, or would you like to talk to a person?";

/**
 * The offline router: the local intent classifier on the message (joined with the previous one after
 * a clarifying question), nudged by slots; low confidence asks once instead of guessing.
 */
export function routeOffline(ctx: TurnContext): RouteDecision {
  const previous = [...ctx.history].reverse().find((m) => m.id !== ctx.userMessage.id && m.role === 'assistant');
  const afterClarify = previous?.route === CLARIFY_ROUTE;
  const priorUser = afterClarify ? [...ctx.history].reverse().find((m) => m.role === 'user' && m.id !== ctx.userMessage.id) : undefined;
  const text = priorUser ? `${priorUser.content}\n${ctx.userMessage.content}` : ctx.userMessage.content;
  const result = ctx.deps.classifier.classify(text);
  let { route, confidence } = result;
  let reasoning = `offline classifier: ${route} (${confidence.toFixed(2)})`;
  const namesRecord = ctx.slots.invoiceNumbers.length > 0 || ctx.slots.orderNumbers.length > 0;
  if (namesRecord && (route === 'faq' || route === 'smalltalk' || route === 'out_of_scope')) {
    // A specific invoice or order number is about the customer's own records.
    route = 'account';
    confidence = Math.max(confidence, result.scores.account ?? 0, ctx.deps.config.ROUTER_CONFIDENCE_THRESHOLD);
    reasoning += '; names an invoice or order number → account';
  }
  const clarify = !afterClarify && confidence < ctx.deps.config.ROUTER_CONFIDENCE_THRESHOLD;
  return { route, confidence, reasoning, clarify };
}

const GREETING = /\b(hi|hello|hey|good (morning|afternoon|evening)|hola|bonjour|hallo)\b/i;
const THANKS = /\b(thanks?|thank you|thx|ty|cheers|merci|gracias|danke)\b/i;
const BYE = /\b(bye|goodbye|see you|later|ciao|adios)\b/i;
const BOT = /\b(bot|robot|human|real person|ai|are you real)\b/i;

/** Replies the router gives itself: small talk, out-of-scope, and the clarifying question. */
export function replyOffline(ctx: TurnContext, decision: RouteDecision): AgentReply {
  const text = ctx.userMessage.content;
  let content: string;
  if (decision.clarify) content = CLARIFYING_QUESTION;
  else if (decision.route === 'out_of_scope')
    content =
      "That's outside what I can help with here. I can answer questions about our products, plans, shipping and returns, or look up your own orders, invoices and subscription.";
  else if (THANKS.test(text)) content = "You're welcome! Is there anything else I can help you with?";
  else if (BYE.test(text)) content = 'Goodbye, and thanks for contacting Switchboard support!';
  else if (BOT.test(text))
    content = "I'm Switchboard's virtual assistant. I can answer most questions right away, and I can hand you to a person on our team whenever you like.";
  else if (GREETING.test(text)) content = 'Hello! How can I help you today? I can answer product questions or look up your orders, invoices and subscription.';
  else content = 'How can I help you today? I can answer product questions, look up your account, or connect you with a person.';
  return { agent: name, content, citations: [], toolCalls: [], engine: 'offline' };
}
