// When the support team is in: opening hours per weekday in one time zone, minus holidays. The
// calendar arithmetic is Intl's (the zone's rules, daylight saving included); nothing here adds
// offsets by hand.

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Opening ranges in minutes after local midnight, per weekday (0 = Sunday). */
export type WeeklyHours = [number, number][][];

/** The team's hours: none means always open. */
export interface BusinessHours {
  weekly: WeeklyHours | null;
  timeZone: string;
  /** Local dates (YYYY-MM-DD) the team is out all day. */
  holidays: ReadonlySet<string>;
}

function minutesOf(hhmm: string, entry: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && m[2] !== '00')) throw new Error(`"${hhmm}" in "${entry}" is not a time like 09:00`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function dayIndex(name: string, entry: string): number {
  const i = DAYS.indexOf(name.slice(0, 3).toLowerCase() as (typeof DAYS)[number]);
  if (i < 0 || name.length < 3) throw new Error(`"${name}" in "${entry}" is not a weekday (mon, tue, ... sun)`);
  return i;
}

/**
 * Reads BUSINESS_HOURS: entries separated by ";", each weekdays (a day, a range "mon-fri" or a list
 * "mon,wed") and time ranges ("09:00-17:00", several separated by ","), e.g.
 * "mon-fri 09:00-17:00; sat 10:00-14:00". Empty: null (always open). Throws on anything else.
 */
export function parseWeeklyHours(spec: string): WeeklyHours | null {
  if (!spec.trim()) return null;
  const week: WeeklyHours = DAYS.map(() => []);
  for (const raw of spec.split(';')) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = /^([a-z,\s-]+?)\s+(\d.*)$/i.exec(entry);
    if (!m) throw new Error(`"${entry}" is not like "mon-fri 09:00-17:00"`);
    const days = new Set<number>();
    for (const part of m[1]!
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean)) {
      const [from, to] = part.split('-').map((d) => d.trim());
      const a = dayIndex(from!, entry);
      const b = to === undefined ? a : dayIndex(to, entry);
      for (let d = a; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === b) break;
      }
    }
    for (const range of m[2]!.split(',').map((r) => r.trim())) {
      const [start, end] = range.split('-').map((t) => t.trim());
      if (start === undefined || end === undefined) throw new Error(`"${range}" in "${entry}" is not a range like 09:00-17:00`);
      const s = minutesOf(start, entry);
      const e = minutesOf(end, entry);
      if (e <= s) throw new Error(`"${range}" in "${entry}" ends before it starts`);
      for (const d of days) week[d]!.push([s, e]);
    }
  }
  for (const ranges of week) ranges.sort((x, y) => x[0] - y[0]);
  return week;
}

/** True when the zone is one Intl knows (an IANA name such as Europe/Berlin). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  date: string;
  weekday: number;
  minutes: number;
  seconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date, weekday and time of an instant in a zone. */
function localTime(at: Date, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: DAYS.indexOf(String(p.weekday).toLowerCase().slice(0, 3) as (typeof DAYS)[number]),
    minutes: Number(p.hour) * 60 + Number(p.minute),
    seconds: Number(p.second),
  };
}

/** When the team is next in, as a day (0 = today) and the local opening time. */
interface Opening {
  daysAhead: number;
  /** Local date, YYYY-MM-DD. */
  date: string;
  weekday: number;
  /** Minutes after local midnight. */
  minutes: number;
}

/** Whether the team is in at `now`, and if not, when it next is (null: no opening in the next 60 days). */
function teamStatus(hours: BusinessHours, now: Date): { open: true } | { open: false; next: Opening | null } {
  if (!hours.weekly) return { open: true };
  const today = localTime(now, hours.timeZone);
  // Step through the coming days from local noon (a daylight-saving change never moves noon to another date).
  const noon = now.getTime() - ((today.minutes - 720) * 60 + today.seconds) * 1000;
  for (let k = 0; k <= 60; k++) {
    const day = k === 0 ? today : localTime(new Date(noon + k * 86_400_000), hours.timeZone);
    if (hours.holidays.has(day.date)) continue;
    for (const [start, end] of hours.weekly[day.weekday] ?? []) {
      if (k === 0 && today.minutes >= end) continue;
      if (k === 0 && today.minutes >= start) return { open: true };
      return { open: false, next: { daysAhead: k, date: day.date, weekday: day.weekday, minutes: start } };
    }
  }
  return { open: false, next: null };
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** "Our team is back Monday 09:00 (Europe/Berlin)." for a closed team; null while it is in. */
export function backAtSentence(hours: BusinessHours, now: Date): string | null {
  const status = teamStatus(hours, now);
  if (status.open) return null;
  const next = status.next;
  if (!next) return 'Our team is away at the moment; a person will reply here when they are back.';
  const day =
    next.daysAhead === 0
      ? 'today at'
      : next.daysAhead === 1
        ? 'tomorrow at'
        : next.daysAhead < 7
          ? DAY_NAMES[next.weekday]
          : `${DAY_NAMES[next.weekday]} ${new Date(`${next.date}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' })}`;
  return `Our team is back ${day} ${hhmm(next.minutes)} (${hours.timeZone}).`;
}

/** The team's hours as configured (BUSINESS_HOURS, BUSINESS_TIMEZONE, BUSINESS_HOLIDAYS). */
export function businessHoursOf(config: { BUSINESS_HOURS: string; BUSINESS_TIMEZONE: string; BUSINESS_HOLIDAYS: readonly string[] }): BusinessHours {
  return { weekly: parseWeeklyHours(config.BUSINESS_HOURS), timeZone: config.BUSINESS_TIMEZONE, holidays: new Set(config.BUSINESS_HOLIDAYS) };
}
