import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

/** The message box: Enter sends, Shift+Enter adds a line; reports typing. */
export function Composer(props: {
  onSend: (text: string) => void | Promise<void>;
  onTyping?: (on: boolean) => void;
  placeholder: string;
  label: string;
  disabled?: boolean;
  busy?: boolean;
  maxLength?: number;
  autoFocus?: boolean;
}) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value || props.disabled) return;
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
  return (
    <form className="composer" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="composer-input">
        {props.label}
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        value={text}
        rows={1}
        maxLength={props.maxLength ?? 8000}
        placeholder={props.placeholder}
        disabled={props.disabled}
        autoFocus={props.autoFocus}
        onChange={(e) => {
          setText(e.target.value);
          props.onTyping?.(e.target.value.length > 0);
        }}
        onBlur={() => props.onTyping?.(false)}
        onKeyDown={onKey}
      />
      <button type="submit" className="send" disabled={props.disabled || !text.trim()} aria-label="Send message">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M3.4 20.4 21 12 3.4 3.6l.1 6.5L15 12 3.5 13.9z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
