import { useEffect, useState } from 'react';
import { Composer } from '../components/Composer';
import { CsatPrompt } from '../components/CsatPrompt';
import { Logo } from '../components/Logo';
import { MessageList } from '../components/MessageList';
import { SignInForm } from '../components/SignInForm';
import { ThemeToggle } from '../components/ThemeToggle';
import { replyLine, useReplyTime } from './ReplyTime';
import type { ConversationView } from '../lib/conversation';
import { type I18n, type MessageKey, useI18n } from '../lib/i18n';
import { useChat } from './useChat';
import { tellHost, useWidgetFrame } from './widget-frame';

const SUGGESTIONS: MessageKey[] = ['suggest.shipping', 'suggest.invoice', 'suggest.password', 'suggest.person'];

/** A handoff reason as the customer reads it, in their language. */
function reasonText(t: I18n['t'], reason: string | null | undefined): string {
  if (!reason) return t('reason.none');
  const key = `reason.${reason}` as MessageKey;
  const text = t(key);
  return text === key ? reason.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()) : text;
}

/** Page options read from the URL: /embed is the widget's framed chat. */
export interface ChatOptions {
  embed: boolean;
  title: string;
}

function HandoffBanner({ view }: { view: ConversationView }) {
  const { t } = useI18n();
  const h = view.handoff;
  if (view.status === 'waiting_human') {
    return (
      <div className="banner banner-waiting" role="status" data-testid="handoff-banner">
        <span className="pulse" aria-hidden="true" />
        <div>
          <strong>{t('banner.waiting')}</strong>
          <span>
            {h?.ticket_number ? t('banner.ticket', { ticket: h.ticket_number }) : ''}
            {t('banner.waitingText', { reason: reasonText(t, h?.reason) })}
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
          <strong>{t('banner.human', { name: h?.by?.name ?? t('banner.ourTeam') })}</strong>
          <span>{t('banner.humanText')}</span>
        </div>
      </div>
    );
  }
  if (h?.status === 'active' && h.by) {
    return (
      <div className="banner banner-info" role="status" data-testid="handoff-banner">
        <div>
          <strong>{t('banner.back')}</strong>
          <span>{t('banner.backText', { name: h.by.name })}</span>
        </div>
      </div>
    );
  }
  return null;
}

function Welcome({ onPick, signedIn }: { onPick: (s: string) => void; signedIn: boolean }) {
  const { t } = useI18n();
  return (
    <div className="welcome">
      <div className="welcome-icon" aria-hidden="true">
        <Logo size={40} />
      </div>
      <h2>{t('welcome.title')}</h2>
      <p>
        {t('welcome.text')} {signedIn ? t('welcome.signedIn') : t('welcome.signedOut')}
      </p>
      <ul className="suggestions" aria-label={t('welcome.suggestions')}>
        {SUGGESTIONS.map((k) => (
          <li key={k}>
            <button type="button" className="chip-button" onClick={() => onPick(t(k))}>
              {t(k)}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The customer chat: the page at / and, framed, the widget's panel at /embed. */
export function ChatApp({ options }: { options: ChatOptions }) {
  const { t } = useI18n();
  const chat = useChat({ channel: options.embed ? 'widget' : 'websocket' });
  const replyTime = useReplyTime(chat.session.api);
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
              {(chat.conversationId || chat.everOnline) && !online ? t(chat.everOnline ? 'presence.reconnecting' : 'presence.connecting') : replyLine(t, chat.view.status, replyTime)}
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
                {t('header.signOut')}
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setSigningIn((v) => !v)} aria-expanded={signingIn}>
              {t('header.signIn')}
            </button>
          )}
          {chat.conversationId && (
            <button type="button" className="icon-btn" onClick={chat.newConversation} aria-label={t('header.new')} title={t('header.newTitle')}>
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path d="M12 5v14M5 12h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              </svg>
            </button>
          )}
          {options.embed && (
            <button type="button" className="icon-btn" onClick={() => tellHost({ type: 'switchboard:close' })} aria-label={t('header.close')} title={t('header.closeTitle')}>
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
            title={t('signin.title')}
            hint={
              <>
                {t('signin.demo')} <code>alice@example.com</code> / <code>switchboard-demo</code>
              </>
            }
            onSignIn={async (email, password) => {
              await chat.session.signIn(email, password, (user) => (user.role === 'customer' ? null : t('signin.staff')));
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
          <button type="button" className="icon-btn" onClick={chat.clearError} aria-label={t('toast.dismiss')}>
            ×
          </button>
        </div>
      )}
      <Composer
        label={t('composer.label')}
        placeholder={chat.view.status === 'human' ? t('composer.messageTo', { name: staffName ?? t('composer.support') }) : t('composer.ask')}
        onSend={chat.send}
        onTyping={chat.setTyping}
        maxLength={chat.maxChars}
        disabled={signingIn && !chat.user}
        autoFocus={!options.embed}
        focusSignal={frame.shown}
      />
      <footer className="chat-footer">
        {t('footer.note')} <span className="powered">Switchboard</span>
      </footer>
    </main>
  );
}
