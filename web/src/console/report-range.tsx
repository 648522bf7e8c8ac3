/** A report's day range (UTC days, both included). */
export interface Range {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The last `n` days up to today. */
export function lastDays(n: number, now = Date.now()): Range {
  return { from: isoDay(now - (n - 1) * DAY_MS), to: isoDay(now) };
}

/** From and to pickers with the usual presets. */
export function DateRange(props: { value: Range; onChange(r: Range): void }) {
  const { value, onChange } = props;
  return (
    <fieldset className="date-range">
      <legend className="visually-hidden">Date range</legend>
      {[7, 30, 90].map((n) => {
        const preset = lastDays(n);
        const on = preset.from === value.from && preset.to === value.to;
        return (
          <button key={n} type="button" className="btn btn-ghost btn-sm" aria-pressed={on} onClick={() => onChange(preset)}>
            {n} days
          </button>
        );
      })}
      <label>
        From <input type="date" value={value.from} max={value.to} onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })} />
      </label>
      <label>
        To <input type="date" value={value.to} min={value.from} onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })} />
      </label>
    </fieldset>
  );
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused for spreadsheets. */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Saves rows as a CSV file in the browser. */
export function downloadCsv(filename: string, rows: (string | number)[][]): void {
  const text = `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
