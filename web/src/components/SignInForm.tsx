import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../lib/api';
import { useI18n } from '../lib/i18n';

/** Email and password sign-in; shows the server's message when it is refused. */
export function SignInForm(props: { title: string; hint?: ReactNode; defaultEmail?: string; onSignIn: (email: string, password: string) => Promise<void>; onCancel?: () => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState(props.defaultEmail ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSignIn(email.trim(), password);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : t('signin.failed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="signin" onSubmit={submit} aria-labelledby="signin-title">
      <h2 id="signin-title">{props.title}</h2>
      {props.hint && <p className="hint">{props.hint}</p>}
      <label>
        {t('signin.email')}
        {/* biome-ignore lint/a11y/noAutofocus: the sign-in form is the whole screen; its first field takes the focus */}
        <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
      </label>
      <label>
        {t('signin.password')}
        <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        {props.onCancel && (
          <button type="button" className="btn btn-ghost" onClick={props.onCancel}>
            {t('signin.cancel')}
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
      </div>
    </form>
  );
}
