import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { NotifySettings } from './useNotifications';
import type { TeamMember } from './usePresence';

/** A conversation's unread count beside its title (nothing at zero). */
export function UnreadBadge(props: { count: number | undefined }) {
  if (!props.count) return null;
  return (
    <span className="unread-badge" data-testid="unread">
      {props.count}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}

/** A small disclosure panel under a top-bar button; closes on Escape or a click outside. */
function Popover(props: { label: string; buttonLabel?: string; button: ReactNode; children: ReactNode; id: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="popover-wrap" ref={ref}>
      <button type="button" className="btn btn-ghost btn-sm" aria-expanded={open} aria-controls={props.id} aria-label={props.buttonLabel ?? props.label} onClick={() => setOpen((o) => !o)}>
        {props.button}
      </button>
      {open && (
        <fieldset className="popover" id={props.id} aria-label={props.label}>
          {props.children}
        </fieldset>
      )}
    </div>
  );
}

const LABELS: Record<keyof NotifySettings, string> = {
  sound: 'Play a sound',
  desktop: 'Desktop notifications',
  title: 'Count in the tab title',
};

/** The notification settings: sound, desktop notifications and the tab title, kept on this device. */
export function NotificationSettings(props: {
  settings: NotifySettings;
  onChange: (key: keyof NotifySettings, on: boolean) => void;
  desktopBlocked: boolean;
  desktopSupported: boolean;
  total: number;
}) {
  return (
    <Popover
      id="notify-settings"
      label="Notification settings"
      buttonLabel={props.total > 0 ? `Notification settings, ${props.total} unread` : 'Notification settings'}
      button={
        <>
          <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.8V3a1.5 1.5 0 0 0-3 0v1.2A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" fill="currentColor" />
          </svg>
          {props.total > 0 && <span className="nav-count hot">{props.total}</span>}
        </>
      }
    >
      <p className="popover-title">New waiting conversations and customer replies</p>
      {(Object.keys(LABELS) as (keyof NotifySettings)[]).map((key) => (
        <label key={key} className="check-row">
          <input type="checkbox" checked={props.settings[key]} disabled={key === 'desktop' && !props.desktopSupported} onChange={(e) => props.onChange(key, e.target.checked)} />
          {LABELS[key]}
        </label>
      ))}
      {props.desktopBlocked && <p className="small error-text">The browser blocks notifications for this site; allow them in its site settings.</p>}
    </Popover>
  );
}

const STATUS_LABEL = { online: 'Online', away: 'Away', offline: 'Offline' } as const;

/** My status (online / away) and who else on the team is around. */
export function TeamPresence(props: { me: string; choice: 'online' | 'away'; onChoice: (c: 'online' | 'away') => void; team: TeamMember[] }) {
  const others = props.team.filter((m) => m.user_id !== props.me);
  const here = others.filter((m) => m.status === 'online').length;
  return (
    <Popover
      id="team-presence"
      label="Team presence"
      buttonLabel={`Team presence: ${here} online`}
      button={
        <>
          <span className={`presence-dot presence-${props.choice}`} aria-hidden="true" />
          <span className="presence-summary">{here} online</span>
        </>
      }
    >
      <label className="control">
        <span>My status</span>
        <select aria-label="My status" value={props.choice} onChange={(e) => props.onChoice(e.target.value === 'away' ? 'away' : 'online')}>
          <option value="online">Online</option>
          <option value="away">Away</option>
        </select>
      </label>
      <ul className="team-list" aria-label="Team">
        {others.map((m) => (
          <li key={m.user_id} data-status={m.status}>
            <span className={`presence-dot presence-${m.status}`} aria-hidden="true" />
            <span>{m.name}</span>
            <span className="muted small team-status">{STATUS_LABEL[m.status]}</span>
          </li>
        ))}
      </ul>
    </Popover>
  );
}
