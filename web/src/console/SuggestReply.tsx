import { useEffect, useState } from 'react';
import { type ApiClient, ApiError } from '../lib/api';

/** A suggested reply as POST /conversations/:id/draft returns it. */
export interface Draft {
  content: string;
  citations: { title: string; slug: string }[];
  agent: 'faq' | 'account';
  engine: 'llm' | 'offline';
  reply_to: string;
}

const SOURCE: Record<Draft['agent'], string> = { faq: 'the knowledge base', account: "the customer's records" };

/**
 * "Suggest reply": asks the server for a draft answer to the customer's latest message and hands it
 * to the reply box for editing. Nothing is sent: the agent reads, edits and sends it themselves.
 */
export function SuggestReply(props: { api: ApiClient; conversationId: string; disabled?: boolean; onDraft: (text: string) => void }) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'working' } | { kind: 'done'; draft: Draft } | { kind: 'failed'; message: string }>({ kind: 'idle' });

  useEffect(() => setState({ kind: 'idle' }), [props.conversationId]);

  const suggest = async () => {
    setState({ kind: 'working' });
    try {
      const { draft } = await props.api.request<{ draft: Draft }>(`/conversations/${props.conversationId}/draft`, { method: 'POST' });
      props.onDraft(draft.content);
      setState({ kind: 'done', draft });
    } catch (err) {
      setState({ kind: 'failed', message: err instanceof ApiError ? err.message : 'Could not draft a reply' });
    }
  };

  return (
    <div className="suggest-bar">
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void suggest()} disabled={props.disabled || state.kind === 'working'}>
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
          <path d="M12 2l1.9 5.6L19.5 9.5l-5.6 1.9L12 17l-1.9-5.6L4.5 9.5l5.6-1.9zM19 15l.9 2.6 2.6.9-2.6.9L19 22l-.9-2.6-2.6-.9 2.6-.9z" fill="currentColor" />
        </svg>
        {state.kind === 'working' ? 'Drafting…' : 'Suggest reply'}
      </button>
      <span className="suggest-status small" role="status" data-testid="draft-status">
        {state.kind === 'done' &&
          `Draft from ${SOURCE[state.draft.agent]}${state.draft.citations.length ? ` (${state.draft.citations.length} source${state.draft.citations.length === 1 ? '' : 's'})` : ''}, by the ${state.draft.engine === 'llm' ? 'AI model' : 'offline engine'}. Edit it, then send: nothing goes to the customer until you do.`}
        {state.kind === 'failed' && <span className="error-text">{state.message}</span>}
      </span>
    </div>
  );
}
