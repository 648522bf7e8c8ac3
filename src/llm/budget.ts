// The seam for cost budgets: consulted before every call to a configured LLM. The budgets
// themselves (per conversation, customer, day) are implemented elsewhere and plugged in with
// `LlmRegistry.setBudget()`; without one, every call is allowed.

/** What a budget lets a call do: go ahead, use the cheaper router model, or answer offline. */
export type BudgetDecision = 'allow' | 'router_model' | 'offline';

/** The call a budget is asked about. */
export interface BudgetCall {
  agent: string;
  provider: string;
  model: string;
  conversationId?: string;
  customerId?: string;
}

/** Decides, before a call, whether the LLM may be used for it. */
export interface CallBudget {
  check(call: BudgetCall): BudgetDecision | Promise<BudgetDecision>;
  /** Takes a turn's spend read elsewhere (with the customer's message), so its calls need not read it. */
  prime?(q: TurnScope, spend: { conversation: number | null; customer: number | null }): void;
  /** Ends a turn: what it knew of the spend is read again next time. */
  forget?(q: TurnScope): void;
}

/** The scopes of one turn's spend. */
export interface TurnScope {
  conversationId: string;
  customerId?: string | null;
}

/** The budget that allows everything (no budgets configured). */
export const UNLIMITED: CallBudget = { check: () => 'allow' };
