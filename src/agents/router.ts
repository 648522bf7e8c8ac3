import { generateText, NoObjectGeneratedError, Output } from 'ai';
import { z } from 'zod';
import { salientPart } from '../knowledge/salient.js';
import { callOptions } from '../llm/call-tags.js';
import { classifyFailure } from '../llm/failures.js';
import type { OfflineBehaviour } from '../llm/offline/offline-model.js';
import { ROUTES, type Route } from '../llm/offline/routes.js';
import { extractSlots } from '../llm/offline/slots.js';
import type { AgentReply, OfflineServices, RouteDecision, TurnContext } from './context.js';
import { favourKnowledge, knowledgeEvidence, mayFavourKnowledge } from './knowledge-evidence.js';
import { conversationMessages, Ledger } from './runner.js';

export const name = 'router';
export const description = 'Decides who answers: faq, account, escalation, smalltalk or out_of_scope.';

/** Instructions for an LLM routing a turn. */
export function instructions(agents: readonly { name: string; description: string }[]): string {
  return [
    'You route customer-support messages for Switchboard Demo Co. Read the conversation and pick exactly one route for the last customer message:',
    ...agents.map((a) => `- ${a.name}: ${a.description}`),
    '- smalltalk: greetings, thanks, goodbyes, questions about the assistant itself.',
    "- out_of_scope: anything unrelated to the company, its products or the customer's account.",
    'Customers may write in any language: route by what the message asks, whatever its language.',
    'Return JSON {route, confidence (0..1, how sure you are), reasoning (one short sentence)}.',
  ].join('\n');
}

/**
 * The structured output the router asks the model for. Kept to what every provider's strict JSON
 * schema mode accepts (no length or range keywords); the range of `confidence` is checked after.
 */
export const routeSchema = z.object({
  route: z.enum(ROUTES),
  confidence: z.number(),
  reasoning: z.string(),
});
export type RouteOutput = z.output<typeof routeSchema>;

// Made once: its JSON Schema (the response format every router call sends) is then converted once, not per call.
const ROUTE_OUTPUT = Output.object({ schema: routeSchema, name: 'route' });

/** The route the stored message carries when the router asked a clarifying question. */
export const CLARIFY_ROUTE = 'clarify';

export const CLARIFYING_QUESTION =
  'I want to make sure I get this right. Is this a general question about our products and policies, about your own account, orders or invoices, or would you like to talk to a person?';

/** The clarifying question's quick replies, by the route each stands for ("Talk to a person" is an ask for a person). */
const CLARIFY_CHOICES = { faq: 'A general question', account: 'About my account', escalation: 'Talk to a person' } as const satisfies Partial<Record<Route, string>>;

/** The clarifying question's quick replies: the likely route first, then the others. */
export function clarifyQuickReplies(likely: Route): string[] {
  const order = (Object.keys(CLARIFY_CHOICES) as (keyof typeof CLARIFY_CHOICES)[]).sort((a, b) => Number(b === likely) - Number(a === likely));
  return order.map((r) => CLARIFY_CHOICES[r]);
}

/** The route a quick reply to the clarifying question picks (faq or account), if the message is one. */
export function clarifyChoice(text: string): 'faq' | 'account' | undefined {
  const t = text.trim().toLowerCase();
  if (t === CLARIFY_CHOICES.faq.toLowerCase()) return 'faq';
  if (t === CLARIFY_CHOICES.account.toLowerCase()) return 'account';
  return undefined;
}

/** How many recent messages the router reads. */
const ROUTER_CONTEXT_MESSAGES = 6;

/** True when the assistant's previous message was the clarifying question (then the router decides without asking again). */
export function isAfterClarify(ctx: TurnContext): boolean {
  const previous = [...ctx.history].reverse().find((m) => m.id !== ctx.userMessage.id && m.role === 'assistant');
  return previous?.route === CLARIFY_ROUTE;
}

/**
 * The offline router: the local intent classifier on the message (joined with the one before it
 * after a clarifying question), nudged by slots: a message naming an invoice or order number is
 * about the customer's own records.
 */
export function classifyOffline(services: OfflineServices, text: string, previousText?: string): RouteOutput {
  // A long message is classified by its salient part (its questions and requests), not by its background.
  const joined = salientPart(previousText ? `${previousText}\n${text}` : text);
  const result = services.classifier.classify(joined);
  let { route, confidence } = result;
  let reasoning = `offline classifier: ${route} (${confidence.toFixed(2)})`;
  const slots = extractSlots(text);
  if ((slots.invoiceNumbers.length > 0 || slots.orderNumbers.length > 0) && (route === 'faq' || route === 'smalltalk' || route === 'out_of_scope')) {
    route = 'account';
    confidence = Math.max(confidence, result.scores.account ?? 0, services.config.ROUTER_CONFIDENCE_THRESHOLD);
    reasoning += '; names an invoice or order number → account';
  }
  return { route, confidence, reasoning };
}

/** The router in the offline engine: the classifier's decision as the JSON the router asked for. */
export function offline(services: OfflineServices): OfflineBehaviour {
  return (req) => {
    const users = req.messages.filter((m) => m.role === 'user');
    const previous = req.hints.afterClarify === true && users.length > 1 ? users[users.length - 2]!.text : undefined;
    return { text: JSON.stringify(classifyOffline(services, req.userText, previous)) };
  };
}

/**
 * Routes a turn with structured output from the router model, validated by zod. An answer that does
 * not parse, or a failed call, is decided by the offline classifier; low confidence asks one
 * clarifying question instead of guessing (never twice in a row).
 */
export async function decide(ctx: TurnContext, agents: readonly { name: string; description: string }[]): Promise<RouteDecision> {
  const afterClarify = isAfterClarify(ctx);
  const ledger = new Ledger();
  let out: RouteOutput;
  let engine: 'llm' | 'offline';
  let fallbackReason: string | undefined;
  const classified = () => {
    const users = ctx.history.filter((m) => m.role === 'user' && m.id !== ctx.userMessage.id);
    return classifyOffline(ctx.deps, ctx.userMessage.content, afterClarify ? users.at(-1)?.content : undefined);
  };
  if (ctx.llm.provider === 'offline') {
    // The offline engine's router is the classifier itself: asked directly, without a model call's streams.
    out = classified();
    engine = 'offline';
  } else {
    try {
      const result = await generateText({
        model: ctx.llm.routerModel,
        output: ROUTE_OUTPUT,
        system: instructions(agents),
        messages: conversationMessages(ctx.history.slice(-ROUTER_CONTEXT_MESSAGES)),
        maxRetries: 0, // retries are the middleware's
        providerOptions: callOptions({ agent: name, conversationId: ctx.conversation.id, customerId: ctx.customerId ?? undefined, hints: { afterClarify } }),
      });
      engine = ledger.add(result.providerMetadata, {
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        cachedTokens: result.usage.inputTokenDetails?.cacheReadTokens,
      });
      out = result.output;
      fallbackReason = ledger.fallback;
      if (!(out.confidence >= 0 && out.confidence <= 1)) throw new RangeError(`confidence ${out.confidence} is not between 0 and 1`);
    } catch (err) {
      // The model answered something that is not a valid decision, or the call failed outright.
      fallbackReason = NoObjectGeneratedError.isInstance(err) || err instanceof RangeError ? 'parse_error' : classifyFailure(err).kind;
      out = classified();
      engine = 'offline';
      ledger.fallback ??= fallbackReason;
    }
  }
  // Knowledge-aware routing (offline): the knowledge base's evidence can make it an FAQ question.
  if (engine === 'offline' && mayFavourKnowledge(out, ctx.userMessage.content, ctx.deps.config.ROUTER_CONFIDENCE_THRESHOLD)) {
    out = favourKnowledge(out, await knowledgeEvidence(ctx.deps, ctx.userMessage.content), ctx.deps.config.ROUTER_CONFIDENCE_THRESHOLD, ctx.userMessage.content);
  }
  const clarify = !afterClarify && out.confidence < ctx.deps.config.ROUTER_CONFIDENCE_THRESHOLD;
  return { ...out, route: out.route as Route, clarify, engine, fallbackReason, usage: ledger.usage, usageIds: ledger.usageIds, fallback: ledger.fallback };
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
    content = "That's outside what I can help with here. I can answer questions about our products, plans, shipping and returns, or look up your own orders, invoices and subscription.";
  else if (THANKS.test(text)) content = "You're welcome! Is there anything else I can help you with?";
  else if (BYE.test(text)) content = 'Goodbye, and thanks for contacting Switchboard support!';
  else if (BOT.test(text)) content = "I'm Switchboard's virtual assistant. I can answer most questions right away, and I can hand you to a person on our team whenever you like.";
  else if (GREETING.test(text)) content = 'Hello! How can I help you today? I can answer product questions or look up your orders, invoices and subscription.';
  else content = 'How can I help you today? I can answer product questions, look up your account, or connect you with a person.';
  return { agent: name, content, citations: [], toolCalls: [], engine: 'offline' };
}
