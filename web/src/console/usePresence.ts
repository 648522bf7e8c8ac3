// Presence in the console: a heartbeat every 20 s says this staff member is online or away (away when
// they say so, or while the tab is hidden); the team's presence is read with it.
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../lib/api';
import { readJson, writeJson } from '../lib/storage';
import type { User } from '../lib/types';

/** A colleague's presence as GET /staff/presence gives it. */
export interface TeamMember {
  user_id: string;
  name: string;
  role: 'agent' | 'admin';
  status: 'online' | 'away' | 'offline';
  seen_at: string | null;
}

const CHOICE_KEY = 'switchboard.console.presence';
const HEARTBEAT_MS = 20_000;

/** The staff member's own status (their choice, kept on this device) and the team's. */
export function usePresence(api: ApiClient, staff: User | null) {
  const [choice, setChoice] = useState<'online' | 'away'>(() => (readJson<string>(CHOICE_KEY) === 'away' ? 'away' : 'online'));
  const [team, setTeam] = useState<TeamMember[]>([]);

  const beat = useCallback(async () => {
    if (!staff) return;
    const status = choice === 'online' && document.visibilityState === 'hidden' ? 'away' : choice;
    try {
      await api.request('/staff/presence', { method: 'PUT', body: { status } });
      setTeam((await api.request<{ items: TeamMember[] }>('/staff/presence')).items);
    } catch {
      // The next heartbeat tries again; presence is a hint, never in the way.
    }
  }, [api, staff, choice]);

  useEffect(() => {
    if (!staff) return;
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_MS);
    const onVisibility = () => void beat();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [staff?.id, beat]); // eslint-disable-line react-hooks/exhaustive-deps

  return {
    choice,
    team,
    setChoice: (c: 'online' | 'away') => {
      writeJson(CHOICE_KEY, c);
      setChoice(c);
    },
    /** Goes offline at once (before signing out). */
    leave: () => api.request('/staff/presence', { method: 'DELETE' }).catch(() => undefined),
  };
}
