import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { DEFAULT_MAX_MESSAGE_CHARS } from '../components/Composer';
import { type ApiClient, ApiError } from '../lib/api';
import type { FilledReply } from './desk-types';

/** The "/word" right before the caret (at the start or after a space), or null when there is none. */
export function slashQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)\/([\w-]*)$/.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: caret - m[2]!.length - 1, query: m[2]!.toLowerCase() };
}

/** The canned replies that match what follows "/": shortcut first, then title. */
export function matchReplies(replies: FilledReply[], query: string): FilledReply[] {
  if (!query) return replies;
  const starts = replies.filter((r) => r.shortcut.startsWith(query));
  const contains = replies.filter((r) => !starts.includes(r) && (r.shortcut.includes(query) || r.title.toLowerCase().includes(query)));
  return [...starts, ...contains];
}

/**
 * The staff reply box: Enter sends, Shift+Enter adds a line, and "/" opens a picker of canned
 * replies (filled in for this conversation by the server) that inserts one in place of "/word".
 */
export function ReplyBox(props: {
  api: ApiClient;
  conversationId: string;
  onSend: (text: string) => void | Promise<void>;
  onTyping?: (on: boolean) => void;
  placeholder: string;
  disabled?: boolean;
  /** Text put in the box for editing (a suggested reply); a new `seq` replaces what is there. */
  fill?: { text: string; seq: number };
  /** Shown above the box (e.g. the "Suggest reply" bar). */
  toolbar?: ReactNode;
}) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [replies, setReplies] = useState<FilledReply[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const over = text.length - DEFAULT_MAX_MESSAGE_CHARS;
  const slash = slashQueryAt(text, caret);
  const open = slash !== null && dismissed !== slash.start && !props.disabled;
  const options = open && replies ? matchReplies(replies, slash.query) : [];

  useEffect(() => {
    setReplies(null);
    setText('');
    setLoadError(null);
  }, [props.conversationId]);

  useEffect(() => {
    // Loaded when "/" is first typed in this conversation; the placeholders are its values.
    if (!open || replies !== null) return;
    let live = true;
    props.api
      .request<{ items: FilledReply[] }>(`/conversations/${props.conversationId}/canned-replies`)
      .then((r) => live && setReplies(r.items))
      .catch((err) => {
        if (!live) return;
        setReplies([]);
        setLoadError(err instanceof ApiError ? err.message : 'Could not load canned replies');
      });
    return () => {
      live = false;
    };
  }, [open, replies, props.api, props.conversationId]);

  useEffect(() => setActive(0), [slash?.query]);

  useEffect(() => {
    if (!props.fill) return;
    const { text: value } = props.fill;
    setText(value);
    setCaret(value.length);
    requestAnimationFrame(() => {
      const box = ref.current;
      if (!box) return;
      box.focus();
      box.setSelectionRange(value.length, value.length);
    });
  }, [props.fill?.seq]); // eslint-disable-line react-hooks/exhaustive-deps

  const update = (value: string, at: number) => {
    setText(value);
    setCaret(at);
    props.onTyping?.(value.length > 0);
  };

  const insert = (reply: FilledReply) => {
    if (!slash) return;
    const value = text.slice(0, slash.start) + reply.text + text.slice(caret);
    const at = slash.start + reply.text.length;
    update(value, at);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(at, at);
    });
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const value = text.trim();
    if (!value || props.disabled || value.length > DEFAULT_MAX_MESSAGE_CHARS) return;
    update('', 0);
    setDismissed(null);
    void props.onSend(value);
    ref.current?.focus();
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && options.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        insert(options[Math.min(active, options.length - 1)]!);
        return;
      }
    }
    if (open && e.key === 'Escape') {
      e.preventDefault();
      setDismissed(slash.start);
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const activeId = open && options[active] ? `canned-${options[active]!.id}` : undefined;
  return (
    <form className="composer reply-box" onSubmit={submit}>
      {props.toolbar}
      {open && (
        <div className="canned-picker">
          <div className="canned-head">
            Canned replies <span className="muted">↑↓ to choose, Enter to insert, Esc to close</span>
          </div>
          {replies === null ? (
            <p className="muted small pad">Loading…</p>
          ) : options.length === 0 ? (
            <p className="muted small pad">{loadError ?? `No canned reply matches “/${slash.query}”`}</p>
          ) : (
            <div id="canned-list" role="listbox" aria-label="Canned replies" className="canned-options">
              {options.map((r, i) => (
                <div
                  key={r.id}
                  id={`canned-${r.id}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={i === active}
                  className={`canned-option${i === active ? ' active' : ''}`}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    insert(r);
                  }}
                >
                  <span className="canned-title">
                    <code>/{r.shortcut}</code> {r.title}
                  </span>
                  <span className="canned-text">{r.text}</span>
                  {r.missing.length > 0 && <span className="canned-missing">No value for {r.missing.map((m) => `{{${m}}}`).join(', ')}</span>}
                </div>
              ))}
            </div>
          )}
        </div>
      )}
      <label className="visually-hidden" htmlFor="composer-input">
        Reply to the customer
      </label>
      <textarea
        id="composer-input"
        ref={ref}
        value={text}
        rows={1}
        placeholder={props.placeholder}
        aria-invalid={over > 0 || undefined}
        disabled={props.disabled}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? 'canned-list' : undefined}
        aria-activedescendant={activeId}
        onChange={(e) => update(e.target.value, e.target.selectionStart)}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onBlur={() => props.onTyping?.(false)}
        onKeyDown={onKey}
      />
      {over > 0 && (
        <p className="composer-count over" role="alert">
          Too long to send: the limit is {DEFAULT_MAX_MESSAGE_CHARS.toLocaleString()} characters. Shorten it by {over.toLocaleString()}.
        </p>
      )}
      <button type="submit" className="send" disabled={props.disabled || !text.trim() || over > 0} aria-label="Send message">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M3.4 20.4 21 12 3.4 3.6l.1 6.5L15 12 3.5 13.9z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
