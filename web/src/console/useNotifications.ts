// The console's notifications: unread counts per conversation, and for a new waiting conversation
// or a customer's reply, a sound, a desktop notification (when the browser allows it) and the tab
// title, each a setting kept on this device. The console follows (joins) the conversations the
// signed-in staff member holds, so their customers' replies arrive while another one is open.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../lib/api';
import type { RealtimeClient } from '../lib/socket';
import { readJson, writeJson } from '../lib/storage';
import type { Page, User } from '../lib/types';
import type { StaffConversation } from './desk-types';

/** Which notifications are on. */
export interface NotifySettings {
  sound: boolean;
  desktop: boolean;
  title: boolean;
}

const SETTINGS_KEY = 'switchboard.console.notifications';
const DEFAULTS: NotifySettings = { sound: true, desktop: false, title: true };
const BASE_TITLE = 'Staff console · Switchboard';
/** The most held conversations the console follows for replies. */
const FOLLOW_LIMIT = 20;

/** A short two-tone chime made with Web Audio (no file to load). */
function chime(): void {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  const gain = ctx.createGain();
  gain.gain.setValueAtTime(0.06, ctx.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.35);
  gain.connect(ctx.destination);
  for (const [i, hz] of [880, 1320].entries()) {
    const osc = ctx.createOscillator();
    osc.frequency.value = hz;
    osc.connect(gain);
    osc.start(ctx.currentTime + i * 0.12);
    osc.stop(ctx.currentTime + 0.12 + i * 0.12);
  }
  setTimeout(() => void ctx.close(), 800);
}

function desktopAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Unread counts, notifications and their settings for the signed-in staff member. */
export function useNotifications(opts: { api: ApiClient; socket: RealtimeClient; staff: User | null; openId: string | null; onOpen: (id: string) => void }) {
  const { api, socket, staff, openId } = opts;
  const [settings, setSettings] = useState<NotifySettings>(() => ({ ...DEFAULTS, ...readJson<Partial<NotifySettings>>(SETTINGS_KEY) }));
  const [unread, setUnread] = useState<Record<string, number>>({});
  const [desktopBlocked, setDesktopBlocked] = useState(false);
  const [followed, setFollowed] = useState<string[]>([]);
  const ref = useRef({ settings, openId, onOpen: opts.onOpen });
  ref.current = { settings, openId, onOpen: opts.onOpen };
  const seenQueue = useRef<Set<string> | null>(null);
  // A message can arrive twice (a replay after a reconnect): each counts once.
  const seenMessages = useRef(new Set<string>());

  const notify = useCallback((conversationId: string, title: string, body: string) => {
    const { settings: s, openId: open } = ref.current;
    if (conversationId === open && document.visibilityState === 'visible') return;
    setUnread((u) => ({ ...u, [conversationId]: (u[conversationId] ?? 0) + 1 }));
    if (s.sound) chime();
    if (s.desktop && desktopAllowed()) {
      const n = new Notification(title, { body, tag: conversationId });
      n.onclick = () => {
        window.focus();
        ref.current.onOpen(conversationId);
      };
    }
  }, []);

  // The conversations this staff member holds: followed for their customers' replies.
  const refreshFollowed = useCallback(() => {
    if (!staff) return;
    void api
      .request<Page<StaffConversation>>(`/staff/conversations?status=human&assigned_to=${staff.id}&limit=${FOLLOW_LIMIT}`)
      .then((p) => setFollowed(p.items.map((c) => c.id)))
      .catch(() => undefined);
  }, [api, staff]);

  useEffect(() => {
    if (!staff) return;
    refreshFollowed();
    seenQueue.current = null;
    return socket.on((e) => {
      if (e.type === 'queue') {
        const ids = e.items.map((i) => i.conversation_id);
        if (seenQueue.current) {
          for (const item of e.items) {
            if (!seenQueue.current.has(item.conversation_id)) notify(item.conversation_id, 'A conversation is waiting', item.subject ?? 'A customer asked for a person');
          }
        }
        seenQueue.current = new Set(ids);
        // Someone took one over (maybe this staff member elsewhere): who holds what may have changed.
        refreshFollowed();
      } else if (e.type === 'message.created' && e.message.role === 'user' && !seenMessages.current.has(e.message.id)) {
        seenMessages.current.add(e.message.id);
        notify(e.conversation_id, 'The customer replied', e.message.content.slice(0, 140));
      } else if (e.type === 'handoff') {
        refreshFollowed();
      }
    });
  }, [staff?.id, socket, notify, refreshFollowed]); // eslint-disable-line react-hooks/exhaustive-deps

  // Follow the held conversations; the open one is followed by the pane (and re-followed here after).
  useEffect(() => {
    for (const id of followed) socket.join(id);
  }, [followed, openId, socket]);

  // Opening a conversation (or coming back to the tab) reads it.
  useEffect(() => {
    const read = () => {
      const open = ref.current.openId;
      if (open && document.visibilityState === 'visible') setUnread((u) => (u[open] ? { ...u, [open]: 0 } : u));
    };
    read();
    document.addEventListener('visibilitychange', read);
    return () => document.removeEventListener('visibilitychange', read);
  }, [openId]);

  const total = Object.values(unread).reduce((a, b) => a + b, 0);
  useEffect(() => {
    document.title = settings.title && total > 0 ? `(${total}) ${BASE_TITLE}` : BASE_TITLE;
  }, [total, settings.title]);

  const change = async (key: keyof NotifySettings, on: boolean) => {
    let value = on;
    if (key === 'desktop' && on && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
      value = (await Notification.requestPermission()) === 'granted';
    }
    if (key === 'desktop') setDesktopBlocked(on && !value);
    setSettings((s) => {
      const next = { ...s, [key]: value };
      writeJson(SETTINGS_KEY, next);
      return next;
    });
  };

  return { settings, change, unread, total, desktopBlocked, desktopSupported: typeof Notification !== 'undefined' };
}
