import type { AuthContext } from '../../auth/tokens.js';
import { assertOwner, type StaffAuth } from '../../chat/access.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { claimAction, expireAction, finishAction, getAction, getActionByMessage, insertAction, insertAudit, setMessageAction, type AccountAction } from '../../db/queries/actions.js';
import { getConversation, touchConversation } from '../../db/queries/conversations.js';
import { getMessage, insertMessage, type Message } from '../../db/queries/messages.js';
import type { PendingActionView } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { notifyInvoiceResend } from '../../jobs/ticket-notifications.js';
import type { JobRunner } from '../../jobs/job.js';
import type { Metrics } from '../../observability/metrics.js';
import type { EventBus } from '../../realtime/bus.js';
import type { ConversationEvent } from '../../contract/events.js';
import { toStaffMessage } from '../../chat/wire.js';
import type { TurnContext } from '../context.js';
import { ACTIONS, type ActionEnv } from './definitions.js';

// The confirmation protocol: the account agent proposes (nothing changes), the customer confirms
// or declines, staff approve or reject the approve tier, and the action runs at most once. Every
// decision is one transaction: a conditional UPDATE … WHERE status = <expected> RETURNING claims
// the action, and the record change, the audit row, the proposing message's copy of the action
// and the assistant message stating the outcome commit with it. Events go out after the commit.

/** What the protocol uses. */
export interface ActionDeps {
  db: Db;
  config: Pick<Config, 'REFUND_AUTO_APPROVE_USD' | 'ACTION_CONFIRM_MINUTES'>;
  bus?: EventBus;
  metrics?: Metrics;
  /** Where the auto tier queues its notification (none: an auto action cannot run). */
  jobs?: JobRunner;
}

/** The action as messages, events and the API show it. */
export function actionView(a: AccountAction): PendingActionView {
  const amount = a.amountCents === null ? null : { cents: a.amountCents, currency: a.currency ?? 'USD' };
  return { id: a.id, type: a.type, summary: a.summary, arguments: a.arguments, risk: a.risk, status: a.status, expires_at: a.expiresAt.toISOString(), amount };
}

/** What the model (or the offline engine) is told about its proposal. */
export type ProposeResult = { proposed: true; action: PendingActionView; proposal: string; next: string } | { proposed: false; code: string; reason: string };

/** What propose_action takes: the action type and its arguments (the customer is the signed-in one, never an argument). */
export interface ProposeInput {
  type: string;
  [argument: string]: unknown;
}

const NEXT_STEP = 'Nothing has changed yet. The customer confirms or cancels with the buttons under your reply; a typed "yes" is not a confirmation. Do not say it is done.';

/**
 * Proposes an action for the turn's customer: checks the arguments and the policy against their own
 * records, stores the proposal (pending, until ACTION_CONFIRM_MINUTES) under the reply's message id
 * and announces `action.proposed`. Changes nothing else. One proposal per reply.
 */
export async function proposeAction(ctx: TurnContext, input: ProposeInput): Promise<ProposeResult> {
  const customerId = ctx.customerId;
  if (!customerId) throw new AppError('sign_in_required', 401, 'Sign in to change account details');
  const deps = ctx.deps;
  const def = ACTIONS[input.type];
  if (!def) return { proposed: false, code: 'unknown_action', reason: `There is no action called ${String(input.type)}.` };
  if (def.tiers.length === 1 && def.tiers[0] === 'auto') {
    const ran = await runAutoAction(ctx, input);
    return ran.done ? { proposed: false, code: 'done', reason: ran.message } : { proposed: false, code: ran.code, reason: ran.reason };
  }
  const { type: _type, ...rest } = input;
  const parsed = def.schema.safeParse(rest);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    return { proposed: false, code: 'invalid_arguments', reason: `The request is missing details (${reason}).` };
  }
  const now = new Date();
  const env: ActionEnv = { db: deps.db, customerId, now, config: deps.config };
  const assessed = await def.assess(env, parsed.data, false);
  if (!assessed.ok) {
    deps.metrics?.actions.inc({ type: def.type, outcome: 'refused' });
    return { proposed: false, code: assessed.code, reason: assessed.reason };
  }
  const action = await insertAction(deps.db, {
    conversationId: ctx.conversation.id,
    messageId: ctx.messageId,
    customerId,
    type: def.type,
    arguments: parsed.data as Record<string, unknown>,
    summary: assessed.summary,
    risk: assessed.risk,
    amountCents: assessed.amount?.cents ?? null,
    currency: assessed.amount?.currency ?? null,
    expiresAt: new Date(now.getTime() + deps.config.ACTION_CONFIRM_MINUTES * 60_000),
  });
  if (!action) return { proposed: false, code: 'one_action_per_reply', reason: 'Only one change can be proposed per reply; this reply already proposes one.' };
  deps.metrics?.actions.inc({ type: def.type, outcome: 'proposed' });
  const view = actionView(action);
  ctx.emit({ type: 'action.proposed', conversation_id: ctx.conversation.id, action: view });
  return { proposed: true, action: view, proposal: assessed.proposal, next: NEXT_STEP };
}

/** What an auto-tier action tells the model (or the offline engine): done, with the message to pass on, or refused and why. */
export type AutoResult = { done: true; action: PendingActionView; result: Record<string, unknown>; message: string } | { done: false; code: string; reason: string };

/**
 * Runs an `auto`-tier action for the turn's customer at once (safe and repeatable: no decision to
 * wait for). One transaction takes the record's lock, applies the policy (including its limits on
 * repeats), stores the action as completed under the reply's message id and writes the audit row;
 * its notification is queued after the commit under the action's id, so it is queued once. A
 * retried turn (the same reply) gets the same action back instead of a second one.
 */
export async function runAutoAction(ctx: TurnContext, input: ProposeInput): Promise<AutoResult> {
  const customerId = ctx.customerId;
  if (!customerId || ctx.auth.kind !== 'user') throw new AppError('sign_in_required', 401, 'Sign in to change account details');
  const deps = ctx.deps;
  const def = ACTIONS[input.type];
  if (!def?.tiers.includes('auto')) return { done: false, code: 'unknown_action', reason: `There is no action called ${String(input.type)} that runs at once.` };
  const { type: _type, ...rest } = input;
  const parsed = def.schema.safeParse(rest);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    return { done: false, code: 'invalid_arguments', reason: `The request is missing details (${reason}).` };
  }
  const earlier = await getActionByMessage(deps.db, ctx.messageId);
  if (earlier) {
    if (earlier.type === def.type && earlier.status === 'completed' && JSON.stringify(earlier.arguments) === JSON.stringify(parsed.data)) {
      return { done: true, action: actionView(earlier), result: earlier.result ?? {}, message: String(earlier.result?.message ?? 'Done.') };
    }
    return { done: false, code: 'one_action_per_reply', reason: 'Only one change can be made per reply; this reply already made one.' };
  }
  const userId = ctx.auth.userId;
  const now = new Date();
  const ran = await deps.db.transaction(async (tx) => {
    const env: ActionEnv = { db: tx, customerId, now, config: deps.config };
    const assessed = await def.assess(env, parsed.data, true);
    if (!assessed.ok) return assessed;
    if (assessed.risk !== 'auto') return { ok: false as const, code: 'needs_confirmation', reason: 'This change needs your confirmation first.' };
    const action = await insertAction(tx, {
      conversationId: ctx.conversation.id,
      messageId: ctx.messageId,
      customerId,
      type: def.type,
      arguments: parsed.data as Record<string, unknown>,
      summary: assessed.summary,
      risk: 'auto',
      status: 'confirmed',
      decidedBy: userId,
      decidedAt: now,
      amountCents: assessed.amount?.cents ?? null,
      currency: assessed.amount?.currency ?? null,
      expiresAt: now,
    });
    if (!action) return { ok: false as const, code: 'one_action_per_reply', reason: 'Only one change can be made per reply; this reply already made one.' };
    const outcome = await assessed.apply(action.id);
    const result = { ...outcome.result, message: outcome.message };
    const completed = await finishAction(tx, action.id, 'completed', result, now);
    await insertAudit(tx, {
      actorType: 'customer',
      actorId: userId,
      action: def.type,
      actionId: action.id,
      customerId,
      arguments: action.arguments,
      conversationId: ctx.conversation.id,
      messageId: ctx.messageId,
      outcome: 'completed',
      before: outcome.before,
      after: outcome.after,
      result,
    });
    return { ok: true as const, action: completed, outcome };
  });
  if (!ran.ok) {
    deps.metrics?.actions.inc({ type: def.type, outcome: 'refused' });
    return { done: false, code: ran.code, reason: ran.reason };
  }
  let action = ran.action;
  if (ran.outcome.notify) {
    try {
      if (!deps.jobs) throw new Error('no job runner');
      await notifyInvoiceResend(deps.jobs, { ...ran.outcome.notify, conversation_id: ctx.conversation.id });
    } catch (err) {
      // The queue is down: the action did not happen as far as the customer can tell, so say so and record it.
      const reason = 'Sending is not possible right now; please try again in a few minutes.';
      action = await deps.db.transaction(async (tx) => {
        const failed = await finishAction(tx, action.id, 'failed', { code: 'queue_unavailable', reason, error: (err as Error).message }, new Date());
        await insertAudit(tx, {
          actorType: 'system',
          action: def.type,
          actionId: action.id,
          customerId,
          arguments: action.arguments,
          conversationId: ctx.conversation.id,
          messageId: ctx.messageId,
          outcome: 'failed',
          result: { code: 'queue_unavailable', reason },
        });
        return failed;
      });
      deps.metrics?.actions.inc({ type: def.type, outcome: 'failed' });
      ctx.emit({ type: 'action.failed', conversation_id: ctx.conversation.id, action: actionView(action) });
      return { done: false, code: 'queue_unavailable', reason };
    }
  }
  deps.metrics?.actions.inc({ type: def.type, outcome: 'completed' });
  const view = actionView(action);
  ctx.emit({ type: 'action.completed', conversation_id: ctx.conversation.id, action: view });
  return { done: true, action: view, result: ran.outcome.result, message: ran.outcome.message };
}

/** The proposal a stored reply carries (the orchestrator puts it on the message). */
export async function proposalOf(db: Db, messageId: string): Promise<PendingActionView | undefined> {
  const a = await getActionByMessage(db, messageId);
  return a ? actionView(a) : undefined;
}

/** The result of a decision: the action now, and the assistant message that states it. */
export interface Decision {
  action: PendingActionView;
  message: Message;
}

type ActionEvent = Extract<ConversationEvent, { type: `action.${string}` }>;

interface Settled {
  action: AccountAction;
  message: Message;
  event: ActionEvent['type'];
  outcome: string;
}

const actionNotFound = () => new AppError('action_not_found', 404, 'Action not found');

const STATUS_WORDS: Record<AccountAction['status'], string> = {
  pending: 'waiting for your decision',
  confirmed: 'confirmed and waiting for approval by our team',
  approved: 'approved',
  rejected: 'rejected by our team',
  declined: 'declined',
  expired: 'expired',
  completed: 'already carried out',
  failed: 'already tried, and it could not be done',
};

/** The assistant message that states what happened, in the action's conversation (touching it, so memory reloads). */
async function outcomeMessage(db: Db, action: AccountAction, content: string): Promise<Message> {
  const message = await insertMessage(db, { conversationId: action.conversationId, role: 'assistant', content, agent: 'account', route: 'account' });
  await touchConversation(db, action.conversationId);
  return message;
}

/** Runs a claimed action in the caller's transaction: the policy again on the locked record, then the change. */
async function execute(deps: ActionDeps, tx: Db, action: AccountAction, actor: { type: 'customer' | 'staff'; userId: string }, now: Date): Promise<Settled> {
  const def = ACTIONS[action.type];
  const approverId = actor.type === 'staff' ? actor.userId : null;
  const audit = {
    actorType: actor.type,
    actorId: actor.userId,
    action: action.type,
    actionId: action.id,
    customerId: action.customerId,
    arguments: action.arguments,
    conversationId: action.conversationId,
    messageId: action.messageId,
    approverId,
  };
  const fail = async (code: string, reason: string): Promise<Settled> => {
    const failed = await finishAction(tx, action.id, 'failed', { code, reason }, now);
    await insertAudit(tx, { ...audit, outcome: 'failed', result: { code, reason } });
    await setMessageAction(tx, failed.messageId, actionView(failed));
    const message = await outcomeMessage(tx, failed, `I couldn't complete that: ${reason} Nothing was changed.`);
    return { action: failed, message, event: 'action.failed', outcome: 'failed' };
  };
  if (!def) return fail('unknown_action', 'This kind of change is no longer offered.');
  const args = def.schema.safeParse(action.arguments);
  if (!args.success) return fail('invalid_arguments', 'The request is no longer valid.');
  const env: ActionEnv = { db: tx, customerId: action.customerId, now, config: deps.config };
  const assessed = await def.assess(env, args.data, true);
  if (!assessed.ok) return fail(assessed.code, assessed.reason);
  if (assessed.risk === 'approve' && !approverId) return fail('approval_required', 'This change now needs approval by our team; please ask again.');
  const outcome = await assessed.apply(action.id);
  const completed = await finishAction(tx, action.id, 'completed', outcome.result, now);
  await insertAudit(tx, { ...audit, outcome: 'completed', before: outcome.before, after: outcome.after, result: outcome.result });
  await setMessageAction(tx, completed.messageId, actionView(completed));
  const message = await outcomeMessage(tx, completed, outcome.message);
  return { action: completed, message, event: 'action.completed', outcome: 'completed' };
}

function announce(deps: ActionDeps, settled: Settled): Decision {
  const view = actionView(settled.action);
  deps.metrics?.actions.inc({ type: settled.action.type, outcome: settled.outcome });
  // Fire and forget (the bus reports failures): the decision is committed whatever happens to its live notice.
  deps.bus?.emit({ type: settled.event, conversation_id: settled.action.conversationId, action: view });
  deps.bus?.emit({ type: 'message.created', conversation_id: settled.action.conversationId, message: toStaffMessage(settled.message) });
  return { action: view, message: settled.message };
}

/**
 * Why a decision found nothing to claim: an expired proposal is marked expired (409
 * action_expired); one whose message is not stored yet is not ready (409); anything else was
 * already decided (409 action_already_decided), and nothing changes.
 */
async function refuseDecision(deps: ActionDeps, id: string, actor: { type: 'customer' | 'staff'; userId: string }, now: Date): Promise<never> {
  const current = await getAction(deps.db, id);
  if (!current) throw actionNotFound();
  if (current.status === 'pending' && current.expiresAt.getTime() <= now.getTime()) {
    const expired = await deps.db.transaction(async (tx) => {
      const row = await expireAction(tx, id, now);
      if (!row) return undefined;
      await insertAudit(tx, {
        actorType: actor.type,
        actorId: actor.userId,
        action: row.type,
        actionId: row.id,
        customerId: row.customerId,
        arguments: row.arguments,
        conversationId: row.conversationId,
        messageId: row.messageId,
        outcome: 'expired',
      });
      await setMessageAction(tx, row.messageId, actionView(row));
      return row;
    });
    if (expired) {
      deps.metrics?.actions.inc({ type: expired.type, outcome: 'expired' });
      deps.bus?.emit({ type: 'action.expired', conversation_id: expired.conversationId, action: actionView(expired) });
    }
    throw new AppError('action_expired', 409, 'This request has expired; nothing was changed. Ask again if you still want it.', { status: 'expired' });
  }
  if (current.status === 'pending' && !(await getMessage(deps.db, current.conversationId, current.messageId))) {
    throw new AppError('action_not_ready', 409, 'This request is still being written; try again in a moment.', { status: current.status });
  }
  const view = actionView(current);
  if (current.status === 'pending' && actor.type === 'staff') {
    throw new AppError('action_awaiting_customer', 409, 'The customer has not confirmed this request yet.', { status: view.status, action: view });
  }
  if (current.status === 'confirmed' && actor.type === 'customer') {
    throw new AppError('action_already_decided', 409, 'You already confirmed this request; it is waiting for approval by our team. Nothing was changed now.', { status: view.status, action: view });
  }
  throw new AppError('action_already_decided', 409, `This request was ${STATUS_WORDS[current.status]}; nothing was changed now.`, { status: view.status, action: view });
}

/**
 * The customer's decision on a proposal in their conversation. `confirm` runs a confirm-tier
 * action at once (or hands an approve-tier one to staff); `decline` drops it. Unknown or foreign
 * ids are 404; expired or already decided ones 409, and nothing changes.
 */
export async function decideAsCustomer(deps: ActionDeps, auth: AuthContext, conversationId: string, actionId: string, decision: 'confirm' | 'decline'): Promise<Decision> {
  const conversation = await getConversation(deps.db, conversationId);
  assertOwner(auth, conversation);
  const action = await getAction(deps.db, actionId);
  const customerId = auth.kind === 'user' && auth.role === 'customer' ? auth.customerId : null;
  if (auth.kind !== 'user' || !action || action.conversationId !== conversation.id || action.customerId !== customerId) throw actionNotFound();
  const actor = { type: 'customer' as const, userId: auth.userId };
  const now = new Date();
  const settled = await deps.db.transaction(async (tx): Promise<Settled | undefined> => {
    if (decision === 'decline') {
      const declined = await claimAction(tx, actionId, ['pending'], 'declined', { decidedBy: auth.userId, decidedAt: now }, now);
      if (!declined) return undefined;
      await insertAudit(tx, {
        actorType: 'customer',
        actorId: auth.userId,
        action: declined.type,
        actionId,
        customerId: declined.customerId,
        arguments: declined.arguments,
        conversationId,
        messageId: declined.messageId,
        outcome: 'declined',
      });
      await setMessageAction(tx, declined.messageId, actionView(declined));
      const message = await outcomeMessage(tx, declined, `Okay, I've left it as it is: nothing was changed (${lowerFirst(declined.summary)}).`);
      return { action: declined, message, event: 'action.declined', outcome: 'declined' };
    }
    const confirmed = await claimAction(tx, actionId, ['pending'], 'confirmed', { decidedBy: auth.userId, decidedAt: now }, now);
    if (!confirmed) return undefined;
    if (confirmed.risk !== 'approve') return execute(deps, tx, confirmed, actor, now);
    await insertAudit(tx, {
      actorType: 'customer',
      actorId: auth.userId,
      action: confirmed.type,
      actionId,
      customerId: confirmed.customerId,
      arguments: confirmed.arguments,
      conversationId,
      messageId: confirmed.messageId,
      outcome: 'confirmed',
    });
    await setMessageAction(tx, confirmed.messageId, actionView(confirmed));
    const message = await outcomeMessage(
      tx,
      confirmed,
      `Thanks, that's confirmed. ${confirmed.summary} needs approval by our team; you'll see the outcome here, usually within 1 business day. Nothing has changed yet.`,
    );
    return { action: confirmed, message, event: 'action.confirmed', outcome: 'confirmed' };
  });
  if (!settled) return refuseDecision(deps, actionId, actor, now);
  return announce(deps, settled);
}

/**
 * A staff member's decision on an approve-tier action the customer confirmed: `approve` runs it,
 * `reject` refuses it (the note, if any, is kept and told to the customer).
 */
export async function decideAsStaff(deps: ActionDeps, staff: StaffAuth, actionId: string, decision: 'approve' | 'reject', note?: string): Promise<Decision> {
  const action = await getAction(deps.db, actionId);
  if (!action) throw actionNotFound();
  const actor = { type: 'staff' as const, userId: staff.userId };
  const now = new Date();
  const fields = { approvedBy: staff.userId, approvedAt: now, approvalNote: note ?? null };
  const settled = await deps.db.transaction(async (tx): Promise<Settled | undefined> => {
    if (decision === 'reject') {
      const rejected = await claimAction(tx, actionId, ['confirmed'], 'rejected', fields, now);
      if (!rejected) return undefined;
      await insertAudit(tx, {
        actorType: 'staff',
        actorId: staff.userId,
        approverId: staff.userId,
        action: rejected.type,
        actionId,
        customerId: rejected.customerId,
        arguments: rejected.arguments,
        conversationId: rejected.conversationId,
        messageId: rejected.messageId,
        outcome: 'rejected',
        result: note ? { note } : null,
      });
      await setMessageAction(tx, rejected.messageId, actionView(rejected));
      const why = note ? ` Their note: ${note}` : '';
      const message = await outcomeMessage(tx, rejected, `Our team couldn't approve this request (${lowerFirst(rejected.summary)}), so nothing was changed.${why}`);
      return { action: rejected, message, event: 'action.rejected', outcome: 'rejected' };
    }
    const approved = await claimAction(tx, actionId, ['confirmed'], 'approved', fields, now);
    if (!approved) return undefined;
    return execute(deps, tx, approved, actor, now);
  });
  if (!settled) return refuseDecision(deps, actionId, actor, now);
  // How long the customer waited for a person (confirmed → decided), approved or rejected.
  const waited = settled.action.decidedAt ? (now.getTime() - settled.action.decidedAt.getTime()) / 1000 : undefined;
  if (waited !== undefined) deps.metrics?.actionApprovalWait.observe(Math.max(0, waited));
  return announce(deps, settled);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
