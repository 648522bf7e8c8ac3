import { v7 as uuidv7 } from 'uuid';
import type { AuthContext } from '../auth/tokens.js';
import type { Conversation } from '../db/queries/conversations.js';
import { insertReplyOnce, type Message } from '../db/queries/messages.js';
import type { ToolCallRecord } from '../db/schema.js';
import { detectLanguage } from '../llm/offline/language.js';
import { isAgentRoute } from '../llm/offline/routes.js';
import { invalidateMemory, loadMemory, type MemoryPrefetch, type RememberedMessage, rememberTurn } from '../memory/memory.js';
import { refreshSummary, summaryDue } from '../memory/summary.js';
import { observeAgent, observeRouter, observeTurn } from '../observability/telemetry.js';
import type { ConversationEvent } from '../contract/events.js';
import type { EmitEvent } from '../realtime/bus.js';
import { toStaffMessage } from '../chat/wire.js';
import { RetrievedPassages, type AgentDeps, type AgentReply, type RouteDecision, type TurnContext } from './context.js';
import { proposalOf } from './actions/protocol.js';
import { account } from './account.js';
import type { Agent } from './agent.js';
import { LANGUAGE_ROUTE, languageNoticeReply } from './language-notice.js';
import { decideHandoff, type FollowUp, followUpSchema, type HandoffDecision, type HandoffInput, OFFER_QUICK_REPLIES } from './handoff-policy.js';
import { AGENT_LIST, AGENTS } from './llm.js';
import * as router from './router.js';
import { emitText, Ledger, runAgent } from './runner.js';

/** The outcome of a turn: the stored assistant message, or null when a human holds the conversation. */
export interface TurnResult {
  decision: RouteDecision | null;
  assistantMessage: Message | null;
}

/** The tool-call entry that marks a reply the offline engine gave because the LLM could not (no schema change needed). */
export const FALLBACK_NOTE = 'llm_fallback';

/** The customer whose records a turn may read: the signed-in customer, never staff or anonymous visitors. */
export function customerIdOf(auth: AuthContext): string | null {
  return auth.kind === 'user' && auth.role === 'customer' ? auth.customerId : null;
}

/** The decision of an offline turn for a message in another language: no routing (English rules would misread it). */
function languageDecision(code: string): RouteDecision {
  return { route: 'out_of_scope', confidence: 1, reasoning: `message in ${code}; offline answers are English-only`, clarify: false, engine: 'offline' };
}

/** The agent that answers a decision; none when the router answers itself (small talk, out of scope, the clarifying question). */
function routedAgent(decision: RouteDecision): Agent | undefined {
  if (decision.clarify || !isAgentRoute(decision.route)) return undefined;
  return AGENTS[decision.route];
}

/** What the assistant's last message before this one waits for (an answer to the offer of a person, an email address). */
function pendingFollowUp(history: RememberedMessage[], current: Message): FollowUp | null {
  const previous = history.filter((m) => m.id !== current.id && m.role !== 'system').at(-1);
  if (previous?.role !== 'assistant' || !previous.followUp) return null;
  const parsed = followUpSchema.safeParse(previous.followUp);
  return parsed.success ? parsed.data : null;
}

function describeHandoff(d: HandoffDecision): string {
  return 'reason' in d ? `${d.kind} (${d.reason})` : d.kind;
}

/** The route and question a quick reply to the clarifying question stands for. */
function chosenAfterClarify(ctx: TurnContext): { route: 'faq' | 'account'; question: string } | undefined {
  if (!router.isAfterClarify(ctx)) return undefined;
  const route = router.clarifyChoice(ctx.userMessage.content);
  const question = ctx.history.filter((m) => m.role === 'user' && m.id !== ctx.userMessage.id).at(-1)?.content;
  return route && question ? { route, question } : undefined;
}

/** The turn as the agent reads it when the customer's message stands for an earlier question. */
function answering(ctx: TurnContext, question: string): TurnContext {
  const userMessage = { ...ctx.userMessage, content: question };
  return { ...ctx, userMessage, history: ctx.history.map((m) => (m.id === userMessage.id ? userMessage : m)) };
}

// An answer that ends by offering a person (the FAQ's "couldn't find", the offline apology) is an offer too.
const OFFERS_PERSON = /\bconnect you with (someone|a person)[^?]*\?\s*$/i;

/** The quick replies a reply carries and what it waits for from the customer's next message. */
function replyFollowUp(ctx: TurnContext, decision: RouteDecision, reply: AgentReply): { quickReplies: string[]; followUp: FollowUp | null } {
  const d = ctx.handoff.decision;
  if (decision.clarify) return { quickReplies: router.clarifyQuickReplies(decision.route), followUp: null };
  if (reply.agent === 'escalation' && d.kind === 'ask_email') return { quickReplies: [], followUp: { kind: 'ask_email', reason: d.reason, attempt: d.attempt } };
  const offered = reply.agent === 'escalation' ? d.kind === 'offer' : d.kind !== 'ticket' && OFFERS_PERSON.test(reply.content);
  if (offered && ctx.conversation.status !== 'waiting_human') return { quickReplies: [...OFFER_QUICK_REPLIES], followUp: { kind: 'handoff_offer' } };
  return { quickReplies: [], followUp: null };
}

/** The stored customer message a turn answers; `firstMessage` (known when it was stored): the conversation had none before. */
export interface TurnInput {
  auth: AuthContext;
  conversation: Conversation;
  userMessage: Message;
  firstMessage?: boolean;
  /** The conversation's cached memory, read ahead with the request's gate (memory.ts prefetchMemory). */
  memory?: MemoryPrefetch | null;
}

/**
 * Answers a stored user message: memory → router → agent → the stored assistant message.
 * While a human holds the conversation the AI stays silent. `emit` receives the turn's events as
 * they happen: typing on, route, tool calls, tokens, handoff, message.completed, typing off.
 */
export function runTurn(deps: AgentDeps, input: TurnInput, emit: EmitEvent = () => {}): Promise<TurnResult> {
  // A `chat.turn` span over the whole turn; the router, agent and tool spans nest under it.
  return observeTurn(input.conversation.id, () => turn(deps, input, emit));
}

async function turn(deps: AgentDeps, input: TurnInput, emit: EmitEvent): Promise<TurnResult> {
  let conversation = input.conversation;
  const conversationId = conversation.id;
  if (conversation.status === 'human') {
    await invalidateMemory(deps, conversationId); // the customer's message is not in the cached memory
    return { decision: null, assistantMessage: null };
  }
  emit({ type: 'typing', conversation_id: conversationId, on: true, who: 'assistant' });
  // A handoff announced by an escalation during the answer goes out once the reply is stored, right
  // before message.completed (the documented order); a turn sends at most one.
  let handoff: ConversationEvent | undefined;
  const turnEmit: EmitEvent = (event) => {
    if (event.type === 'handoff') handoff ??= event;
    else emit(event);
  };
  try {
    const llm = deps.llm;
    const window = deps.config.MEMORY_MESSAGES;
    let memory = await loadMemory(deps, conversation, input.userMessage, { firstMessage: input.firstMessage, prefetched: input.memory });
    if (summaryDue(memory.total, window)) {
      const refreshed = await refreshSummary({ db: deps.db, llm }, conversation, memory.summary, window);
      memory = { ...memory, summary: refreshed.summary };
      if (refreshed.updatedAt) conversation = { ...conversation, summary: refreshed.summary, updatedAt: refreshed.updatedAt };
    }
    // The server's handoff decision comes first: an answer to the offer of a person or to the email
    // question, an ask for a person, or a policy case goes to escalation without asking the router.
    const handoffInput: HandoffInput = {
      text: input.userMessage.content,
      pending: pendingFollowUp(memory.messages, input.userMessage),
      anonymous: input.auth.kind !== 'user',
      waiting: conversation.status === 'waiting_human',
    };
    let ctx: TurnContext = {
      deps,
      llm,
      auth: input.auth,
      conversation,
      customerId: customerIdOf(input.auth),
      userMessage: input.userMessage,
      messageId: uuidv7(),
      history: memory.messages,
      summary: memory.summary,
      language: await detectLanguage(input.userMessage.content),
      emit: turnEmit,
      retrieved: new RetrievedPassages(),
      handoff: { decision: decideHandoff(handoffInput) },
    };

    let decision: RouteDecision;
    const chosen = ctx.handoff.decision.kind === 'none' ? chosenAfterClarify(ctx) : undefined;
    if (ctx.handoff.decision.kind !== 'none') {
      decision = { route: 'escalation', confidence: 1, reasoning: `handoff policy: ${describeHandoff(ctx.handoff.decision)}`, clarify: false };
    } else if (chosen) {
      // A quick reply to the clarifying question: the chosen agent answers the question that was asked.
      decision = { route: chosen.route, confidence: 1, reasoning: `the customer chose ${chosen.route} after the clarifying question`, clarify: false };
      ctx = answering(ctx, chosen.question);
    } else if (ctx.language && llm.provider === 'offline') {
      // Offline, a message confidently in another language gets the English-only notice and the offer of
      // a person instead of an English answer to a misread question; an LLM answers it in that language.
      decision = languageDecision(ctx.language.code);
    } else {
      decision = await observeRouter(deps.metrics, () => router.decide(ctx, AGENT_LIST));
      if (!decision.clarify) ctx.handoff.decision = decideHandoff({ ...handoffInput, route: decision.route });
    }
    const notice = ctx.language && decision.engine === 'offline' && ctx.handoff.decision.kind === 'none' ? ctx.language : null;
    const agent = notice ? undefined : routedAgent(decision);
    const route = notice ? LANGUAGE_ROUTE : decision.clarify ? router.CLARIFY_ROUTE : decision.route;
    emit({ type: 'route', conversation_id: conversationId, route, confidence: decision.confidence, agent: agent?.name ?? router.name, clarify: decision.clarify && !notice });
    let reply: AgentReply;
    if (notice) {
      reply = languageNoticeReply(notice);
      emitText(ctx, reply.content);
    } else if (agent) {
      reply = await observeAgent(deps.metrics, agent.name, () => runAgent(agent, ctx));
    } else {
      reply = router.replyOffline(ctx, decision);
      emitText(ctx, reply.content);
    }

    const ledger = new Ledger();
    ledger.merge(decision);
    ledger.merge(reply);
    const toolCalls: ToolCallRecord[] = ledger.fallback
      ? [...reply.toolCalls, { name: FALLBACK_NOTE, arguments: { reason: ledger.fallback, provider: llm.provider }, status: 'error', duration_ms: 0 }]
      : reply.toolCalls;
    // The account agent's proposal, if it made one: the reply carries it (pending_action).
    const pendingAction = agent?.name === account.name ? await proposalOf(deps.db, ctx.messageId) : undefined;
    // Once per customer message: a second run of the same turn (a retry while the first lived on) gets the stored reply.
    const { message: assistantMessage } = await insertReplyOnce(deps.db, {
      id: ctx.messageId,
      conversationId,
      role: 'assistant',
      content: reply.content,
      replyTo: input.userMessage.id,
      agent: reply.agent,
      route,
      confidence: decision.confidence,
      engine: reply.engine,
      citations: reply.citations,
      toolCalls,
      usage: ledger.usage,
      pendingAction,
      ...replyFollowUp(ctx, decision, reply),
    });
    // The turn's usage rows, held back from its model calls, in one insert linked to the reply.
    await llm.settleUsage(ledger.usageIds, assistantMessage.id, conversationId);
    await rememberTurn(deps, conversation, memory, [assistantMessage]);
    if (handoff) emit(handoff);
    emit({ type: 'message.completed', conversation_id: conversationId, message: toStaffMessage(assistantMessage) });
    return { decision, assistantMessage };
  } finally {
    // The next turn reads the budgets again (other processes may have spent meanwhile).
    deps.llm.endTurn({ conversationId, customerId: customerIdOf(input.auth) });
    emit({ type: 'typing', conversation_id: conversationId, on: false, who: 'assistant' });
  }
}
