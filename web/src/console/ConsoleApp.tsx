import { useEffect, useState } from 'react';
import { Logo } from '../components/Logo';
import { SignInForm } from '../components/SignInForm';
import { ThemeToggle } from '../components/ThemeToggle';
import { formatAge } from '../lib/format';
import { ApprovalsQueue } from './ApprovalsQueue';
import { CannedRepliesAdmin } from './CannedRepliesAdmin';
import { ConversationPane } from './ConversationPane';
import { ConversationSearch } from './ConversationSearch';
import { HeldList } from './HeldList';
import { KnowledgeTester } from './KnowledgeTester';
import { QueueList, useNow } from './QueueList';
import { TicketsTable } from './TicketsTable';
import { useApprovals } from './useApprovals';
import { useConsole } from './useConsole';
import { useNotifications } from './useNotifications';
import { usePresence } from './usePresence';
import { NotificationSettings, TeamPresence } from './Workspace';
import { WORKSPACE_VIEWS, type WorkspaceViewId, WorkspaceView } from './workspace-views';

type Tab = 'queue' | 'held' | 'all';
type View = 'inbox' | 'approvals' | 'tickets' | 'replies' | 'knowledge' | WorkspaceViewId;
const TABS: Tab[] = ['queue', 'held', 'all'];
const VIEWS: View[] = ['inbox', 'approvals', 'tickets', 'replies', 'knowledge', ...WORKSPACE_VIEWS.map((v) => v.id)];
const isWorkspaceView = (v: View): v is WorkspaceViewId => WORKSPACE_VIEWS.some((w) => w.id === v);

function readUrl(): { view: View; tab: Tab; conversation: string | null } {
  const q = new URLSearchParams(location.search);
  const conversation = q.get('c');
  const view = VIEWS.find((v) => v === q.get('view'));
  const tab = TABS.find((t) => t === q.get('tab'));
  return { view: view && !conversation ? view : 'inbox', tab: tab ?? 'queue', conversation };
}

/** The staff console at /console: the waiting queue, conversations, tickets. */
export function ConsoleApp() {
  const c = useConsole();
  const initial = readUrl();
  const [tab, setTab] = useState<Tab>(initial.tab);
  const [view, setView] = useState<View>(initial.view);
  const now = useNow(5000);
  const approvals = useApprovals(c.api, c.staff !== null);
  const notifications = useNotifications({
    api: c.api,
    socket: c.socket,
    staff: c.staff,
    // A conversation is being read only while the inbox shows it.
    openId: view === 'inbox' ? c.openId : null,
    onOpen: (id) => {
      c.setOpenId(id);
      setView('inbox');
    },
  });
  const presence = usePresence(c.api, c.staff);

  useEffect(() => {
    if (view === 'approvals') void approvals.reload();
  }, [view]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (initial.conversation) c.setOpenId(initial.conversation);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const q = new URLSearchParams();
    if (view !== 'inbox') q.set('view', view);
    else {
      if (tab !== 'queue') q.set('tab', tab);
      if (c.openId) q.set('c', c.openId);
    }
    const url = `${location.pathname}${q.size ? `?${q}` : ''}`;
    if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  }, [tab, c.openId, view]);

  if (!c.staff) {
    return (
      <main className="console-signin">
        <div className="signin-card">
          <div className="brand">
            <Logo size={36} />
            <div>
              <h1>Switchboard</h1>
              <span className="muted">Staff console</span>
            </div>
          </div>
          <SignInForm
            title="Sign in as staff"
            hint={
              <>
                Demo: <code>agent@example.com</code> / <code>switchboard-demo</code>
              </>
            }
            onSignIn={async (email, password) => {
              await c.session.signIn(email, password, (user) => (user.role === 'customer' ? 'This account is a customer account; the console is for support staff' : null));
            }}
          />
        </div>
      </main>
    );
  }

  const role = c.staff.role;
  const open = (id: string) => {
    c.setOpenId(id);
    setView('inbox');
  };
  const waiting = c.queue?.count ?? 0;
  const oldest = c.queue?.items[0] ? (now - Date.parse(c.queue.items[0].waiting_since)) / 1000 : null;

  return (
    <div className="console">
      <header className="topbar">
        <div className="brand">
          <Logo size={28} />
          <h1 className="brand-name">
            Switchboard <span className="muted">Staff console</span>
          </h1>
        </div>
        <nav className="topnav" aria-label="Console">
          <button type="button" className="topnav-link" aria-current={view === 'inbox' ? 'page' : undefined} onClick={() => setView('inbox')}>
            Inbox
          </button>
          <button type="button" className="topnav-link" aria-current={view === 'approvals' ? 'page' : undefined} onClick={() => setView('approvals')}>
            Approvals{' '}
            <span className={`nav-count${approvals.items?.length ? ' hot' : ''}`} data-testid="approvals-count">
              {approvals.items?.length ?? 0}
            </span>
          </button>
          <button type="button" className="topnav-link" aria-current={view === 'tickets' ? 'page' : undefined} onClick={() => setView('tickets')}>
            Tickets
          </button>
          <button type="button" className="topnav-link" aria-current={view === 'replies' ? 'page' : undefined} onClick={() => setView('replies')}>
            Canned replies
          </button>
          <button type="button" className="topnav-link" aria-current={view === 'knowledge' ? 'page' : undefined} onClick={() => setView('knowledge')}>
            Test a question
          </button>
          {WORKSPACE_VIEWS.filter((w) => !w.admin || role === 'admin').map((w) => (
            <button key={w.id} type="button" className="topnav-link" aria-current={view === w.id ? 'page' : undefined} onClick={() => setView(w.id)}>
              {w.label}
            </button>
          ))}
        </nav>
        <div className="topbar-stats" aria-live="polite">
          <span className={`stat${waiting ? ' stat-hot' : ''}`} data-testid="queue-count">
            <strong>{waiting}</strong> waiting
          </span>
          {oldest !== null && (
            <span className="stat">
              oldest <strong>{formatAge(oldest)}</strong>
            </span>
          )}
          <span className={`conn conn-${c.socketStatus}`}>{c.socketStatus === 'online' ? 'Live' : c.socketStatus === 'connecting' ? 'Connecting…' : 'Offline'}</span>
        </div>
        <div className="topbar-user">
          <span className="avatar-sm" aria-hidden="true">
            {c.staff.name.slice(0, 1)}
          </span>
          <span>
            {c.staff.name} <span className="muted">({c.staff.role})</span>
          </span>
          <TeamPresence me={c.staff.id} choice={presence.choice} onChoice={presence.setChoice} team={presence.team} />
          <NotificationSettings
            settings={notifications.settings}
            onChange={(k, on) => void notifications.change(k, on)}
            desktopBlocked={notifications.desktopBlocked}
            desktopSupported={notifications.desktopSupported}
            total={notifications.total}
          />
          <ThemeToggle />
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void presence.leave().then(() => c.session.signOut())}>
            Sign out
          </button>
        </div>
      </header>
      <div className={`console-body${view !== 'inbox' ? ' full' : ''}${view === 'inbox' && c.openId ? ' conversation-open' : ''}`}>
        {view === 'inbox' && (
          <nav className="sidebar" aria-label="Work lists">
            <div className="tabs">
              <button type="button" aria-pressed={tab === 'queue'} className="tab" onClick={() => setTab('queue')}>
                Waiting <span className="count">{waiting}</span>
              </button>
              <button type="button" aria-pressed={tab === 'held'} className="tab" onClick={() => setTab('held')}>
                Held
              </button>
              <button type="button" aria-pressed={tab === 'all'} className="tab" onClick={() => setTab('all')}>
                Search
              </button>
            </div>
            <div className="tab-panel">
              {tab === 'queue' && <QueueList queue={c.queue} selected={c.openId} onOpen={open} unread={notifications.unread} />}
              {tab === 'held' && <HeldList api={c.api} selected={c.openId} onOpen={open} unread={notifications.unread} refreshKey={`${c.view.status}:${c.openId}`} />}
              {tab === 'all' && <ConversationSearch api={c.api} me={c.staff} members={c.members} selected={c.openId} onOpen={open} />}
            </div>
          </nav>
        )}
        <main className="main">
          {c.error && (
            <div className="toast" role="alert">
              <span>{c.error}</span>
              <button type="button" className="icon-btn" onClick={c.clearError} aria-label="Dismiss">
                ×
              </button>
            </div>
          )}
          {isWorkspaceView(view) ? (
            <WorkspaceView id={view} api={c.api} />
          ) : view === 'approvals' ? (
            <ApprovalsQueue approvals={approvals} onOpenConversation={open} />
          ) : view === 'tickets' ? (
            <TicketsTable api={c.api} me={c.staff} members={c.members} onOpenConversation={open} />
          ) : view === 'knowledge' ? (
            <KnowledgeTester api={c.api} />
          ) : view === 'replies' ? (
            <CannedRepliesAdmin api={c.api} isAdmin={c.staff.role === 'admin'} />
          ) : c.openId ? (
            <>
              {/* On a phone the list and the conversation take turns: this leads back to the list. */}
              <button type="button" className="btn btn-ghost btn-sm back-to-list" onClick={() => c.setOpenId(null)}>
                ← Back to the list
              </button>
              <ConversationPane
                api={c.api}
                me={c.staff}
                conversation={c.open}
                detail={c.detail}
                members={c.members}
                view={c.view}
                onTakeOver={c.takeOver}
                onRelease={c.release}
                onAssign={c.assign}
                onReply={c.reply}
                onTyping={c.setTyping}
                onTicketChanged={c.ticketChanged}
              />
            </>
          ) : (
            <div className="pane-empty">
              <div className="empty-state big">
                <strong>{waiting ? `${waiting} ${waiting === 1 ? 'conversation is' : 'conversations are'} waiting` : 'All caught up'}</strong>
                <span>{waiting ? 'Pick one from the queue to read it and take it over.' : 'New handoffs appear in the queue live.'}</span>
              </div>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
