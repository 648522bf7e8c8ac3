// The approval queue's state: what waits for a staff decision (polled, and reloaded on demand),
// and the decision itself (POST /actions/:id/approval), which removes the action from the queue.
import { useCallback, useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';
import type { WireAction } from '../lib/types';
import type { PendingApproval } from './desk-types';

/** How often the queue is re-read while the console is open. */
const POLL_MS = 10_000;

/** The result of a decision, as the console reports it. */
export interface DecisionNotice {
  id: string;
  decision: 'approve' | 'reject';
  status: WireAction['status'];
  summary: string;
  customer: string;
}

/** Pending approvals, oldest confirmation first, and the approve / reject decision. */
export function useApprovals(api: ApiClient, enabled: boolean) {
  const [items, setItems] = useState<PendingApproval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<DecisionNotice | null>(null);

  const reload = useCallback(async () => {
    try {
      const page = await api.request<{ items: PendingApproval[] }>('/actions?status=pending&limit=100');
      const waitSince = (a: PendingApproval) => Date.parse(a.confirmed_at ?? a.created_at);
      setItems([...page.items].sort((a, b) => waitSince(a) - waitSince(b)));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not load the approvals');
    }
  }, [api]);

  useEffect(() => {
    if (!enabled) return;
    void reload();
    const t = setInterval(() => void reload(), POLL_MS);
    return () => clearInterval(t);
  }, [enabled, reload]);

  const decide = useCallback(
    async (item: PendingApproval, decision: 'approve' | 'reject', note: string) => {
      setBusy(item.id);
      setError(null);
      try {
        const body = note.trim() ? { decision, note: note.trim() } : { decision };
        const res = await api.request<{ action: WireAction }>(`/actions/${item.id}/approval`, { body });
        setNotice({ id: item.id, decision, status: res.action.status, summary: item.summary, customer: item.customer.name });
        setItems((cur) => cur?.filter((a) => a.id !== item.id) ?? cur);
      } catch (err) {
        // Someone else decided it meanwhile (409): the queue is re-read so it drops out.
        setError(err instanceof ApiError ? err.message : 'Could not record the decision');
        void reload();
      } finally {
        setBusy(null);
      }
    },
    [api, reload],
  );

  return { items, error, busy, notice, reload, decide, clearNotice: () => setNotice(null) };
}

/** What useApprovals gives the view. */
export type Approvals = ReturnType<typeof useApprovals>;
