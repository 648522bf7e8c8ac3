import { useEffect, useState } from 'react';
import { Composer } from '../components/Composer';
import { CsatPrompt } from '../components/CsatPrompt';
import { Logo } from '../components/Logo';
import { MessageList } from '../components/MessageList';
import { SignInForm } from '../components/SignInForm';
import { ThemeToggle } from '../components/ThemeToggle';
import type { ConversationView } from '../lib/conversation';
import { reasonLabel } from '../lib/format';
import { useChat } from './useChat';
import { tellHost, useWidgetFrame } from './widget-frame';

const SUGGESTIONS = ['How long does shipping take?', 'What was my last invoice?', 'How do I reset my password?', 'I want to talk to a person'];

/** Why a staff account is turned away from the customer chat (it would not see its own conversations here). */
const STAFF_ACCOUNT = 'This is a staff account, so it cannot sign in to the customer chat. Staff sign in at the staff console, /console.';

/** Page options read from the URL: /embed is the widget's framed chat. */
export interface ChatOptions {
  embed: boolean;
  title: string;
}

function HandoffBanner({ view }: { view: ConversationView }) {
  const h = view.handoff;
  if (view.status === 'waiting_human') {
    return (
      <div className="banner banner-waiting" role="status" data-testid="handoff-banner">
        <span className="pulse" aria-hidden="true" />
        <div>
          <strong>Waiting for a person</strong>
          <span>
            {h?.ticket_number ? `Ticket ${h.ticket_number} · ` : ''}
            {reasonLabel(h?.reason)}. Someone from the team will reply here; the assistant can still help meanwhile.
          </span>
        </div>
      </div>
    );
  }
  if (view.status === 'human') {
    return (
      <div className="banner banner-human" role="status" data-testid="handoff-banner">
        <span className="avatar-sm" aria-hidden="true">
          {(h?.by?.name ?? 'S').slice(0, 1)}
        </span>
        <div>
          <strong>You're chatting with {h?.by?.name ?? 'our support team'}</strong>
          <span>A person from the support team has joined the conversation.</span>
        </div>
      </div>
    );
  }
  if (h?.status === 'active' && h.by) {
    return (
      <div className="banner banner-info" role="status" data-testid="handoff-banner">
        <div>
          <strong>Back with the assistant</strong>
          <span>{h.by.name} handed the conversation back. Ask for a person again any time.</span>
        </div>
      </div>
    );
  }
  return null;
}

function Welcome({ onPick, signedIn }: { onPick: (s: string) => void; signedIn: boolean }) {
  return (
    <div className="welcome">
      <div className="welcome-icon" aria-hidden="true">
        <Logo size={40} />
      </div>
      <h2>Hi! How can we help?</h2>
      <p>
        Ask about shipping, returns, plans or your account.{' '}
        {signedIn ? 'You are signed in, so the assistant can look up your invoices and orders.' : 'Sign in to ask about your own invoices and orders.'}
      </p>
      <ul className="suggestions" aria-label="Suggested questions">
        {SUGGESTIONS.map((s) => (
          <li key={s}>
            <button type="button" className="chip-button" onClick={() => onPick(s)}>
              {s}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The customer chat: the page at / and, framed, the widget's panel at /embed. */
export function ChatApp({ options }: { options: ChatOptions }) {
  const chat = useChat({ channel: options.embed ? 'widget' : 'websocket' });
  const [signingIn, setSigningIn] = useState(false);
  const staffName = chat.view.handoff?.by?.name ?? null;
  const frame = useWidgetFrame(options.embed, chat.view.messages);

  useEffect(() => {
    if (!options.embed) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !signingIn) tellHost({ type: 'switchboard:close' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [options.embed, signingIn]);

  const online = chat.socketStatus === 'online';
  return (
    <main className={`chat-shell${options.embed ? ' embed' : ''}`} data-conversation-id={chat.conversationId ?? undefined} data-socket={chat.socketStatus}>
      <header className="chat-header">
        <div className="brand">
          <Logo size={32} />
          <div>
            <h1>{options.title}</h1>
            <span className={`presence ${online || !(chat.conversationId || chat.everOnline) ? 'on' : 'off'}`} data-testid="presence">
              {(chat.conversationId || chat.everOnline) && !online ? (chat.everOnline ? 'Reconnecting…' : 'Connecting…') : 'We typically reply in seconds'}
            </span>
          </div>
        </div>
        <div className="header-actions">
          <ThemeToggle />
          {chat.user ? (
            <>
              <span className="whoami" title={chat.user.email}>
                {chat.user.name}
              </span>
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => void chat.session.signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setSigningIn((v) => !v)} aria-expanded={signingIn}>
              Sign in
            </button>
          )}
          {chat.conversationId && (
            <button type="button" className="icon-btn" onClick={chat.newConversation} aria-label="Start a new conversation" title="New conversation">
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              </svg>
            </button>
          )}
          {options.embed && (
            <button type="button" className="icon-btn" onClick={() => tellHost({ type: 'switchboard:close' })} aria-label="Close chat" title="Close">
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              </svg>
            </button>
          )}
        </div>
      </header>
      <HandoffBanner view={chat.view} />
      {signingIn && !chat.user ? (
        <div className="signin-wrap">
          <SignInForm
            title="Sign in to your account"
            hint={
              <>
                Demo: <code>alice@example.com</code> / <code>switchboard-demo</code>
              </>
            }
            onSignIn={async (email, password) => {
              await chat.session.signIn(email, password, (user) => (user.role === 'customer' ? null : STAFF_ACCOUNT));
              setSigningIn(false);
            }}
            onCancel={() => setSigningIn(false)}
          />
        </div>
      ) : (
        <MessageList
          view={chat.view}
          perspective="customer"
          staffName={staffName}
          scrollKey={frame.shown}
          onDecide={chat.decide}
          onRetry={(clientId) => void chat.retry(clientId)}
          onQuickReply={(s) => void chat.send(s)}
          empty={<Welcome onPick={(s) => void chat.send(s)} signedIn={!!chat.user} />}
        />
      )}
      {chat.csat && !signingIn && <CsatPrompt state={chat.csat} onRate={chat.rate} onDismiss={chat.dismissCsat} />}
      {(chat.error || chat.view.failure) && (
        <div className="toast" role="alert">
          <span>{chat.error ?? chat.view.failure?.message}</span>
          <button type="button" className="icon-btn" onClick={chat.clearError} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <Composer
        label="Your message"
        placeholder={chat.view.status === 'human' ? `Message ${staffName ?? 'support'}…` : 'Ask a question…'}
        onSend={chat.send}
        onTyping={chat.setTyping}
        maxLength={chat.maxChars}
        disabled={signingIn && !chat.user}
        autoFocus={!options.embed}
        focusSignal={frame.shown}
      />
      <footer className="chat-footer">
        AI answers can be wrong; ask for a person any time. <span className="powered">Switchboard</span>
      </footer>
    </main>
  );
}
