// "Typically replies in …": the team's real median reply time (GET /support/response-time), read
// once per page; null until known, or when there are too few replies to say.
import { useEffect, useState } from 'react';
import type { ApiClient } from '../lib/api';
import type { Translate } from '../lib/i18n';

/** 45 → "under a minute", 240 → "4 minutes", 5400 → "2 hours" (in the page's language). */
export function formatReplyTime(t: Translate, seconds: number): string {
  if (seconds < 60) return t('wait.underMinute');
  if (seconds < 3600) {
    const n = Math.round(seconds / 60);
    return n === 1 ? t('wait.minute') : t('wait.minutes', { n });
  }
  const n = Math.round(seconds / 3600);
  return n === 1 ? t('wait.hour') : t('wait.hours', { n });
}

/** The team's typical reply time in seconds, or null. */
export function useReplyTime(api: ApiClient): number | null {
  const [seconds, setSeconds] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    api
      .request<{ typical_reply_seconds: number | null }>('/support/response-time', { token: null })
      .then((r) => live && setSeconds(r.typical_reply_seconds))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);
  return seconds;
}

/** The header's line: the assistant answers at once; a person in the team's typical time, once known. */
export function replyLine(t: Translate, status: string, seconds: number | null): string {
  if (seconds === null) return t('presence.online');
  const time = formatReplyTime(t, seconds);
  return status === 'waiting_human' || status === 'human' ? t('presence.person', { time }) : t('presence.team', { time });
}
