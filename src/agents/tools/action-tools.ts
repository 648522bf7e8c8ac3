import { z } from 'zod';
import { ACTION_TYPES } from '../actions/definitions.js';
import { RETURN_REASONS, SELF_SERVE_PLANS } from '../actions/policy.js';
import { proposeAction, runAutoAction } from '../actions/protocol.js';
import { defineTool } from './tool.js';

// Lenient on purpose: the action's own schema checks the arguments and says what is missing, so
// the model is told in words instead of getting a schema error.
const addressInput = z.object({
  name: z.string().max(200).optional(),
  line1: z.string().max(300).optional(),
  line2: z.string().max(300).optional(),
  city: z.string().max(200).optional(),
  region: z.string().max(200).optional(),
  postal_code: z.string().max(40).optional(),
  country: z.string().max(60).optional().describe('Two-letter country code, e.g. US'),
});

export const proposeActionTool = defineTool({
  name: 'propose_action',
  description: [
    "Proposes a change to the signed-in customer's own records. It changes NOTHING: the customer confirms or cancels with buttons under your reply (and staff approve large refunds), and only then does it run.",
    'Types: cancel_order {order_number} (not yet shipped); change_shipping_address {order_number, address} (pending orders only);',
    'request_refund {order_number, reason: changed_mind|defective|damaged|wrong_item} (delivered within 30 days; a return with a refund);',
    'change_plan {plan?: starter|pro|business, seats?, effective?: renewal|now} (upgrades and added seats now, prorated; downgrades at renewal).',
    'Returns proposed:false with a reason to tell the customer when the policy does not allow it.',
  ].join(' '),
  inputSchema: z.object({
    type: z.enum(ACTION_TYPES),
    order_number: z.string().max(40).optional().describe('ORD- followed by 6 digits'),
    address: addressInput.optional(),
    reason: z.enum(RETURN_REASONS).optional(),
    plan: z.enum(SELF_SERVE_PLANS as [string, ...string[]]).optional(),
    seats: z.number().int().min(1).max(500).optional(),
    effective: z.enum(['renewal', 'now']).optional(),
  }),
  run: (input, ctx) => proposeAction(ctx, input),
});

export const resendInvoiceTool = defineTool({
  name: 'resend_invoice',
  description:
    "Sends one of the signed-in customer's invoices again to the billing email on their account, at once (no confirmation needed). Returns done:true with the message to pass on, or done:false with the reason (not found, void, sent a few minutes ago). Call it once per request.",
  inputSchema: z.object({ invoice_number: z.string().max(40).describe('INV-YYYY-NNNNN, e.g. INV-2026-98765') }),
  run: (input, ctx) => runAutoAction(ctx, { type: 'resend_invoice', ...input }),
});
