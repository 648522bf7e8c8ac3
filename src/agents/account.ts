import type { Agent } from './agent.js';
import type { TurnContext } from './context.js';
import { offline } from './offline/account-answer.js';
import { ACCOUNT_TOOLS } from './tools/account-tools.js';
import { proposeActionTool, resendInvoiceTool } from './tools/action-tools.js';

const name = 'account';
const description =
  "Answers questions about the signed-in customer's own records (subscriptions and plan, invoices and payments, hardware orders and tracking, profile) and changes them on request: cancel an order, change its shipping address, return an order for a refund, change plan or seats, resend an invoice.";

/** Instructions for an LLM running this agent. */
function instructions(): string {
  return [
    'You help a signed-in customer of Switchboard Demo Co with their own subscriptions, invoices and orders.',
    "Use the tools to read their records; the tools only ever return this customer's data.",
    'Quote numbers, amounts, dates and statuses exactly as the tools return them. If a tool says not found, say you could not find it on their account.',
    'Call independent tools in the same step. Never ask for or use a customer id: the tools already know who is signed in. Be concise.',
    'To change something (cancel an order, change its shipping address, return a delivered order for a refund, change the plan or seats) call propose_action once. It changes nothing: the customer presses Confirm or Cancel under your reply, and large refunds also wait for our team.',
    'After proposing, describe exactly what will happen once they confirm and ask them to press Confirm; never say it is done. A typed "yes" is not a confirmation: ask them to press Confirm. If propose_action refuses, tell the customer its reason.',
    'To send an invoice again to their billing email, call resend_invoice once (it runs at once, no confirmation); look the number up with list_invoices first if they did not give one. Tell them what it returned.',
  ].join('\n');
}

/** Asked of anonymous visitors who ask about an account. */
const SIGN_IN_REQUIRED = 'I can help with your account, invoices and orders once you sign in, so I can be sure the details are yours. Please sign in and ask again.';

/** Anonymous visitors are asked to sign in; no tool runs without a signed-in customer. */
function precheck(ctx: TurnContext): string | undefined {
  return ctx.customerId ? undefined : SIGN_IN_REQUIRED;
}

/** The account agent. */
export const account: Agent = { name, description, instructions, tools: [...ACCOUNT_TOOLS, proposeActionTool, resendInvoiceTool], maxSteps: 5, precheck, offline };
