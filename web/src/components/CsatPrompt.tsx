import { useState } from 'react';
import { useI18n } from '../lib/i18n';

const LABELS = ['csat.1', 'csat.2', 'csat.3', 'csat.4', 'csat.5'] as const;

/**
 * The CSAT question once a conversation is resolved: 1–5 and an optional comment. `onRate` posts it;
 * `onDismiss` means "not now" (the chat does not ask again for this conversation).
 */
export function CsatPrompt(props: { state: 'ask' | 'thanks'; onRate: (rating: number, comment: string) => Promise<void>; onDismiss: () => void }) {
  const { t } = useI18n();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (props.state === 'thanks') {
    return (
      <section className="csat csat-done" aria-label={t('csat.label')} data-testid="csat">
        <p role="status">{t('csat.thanks')}</p>
      </section>
    );
  }
  const send = async () => {
    if (!rating) return;
    setBusy(true);
    setError(null);
    try {
      await props.onRate(rating, comment.trim());
    } catch (err) {
      setError(err instanceof Error ? err.message : t('csat.failed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="csat" aria-label={t('csat.label')} data-testid="csat">
      <div className="csat-head">
        <strong id="csat-q">{t('csat.question')}</strong>
        <button type="button" className="icon-btn" onClick={props.onDismiss} aria-label={t('csat.notNow')} title={t('csat.notNow')}>
          ×
        </button>
      </div>
      <div className="csat-scale" role="radiogroup" aria-labelledby="csat-q">
        {LABELS.map((label, i) => (
          // biome-ignore lint/a11y/useSemanticElements: a row of buttons reads better than radio inputs here, and keeps their keyboard use
          <button
            key={label}
            type="button"
            role="radio"
            aria-checked={rating === i + 1}
            aria-label={t('csat.option', { n: i + 1, label: t(label) })}
            className={`csat-star${rating && i < rating ? ' on' : ''}`}
            onClick={() => setRating(i + 1)}
          >
            {i + 1}
          </button>
        ))}
      </div>
      {rating && (
        <>
          <label className="visually-hidden" htmlFor="csat-comment">
            {t('csat.comment')}
          </label>
          <textarea id="csat-comment" rows={2} maxLength={2000} placeholder={t('csat.comment')} value={comment} onChange={(e) => setComment(e.target.value)} />
          <button type="button" className="btn btn-primary btn-sm" disabled={busy} onClick={() => void send()}>
            {t('csat.send')}
          </button>
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
