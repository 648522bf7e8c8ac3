import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../lib/i18n';

/** The server's default MAX_MESSAGE_CHARS; the chat learns the configured value from the socket's `ready`. */
export const DEFAULT_MAX_MESSAGE_CHARS = 8000;
/** The counter shows from this share of the limit on. */
const COUNTER_FROM = 0.9;

/**
 * The message box: Enter sends, Shift+Enter adds a line; reports typing. Text over the limit is kept
 * (never cut silently): a counter shows near the limit, and over it a message says by how much and
 * sending waits until the text is shorter.
 */
export function Composer(props: {
  onSend: (text: string) => void | Promise<void>;
  onTyping?: (on: boolean) => void;
  placeholder: string;
  label: string;
  disabled?: boolean;
  busy?: boolean;
  maxLength?: number;
  autoFocus?: boolean;
  /** Focuses the box whenever it changes (a number above 0): the widget was opened, say. */
  focusSignal?: number;
}) {
  const { t, number: count } = useI18n();
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const max = props.maxLength ?? DEFAULT_MAX_MESSAGE_CHARS;
  const over = text.length - max;
  const { autoFocus, focusSignal } = props;
  useEffect(() => {
    if (autoFocus || focusSignal) ref.current?.focus();
  }, [autoFocus, focusSignal]);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value || props.disabled || value.length > max) return;
    setText('');
    void props.onSend(value);
    ref.current?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  const showCount = text.length >= max * COUNTER_FROM;
  return (
    <form className="composer" onSubmit={submit}>
      <div className="composer-field">
        <label className="visually-hidden" htmlFor="composer-input">
          {props.label}
        </label>
        <textarea
          id="composer-input"
          ref={ref}
          value={text}
          rows={1}
          placeholder={props.placeholder}
          disabled={props.disabled}
          aria-invalid={over > 0 || undefined}
          aria-describedby={showCount ? hintId : undefined}
          onChange={(e) => {
            setText(e.target.value);
            props.onTyping?.(e.target.value.length > 0);
          }}
          onBlur={() => props.onTyping?.(false)}
          onKeyDown={onKey}
        />
        {showCount && (
          <p id={hintId} className={`composer-count${over > 0 ? ' over' : ''}`} data-testid="composer-count" role={over > 0 ? 'alert' : undefined}>
            {over > 0 ? t('composer.tooLong', { count: count(text.length), max: count(max), over: count(over) }) : t('composer.count', { count: count(text.length), max: count(max) })}
          </p>
        )}
      </div>
      <button type="submit" className="send" disabled={props.disabled || !text.trim() || over > 0} aria-label={t('composer.send')}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M3.4 20.4 21 12 3.4 3.6l.1 6.5L15 12 3.5 13.9z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
